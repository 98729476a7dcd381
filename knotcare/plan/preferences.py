"""Reading a person's answers about tools, time and mobility from their own words. Plain Python."""

from __future__ import annotations

import re
from typing import List, Optional

from knotcare.plan.tailor import nearest_session_minutes

#: Words for each tool id (data/kb/tools.yml), most specific first; ids themselves match too.
_TOOL_WORDS = (
    ("tennis_ball", r"tennis\s*balls?"),
    ("small_rubber_ball", r"(?:bouncy|rubber|small|little|golf)\s*balls?"),
    ("massage_ball", r"lacrosse\s*balls?|lacross\s*balls?|massage\s*balls?|spiky\s*balls?|trigger\s*point\s*balls?"
                     r"|\bballs?\b"),
    ("foam_roller", r"foam\s*rollers?|\brollers?\b|\bfoam\b"),
    ("cane_massager", r"thera\s*canes?|\bcanes?\b|back\s*buddy|hook"),
    ("percussion_device", r"massage\s*guns?|percussion|theragun|hypervolt|\bguns?\b"),
    ("handheld_massager", r"hand\s*-?\s*held|electric\s*massager|\bmassager\b"),
    ("fingertips", r"\bhands?\b|fingers?|fingertips?|nothing|\bnone\b|no\s+tools?|not\s+anything|"
                   r"(?:do\s*n[o']?t|dont)\s+(?:have|own|got)\s+(?:any|anything)|nada|just\s+me\b"),
)
_MINUTES = re.compile(r"(\d{1,3})\s*(?:-|to)?\s*(?:\d{1,3}\s*)?(?:min|mins|minutes?|m\b)", re.IGNORECASE)
_MINUTE_WORDS = {"three": 3, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "two": 2,
                 "a couple of": 2, "a few": 3, "couple of": 2, "few": 3}
_SHORT_TIME = re.compile(r"\b(?:quick|not\s+much|hardly\s+any|barely\s+any|short|little\s+time|busy)\b", re.IGNORECASE)
_LONG_TIME = re.compile(r"\b(?:half\s+an?\s+hour|an\s+hour|plenty|lots\s+of\s+time|loads\s+of\s+time|all\s+day|"
                        r"as\s+long\s+as|no\s+rush)\b", re.IGNORECASE)
_BARE = re.compile(r"^\s*(?:about|around|maybe|like)?\s*(\d{1,3})\s*[.!]?\s*$")
_LIMITED = re.compile(
    r"can\s*'?n?o?t\s+(?:get\s+(?:down|up)|lie|kneel|bend|get\s+on)|cant\s+(?:get|lie|kneel|bend)|"
    r"(?:hard|difficult|tricky|struggle|trouble|problem)\w*\s+(?:to\s+|for\s+me\s+to\s+|with\s+|getting\s+)?"
    r"(?:get\w*\s+down|get\w*\s+up|lie|lying|kneel\w*|bend\w*|the\s+floor|lean\w*)|"
    r"wheelchair|walker|walking\s+frame|bad\s+(?:knees|hips)|stiff\s+joints|limited\s+mobility|arthritic|"
    r"not\s+(?:very\s+)?mobile|off\s+the\s+floor", re.IGNORECASE)
_MOBILE = re.compile(
    r"\b(?:no\s+(?:problem|trouble|issues?)|i\s*'?m\s+(?:fine|ok|okay|mobile)|i\s+can\s+(?:get\s+down|lie|kneel)|"
    r"floor\s+is\s+fine|that\s*'?s\s+fine|all\s+good|easily)\b", re.IGNORECASE)
_SKIP = re.compile(r"^\s*(?:skip(?:\s+(?:it|this|that|these|the\s+questions?))?|pass|never\s*mind|just\s+(?:give|show)"
                   r"\s+me\s+(?:the\s+)?(?:routine|plan)|whatever|don'?t\s+care|next\s+question)\s*[.!]*\s*$",
                   re.IGNORECASE)


def parse_tools(text: str) -> Optional[List[str]]:
    """Tool ids named in the text, in catalogue order; ["fingertips"] for "just my hands" or "nothing"."""
    remaining = text.lower().replace("_", " ")
    found: List[str] = []
    for tool_id, pattern in _TOOL_WORDS:
        regex = re.compile(pattern + "|" + re.escape(tool_id.replace("_", " ")), re.IGNORECASE)
        if regex.search(remaining):
            found.append(tool_id)
            remaining = regex.sub(" ", remaining)  # "tennis ball" must not also count as "ball"
    if len(found) > 1 and "fingertips" in found:
        found.remove("fingertips")  # "my hands and a roller": the roller is the news; hands are always there
    return found or None


def parse_minutes(text: str, bare_number_ok: bool = False) -> Optional[int]:
    """The session length the text asks for, as 3, 10 or 20 minutes; None when it says none."""
    match = _MINUTES.search(text)
    if match:
        return nearest_session_minutes(int(match.group(1)))
    lowered = text.lower()
    for word, value in sorted(_MINUTE_WORDS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{word}\s+min", lowered):
            return nearest_session_minutes(value)
    if _LONG_TIME.search(text):
        return 20
    if _SHORT_TIME.search(text):
        return 3
    bare = _BARE.match(text)
    if bare_number_ok and bare and 0 < int(bare.group(1)) <= 60:
        return nearest_session_minutes(int(bare.group(1)))
    return None


def parse_mobility(text: str) -> Optional[bool]:
    """True for "I can't get down to the floor", False for "no problem"; None when it says neither."""
    if _LIMITED.search(text):
        return True
    if _MOBILE.search(text):
        return False
    return None


def is_skip(text: str) -> bool:
    """The person wants to skip the questions ("skip", "just give me the routine")."""
    return bool(_SKIP.match(text))


_NUMBER_WORDS = {"zero": 0, "none": 0, "nothing": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def parse_pain(text: str) -> Optional[int]:
    """A 0-10 rating from "5", "about a 6", "4/10", "three"; None when there is none or it is out of range."""
    match = re.search(r"(?<![\d.])(\d{1,2})(?:\s*/\s*10|\s*out\s+of\s+10)?(?![\d.])", text)
    if match:
        value = int(match.group(1))
        return value if 0 <= value <= 10 else None
    for word, value in _NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", text.lower()):
            return value
    return None
