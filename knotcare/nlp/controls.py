"""Controls typed at the head of a message.

A front desk moves to its next caller with "new caller" (contract), and often types the caller's story straight
after it: "new caller: woman 31 weeks pregnant, sore knot under her shoulder blade". That is the control and then
the first message of a fresh conversation, so that nothing of the caller before carries over.
"""

from __future__ import annotations

import re
from typing import Optional

#: The control's payload (the "New caller" button's, data/kb/messages.yml).
NEW_CALLER = "/new_caller"

_NEXT_CALLER = re.compile(
    r"^\s*(?:ok(?:ay)?[,.]?\s+)?(?:(?:new|next)\s+(?P<who>caller)|next\s+(?P<whom>patient))\b"
    r"(?P<mark>\s*[:;,.!\-–—]+)?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL)
#: "new patient" is left out: at a clinic it is as often a person saying they are one ("new patient - what do I
#: bring?"), whose conversation must not be cleared.
#: Without a mark after the control, the words after it must be a story ("next caller is a man of 60 with ..."),
#: not the control's own tail ("new patient on the line", "new caller please").
_STORY_WORDS = 4


def next_callers_message(text: str) -> Optional[str]:
    """The first message of the next caller typed after the control, or None when there is none."""
    match = _NEXT_CALLER.match(text or "")
    if match is None:
        return None
    rest = match.group("rest").strip()
    if not rest or (match.group("mark") is None and len(rest.split()) < _STORY_WORDS):
        return None
    # "next caller is a man of 60": the caller stays named in their story
    return rest if match.group("mark") else f"{match.group('who') or match.group('whom')} {rest}"
