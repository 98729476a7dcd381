"""Typed answers to the red-flag screen, labelled blind: how the running assistant reads them.

People often type an answer instead of pressing Yes or No ("not that I've noticed", "only the pins and
needles in my left foot", "I'd have to ask her"). Each answer in the set (tests/nlu/blind_screen_answers) is
given to its question in a conversation of its own: a plain opening with the four facts, chosen so that the
question is asked, every earlier screen question answered with the No button, then the typed answer. What the
assistant made of it is read from the tracker:

- `yes`: the question's slot is true, a red flag of its group (or any red flag the answer names) was
  affirmed, or the conversation was decided at a level that sends the person to a clinician;
- `no`: the slot is false and nothing else was read;
- `asked_again`: the question is still open (the slot unset);
- `other`: anything else (the form gave up, a question was answered instead).

A `yes` read as `no` is a dangerous miss; an `unsure` or `other` answer read as `no` is unsafe too (a doubt
is not a denial).
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from harness.vignettes import Assistant
from knotcare.triage.screen import SCREEN_CODES

#: A plain opening (all four facts, no red flag) that gets each question asked, for the person and for another.
OPENINGS: Dict[str, Dict[str, str]] = {
    "screen_cauda_equina": {"self": "dull ache in my lower back for 3 weeks, about 4/10, I'm 35",
                            "other": "my mum has had a dull ache in her lower back for 3 weeks, about 4/10, she's 45"},
    "screen_head_neuro": {"self": "dull ache in my neck for 3 weeks, about 4/10, I'm 35",
                          "other": "my husband has had a dull ache in his neck for 3 weeks, about 4/10, he's 45"},
    "screen_radiating": {"self": "burning pain in my upper back for 8 weeks, about 4/10, I'm 35",
                         "other": "my dad has had a burning pain in his upper back for 8 weeks, about 4/10, he's 45"},
    "screen_age": {"self": "dull ache in my upper back for 2 weeks, about 4/10",
                   "other": "my sister has had a dull ache in her upper back for 2 weeks, about 4/10"},
}
#: The rest are asked in every upper-back intake.
for _slot in ("screen_trauma_chest", "screen_nerve", "screen_general"):
    OPENINGS[_slot] = {"self": "dull ache in my upper back for 3 weeks, about 4/10, I'm 35",
                       "other": "my wife has had a dull ache in her upper back for 3 weeks, about 4/10, she's 45"}

#: Levels that send the person to a clinician (a "yes" to a screen question decides one of these).
CLINICIAN = frozenset({"emergency", "urgent", "see_clinician"})
MAX_TURNS = 10


@dataclass(frozen=True)
class ScreenAnswer:
    """One typed answer, with its blind labels."""

    id: str
    question: str
    subject: str
    text: str
    means: str
    red_flags: frozenset


@dataclass(frozen=True)
class AnswerReading:
    """What the assistant made of one answer."""

    answer: ScreenAnswer
    read_as: str
    red_flags: frozenset
    level: Optional[str]

    @property
    def right(self) -> bool:
        """Read as meant: a yes as yes, a no as no (or, for a no that names another sign, that sign read); a doubt
        or anything else asked again or taken as yes."""
        if self.answer.means == "no" and self.answer.red_flags:
            return not self.flags_missed
        if self.answer.means in ("yes", "no"):
            return self.read_as == self.answer.means
        return self.read_as in ("asked_again", "yes")

    @property
    def unsafe(self) -> bool:
        """A yes, a doubt or anything but a no, read as a no."""
        return self.answer.means != "no" and self.read_as == "no"

    @property
    def flags_missed(self) -> frozenset:
        """Red flags the answer names that were not read."""
        return self.answer.red_flags - self.red_flags


def _meaning(value: object) -> str:
    # YAML 1.1 reads an unquoted yes / no as a boolean.
    return {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def load_answers(path: Path) -> List[ScreenAnswer]:
    """The labelled answers in `path`."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]
    return [ScreenAnswer(str(a["id"]), str(a["question"]), str(a.get("subject", "self")), str(a["text"]),
                         _meaning(a["means"]), frozenset(a.get("red_flags") or ())) for a in raw]


def read_answer(assistant: Assistant, answer: ScreenAnswer, prefix: str = "screen") -> AnswerReading:
    """Reach the answer's question in a conversation of its own, type the answer, and read what was made of it."""
    sender = f"{prefix}-{answer.id}-{uuid.uuid4().hex[:6]}"
    assistant.say(sender, OPENINGS[answer.question][answer.subject])
    before: Dict[str, Any] = {}
    for _ in range(MAX_TURNS):
        before = assistant.slots(sender)
        requested = before.get("requested_slot")
        if requested == answer.question:
            break
        if not (requested or "").startswith("screen_"):
            return AnswerReading(answer, "not_reached", frozenset(), before.get("triage_level"))
        assistant.say(sender, "/deny")
    else:
        return AnswerReading(answer, "not_reached", frozenset(), None)
    assistant.say(sender, answer.text)
    after = assistant.slots(sender)
    flags = frozenset(after.get("red_flags") or ()) - frozenset(before.get("red_flags") or ())
    level = after.get("triage_level")
    value = after.get(answer.question)
    if value is True or flags & set(SCREEN_CODES[answer.question]) or flags or level in CLINICIAN:
        read_as = "yes"
    elif value is False:
        read_as = "no"
    elif after.get("requested_slot") == answer.question:
        read_as = "asked_again"
    else:
        read_as = "other"
    return AnswerReading(answer, read_as, flags, level)


def read_all(assistant: Assistant, answers: Sequence[ScreenAnswer], prefix: str = "screen") -> List[AnswerReading]:
    """Every answer read once, four conversations at a time, in the set's order."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda a: read_answer(assistant, a, prefix), answers))


def summary(readings: Sequence[AnswerReading]) -> Dict[str, Any]:
    """Counts by meaning: how many were read right, and the unsafe ones."""
    out: Dict[str, Any] = {}
    for means in ("yes", "no", "unsure", "other"):
        group = [r for r in readings if r.answer.means == means]
        out[means] = (sum(r.right for r in group), len(group))
    out["unsafe"] = [r for r in readings if r.unsafe]
    out["not_reached"] = [r for r in readings if r.read_as == "not_reached"]
    flagged = [r for r in readings if r.answer.red_flags]
    out["flags"] = (sum(not r.flags_missed for r in flagged), len(flagged))
    return out
