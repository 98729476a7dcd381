"""Real messages, labelled blind: region recall, false regions and subject accuracy on the running assistant.

The set (tests/nlu/real_phrases/messages.yml) holds messages real people wrote in public health corpora,
each labelled from the contract alone for the regions it names and whose pain it is. Regions are read
with `POST /model/parse`; the subject from the tracker after the message is sent over REST.

Scoring, by value: a gold region is recalled when the parse has it, or, for a gold `back` (no part said),
any part of the back. A predicted region is false when the gold names no such region; a predicted `back`
is not false when the gold names any part of the back.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Sequence, Set

import yaml

from knotcare.vignettes import Assistant

BACK_PARTS = frozenset({"back", "upper_back", "mid_back", "lower_back"})


@dataclass(frozen=True)
class RealMessage:
    """One message as written, with its blind labels."""

    id: str
    text: str
    regions: frozenset
    subject: str


@dataclass(frozen=True)
class Reading:
    """What the assistant read in one message."""

    message: RealMessage
    regions: frozenset
    subject: str

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
                        subject=r.get("subject") or "self") for r in rows]


def read(assistant: Assistant, message: RealMessage, sender: str) -> Reading:
    """Parse the message for its regions; send it as the first message of a conversation for its subject."""
    response = assistant.http.post(f"{assistant.rasa_url}/model/parse", params={"token": assistant.token},
                                   json={"text": message.text}, timeout=60)
    response.raise_for_status()
    entities: List[Dict[str, Any]] = response.json().get("entities") or []
    regions = frozenset(e["value"] for e in entities if e.get("entity") == "body_region")
    assistant.say(sender, message.text)
    subject = assistant.slots(sender).get("subject") or "self"
    return Reading(message, regions, subject)


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
    return Figures(messages=len(readings), gold_regions=sum(len(r.message.regions) for r in readings),
                   recalled=sum(len(r.recalled) for r in readings),
                   with_false_region=sum(bool(r.false_regions) for r in readings),
                   subject_right=sum(r.subject == r.message.subject for r in readings))
