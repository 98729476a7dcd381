"""A picture message (`{"picture": {...}}`, actions/pictures.py) as PNG bytes for the chat apps' uploads."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from knotcare.pictures.catalogue import picture

DATA_URL = "data:image/png;base64,"
#: Telegram's limit on a photo's caption.
MAX_CAPTION = 1024


@dataclass(frozen=True)
class Upload:
    """What a chat app uploads: the PNG, its text alternative, a caption."""

    png: bytes
    alt: str
    caption: str

    def caption_with_alt(self, limit: int = MAX_CAPTION) -> str:
        """The caption and then the text alternative (chat apps without alt text show it under the photo)."""
        text = "\n".join(part for part in (self.caption, self.alt) if part)
        return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def upload_for(message: Mapping[str, Any]) -> Optional[Upload]:
    """The upload for a custom message, or None when it is not a picture we can draw."""
    spec = message.get("picture") if isinstance(message, Mapping) else None
    if not isinstance(spec, Mapping):
        return None
    alt, caption = str(spec.get("alt") or ""), str(spec.get("caption") or "")
    if spec.get("name"):
        drawn = picture(str(spec["name"]))
        return Upload(drawn.png, alt or drawn.alt, caption) if drawn else None
    src = str(spec.get("src") or "")
    if not src.startswith(DATA_URL):
        return None  # never a link: the chat apps would fetch it from a public address
    try:
        return Upload(base64.b64decode(src[len(DATA_URL):], validate=True), alt, caption)
    except (binascii.Error, ValueError):
        return None
