"""Real messages, labelled blind: region recall, false regions and subject accuracy on the running assistant.

The set (tests/nlu/real_phrases/messages.yml) holds messages real people wrote in public health corpora,
each labelled from the contract alone for the regions it names and whose pain it is. Regions are read
with `POST /model/parse`; the subject from the tracker after the message is sent over REST.

Sets that also label the red flags each message affirms and the least level it demands (the blind
openers, tests/nlu/blind_openers) are scored on those too, from the tracker after that one message: a
red flag is acted on at once (contract), so a message whose gold level is emergency or urgent must have
been decided at that level or a more urgent one already.

A message that names a region must also be taken up: the reply to it is not one of the assistant's replies for a
message it did not understand (`NOT_UNDERSTOOD`: "didn't follow", or, for a question about the neck or back that
is not ours, what we do and who can answer it), whatever the classifier made of it ("ive got a knot in my mid
back" read as a yes once got "didn't follow", with the region read).

Scoring, by value: a gold region is recalled when the parse has it, or, for a gold `back` (no part said),
any part of the back. A predicted region is false when the gold names no such region; a predicted `back`
is not false when the gold names any part of the back.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Set

import yaml

from harness.vignettes import SERIOUS, Assistant
from knotcare.kb.seed import words
from knotcare.triage.engine import urgency

BACK_PARTS = frozenset({"back", "upper_back", "mid_back", "lower_back"})


@dataclass(frozen=True)
class RealMessage:
    """One message as written, with its blind labels."""

    id: str
    text: str
    regions: frozenset
    subject: str
    #: the red-flag codes affirmed in it, when the set labels them (None: not labelled)
    red_flags: Optional[frozenset] = None
    #: the least level it demands on its own (emergency or urgent), when it has red flags
    level: Optional[str] = None


@dataclass(frozen=True)
class Reading:
    """What the assistant read in one message."""

    message: RealMessage
    regions: frozenset
    subject: str
    red_flags: frozenset = frozenset()
    #: the triage level decided after this one message, or None
    level: Optional[str] = None
    #: the reply was one for a message not understood
    not_understood: bool = False

    @property
    def dangerous_miss(self) -> bool:
        """A message that demands emergency or urgent care got no decision, or a less urgent one."""
        gold = self.message.level
        return gold in SERIOUS and (self.level is None or urgency(self.level) > urgency("urgent"))

    @property
    def under_triaged(self) -> bool:
        """Decided less urgently than the message demands (or not at all)."""
        gold = self.message.level
        return gold is not None and (self.level is None or urgency(self.level) > urgency(gold))

    @property
    def recalled(self) -> Set[str]:
        """The gold regions the assistant read."""
        return {g for g in self.message.regions
                if g in self.regions or (g == "back" and self.regions & BACK_PARTS)}

    @property
    def false_regions(self) -> Set[str]:
        """Regions read that the message does not name."""
        gold = self.message.regions
        return {r for r in self.regions if r not in gold and not (r == "back" and gold & BACK_PARTS)}


def load_messages(path: Path) -> List[RealMessage]:
    """Read the labelled set."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    return [RealMessage(id=str(r["id"]), text=str(r["text"]), regions=frozenset(r.get("regions") or ()),
                        subject=r.get("subject") or "self",
                        red_flags=frozenset(r["red_flags"] or ()) if "red_flags" in r else None,
                        level=r.get("level")) for r in rows]


#: The keys of the replies to a message not understood (data/kb/messages.yml).
NOT_UNDERSTOOD = ("default", "not_understood_region", "not_understood_region_for_other")


@lru_cache(maxsize=1)
def not_understood_replies() -> FrozenSet[str]:
    """The texts of those replies, read once."""
    return frozenset(words()[key] for key in NOT_UNDERSTOOD)


def read(assistant: Assistant, message: RealMessage, sender: str) -> Reading:
    """Parse the message for its regions; send it as the first message of a conversation for its subject."""
    response = assistant.http.post(f"{assistant.rasa_url}/model/parse", params={"token": assistant.token},
                                   json={"text": message.text}, timeout=60)
    response.raise_for_status()
    entities: List[Dict[str, Any]] = response.json().get("entities") or []
    regions = frozenset(e["value"] for e in entities if e.get("entity") == "body_region")
    replies = assistant.say(sender, message.text)
    slots = assistant.slots(sender)
    return Reading(message, regions, slots.get("subject") or "self", frozenset(slots.get("red_flags") or ()),
                   slots.get("triage_level"), any(r.get("text") in not_understood_replies() for r in replies))


def read_all(assistant: Assistant, messages: Sequence[RealMessage]) -> List[Reading]:
    """Every message read, four at a time, each the first message of a conversation of its own."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda m: read(assistant, m, f"real-{uuid.uuid4().hex[:10]}"), messages))


@dataclass(frozen=True)
class Figures:
    """The real-language figures the Safety section reports."""

    messages: int
    gold_regions: int
    recalled: int
    with_false_region: int
    subject_right: int
    #: messages labelled with red flags (0 when the set does not label them)
    flagged: int = 0
    #: of those, messages where at least one red flag was read
    flag_read: int = 0
    #: labelled messages with no red flag in which one was read
    unflagged: int = 0
    false_flag: int = 0
    #: messages with a gold level (emergency or urgent), and those decided at it or above after that message
    serious: int = 0
    serious_in_time: int = 0
    dangerous_misses: int = 0
    #: messages that name a region, and those of them not understood
    with_region: int = 0
    region_not_understood: int = 0

    @property
    def recall(self) -> float:
        """Share of gold regions read."""
        return self.recalled / self.gold_regions if self.gold_regions else 0.0

    @property
    def false_rate(self) -> float:
        """Share of all messages with at least one region they do not name."""
        return self.with_false_region / self.messages if self.messages else 0.0

    @property
    def subject_rate(self) -> float:
        """Share of messages whose subject was read right."""
        return self.subject_right / self.messages if self.messages else 0.0


def figures(readings: Sequence[Reading]) -> Figures:
    """Sum the readings up."""
    labelled = [r for r in readings if r.message.red_flags is not None]
    flagged = [r for r in labelled if r.message.red_flags]
    unflagged = [r for r in labelled if not r.message.red_flags]
    serious = [r for r in readings if r.message.level in SERIOUS]
    return Figures(messages=len(readings), gold_regions=sum(len(r.message.regions) for r in readings),
                   recalled=sum(len(r.recalled) for r in readings),
                   with_false_region=sum(bool(r.false_regions) for r in readings),
                   subject_right=sum(r.subject == r.message.subject for r in readings),
                   flagged=len(flagged), flag_read=sum(bool(r.red_flags) for r in flagged),
                   unflagged=len(unflagged), false_flag=sum(bool(r.red_flags) for r in unflagged),
                   serious=len(serious), serious_in_time=sum(not r.under_triaged for r in serious),
                   dangerous_misses=sum(r.dangerous_miss for r in serious),
                   with_region=sum(bool(r.message.regions) for r in readings),
                   region_not_understood=sum(bool(r.message.regions) and r.not_understood for r in readings))
