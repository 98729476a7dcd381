"""A picture message (`{"picture": {...}}`, actions/pictures.py) as PNG bytes for the chat apps' uploads,
and the part of their output channels that sends it."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Text

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


class UploadsPictures:
    """For an output channel that uploads pictures: a picture message becomes `upload_picture`; a message for the
    web page only (a picture we cannot draw, a hold timer) is dropped; any other custom message goes on as Rasa
    sends it. Put it before Rasa's output class among the bases."""

    async def upload_picture(self, recipient_id: Text, upload: Upload) -> None:
        """Upload the PNG to the conversation (each chat app its own way)."""
        raise NotImplementedError

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """A picture as an upload; anything else as Rasa sends it."""
        upload = upload_for(json_message)
        if upload is not None:
            await self.upload_picture(recipient_id, upload)
        elif "picture" not in json_message and "hold" not in json_message:
            await super().send_custom_json(recipient_id, json_message, **kwargs)  # type: ignore[misc]
