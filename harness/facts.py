"""The four intake facts, labelled blind: is each one read as people type it, and is nothing read that was not said?

The set (tests/nlu/blind_facts/messages.yml) holds first messages and answers to each of the intake form's
questions (where, what it feels like, how long, how bad), labelled from the contract alone with the facts they
state. A first message is sent as the first message of a conversation; an answer is sent when the form has asked
its question, after an opener for its subject ("I've got a knot", "my partner has a knot") and the buttons'
own answers to the questions before it. The facts are read from the tracker's slots (contract).

Scoring, for each fact a case states: right (the slot holds the value, one of the values, or a number in the
range), wrong (another value) or missed (no value). For each fact a case does not state, and that the form had
not filled before it: a false fill when the slot holds a value. A number of days is right within 10% (a month is
28 to 31 days). A gold `back` is right for any part of the back, as in the real-phrase sets, and for "back" read
while the form asks which part (the contract's `back`: the slot waits for the part, `region_hint` holds "back").
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from harness.real_phrases import BACK_PARTS
from harness.vignettes import Assistant

#: The form's questions, in the order it asks them.
FACTS = ("body_region", "pain_quality", "pain_duration_days", "pain_severity")

#: The buttons' answers to each question, sent to reach a later one (data/kb/messages.yml).
BUTTONS = {
    "pain_quality": '/describe_pain{"pain_quality":"dull_ache"}',
    "pain_duration_days": '/describe_pain{"duration":"1 week"}',
    "pain_severity": '/describe_pain{"severity":"5/10"}',
}

#: Openers written for the harness (not part of the set): a knot with no part named, or in the neck, per subject.
OPENERS = {
    ("self", False): "I have a really painful knot",
    ("self", True): "I have a really painful knot in my neck",
    ("other", False): "I'm asking for my husband, he has a really painful knot",
    ("other", True): "my husband has a really painful knot in his neck",
}


@dataclass(frozen=True)
class FactCase:
    """One message with the facts it states (a value, a list of values or a [lo, hi] range; absent: not stated)."""

    id: str
    asked: str
    text: str
    subject: str
    gold: Dict[str, Any]


@dataclass
class FactReading:
    """The slots after the message, and which facts the form had filled before it."""

    case: FactCase
    slots: Dict[str, Any]
    prefilled: frozenset = frozenset()
    verdicts: Dict[str, str] = field(default_factory=dict)


def load_cases(path: Path) -> List[FactCase]:
    """Read the labelled set."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return [FactCase(id=str(r["id"]), asked=str(r.get("asked") or "none"), text=str(r["text"]),
                     subject=r.get("subject") or "self",
                     gold={k: r[k] for k in FACTS if r.get(k) is not None}) for r in rows]


def _matches(fact: str, gold: Any, value: Any) -> bool:
    if fact in ("pain_duration_days", "pain_severity"):
        low, high = (gold if isinstance(gold, list) else (gold, gold))
        slack = max(0.5, 0.1 * float(high)) if fact == "pain_duration_days" else 0
        return float(low) - slack <= float(value) <= float(high) + slack
    options = gold if isinstance(gold, list) else [gold]
    return value in options or ("back" in options and value in BACK_PARTS)


def judge(reading: FactReading) -> Dict[str, str]:
    """Each fact's verdict: right, wrong, missed, false (filled, not stated) or empty ('' when not scored)."""
    verdicts = {}
    for fact in FACTS:
        gold, value = reading.case.gold.get(fact), reading.slots.get(fact)
        if fact == "body_region" and value is None:
            value = reading.slots.get("region_hint")
        if gold is None:
            verdicts[fact] = "false" if value is not None and fact not in reading.prefilled else ""
        elif value is None:
            verdicts[fact] = "missed"
        else:
            verdicts[fact] = "right" if _matches(fact, gold, value) else "wrong"
    return verdicts


def read(assistant: Assistant, case: FactCase, sender: str) -> FactReading:
    """Hold the case's conversation up to its question, send it, read the slots."""
    prefilled: set = set()
    if case.asked != "none":
        assistant.say(sender, OPENERS[(case.subject, case.asked != "body_region")])
        for _ in range(4):
            requested = assistant.slots(sender).get("requested_slot")
            if requested == case.asked or requested not in BUTTONS:
                break
            assistant.say(sender, BUTTONS[requested])
        prefilled = {f for f, v in assistant.slots(sender).items() if f in FACTS and v is not None}
    assistant.say(sender, case.text)
    reading = FactReading(case, assistant.slots(sender), frozenset(prefilled))
    reading.verdicts = judge(reading)
    return reading


def read_all(assistant: Assistant, cases: Sequence[FactCase]) -> List[FactReading]:
    """Every case held once, four conversations at a time."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda c: read(assistant, c, f"facts-{uuid.uuid4().hex[:10]}"), cases))


def tally(readings: Sequence[FactReading]) -> Dict[str, Dict[str, int]]:
    """For each fact, how many verdicts of each kind, and how many cases stated it."""
    table: Dict[str, Dict[str, int]] = {}
    for fact in FACTS:
        row = {"stated": 0, "right": 0, "wrong": 0, "missed": 0, "false": 0, "unstated": 0}
        for r in readings:
            verdict = r.verdicts[fact]
            if fact in r.case.gold:
                row["stated"] += 1
            elif fact not in r.prefilled:
                row["unstated"] += 1
            if verdict:
                row[verdict] += 1
        table[fact] = row
    return table


def answer_reached(reading: FactReading) -> Optional[bool]:
    """None for a first message; else whether the form was asking the case's question when it was sent."""
    return None if reading.case.asked == "none" else reading.case.asked not in reading.prefilled
