"""A typed answer to a yes/no question: yes, no, a doubt, or not an answer, from the words it opens with.

The cues are reviewed data (data/patterns/answers.yml). Only the opening is read: "no, but I've had a fever"
is a no to the question asked, and the fever is read by the extractor like any other sign, which wins.
An answer that takes itself back or doubts ("no wait, yes", "no... well actually yes, once", "i dont really know
what you mean") is a doubt, never a no; a yes stays a yes.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import yaml

from knotcare.config import DATA_DIR

ANSWERS_FILE = DATA_DIR / "patterns" / "answers.yml"
#: How many words into the answer a taking-back cue is looked for.
TAKEN_BACK_WITHIN = 8


class Answer(Enum):
    """What a typed answer to a yes/no question says."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


def words(text: str) -> List[str]:
    """The answer's words, lower case; punctuation is dropped, apostrophes kept ("don't", "i've")."""
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", (text or "").lower().replace("’", "'"))


@lru_cache(maxsize=2)
def _cues(path: Path = ANSWERS_FILE) -> Tuple[Tuple[Tuple[str, ...], ...], ...]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(tuple(sorted({tuple(words(cue)) for cue in spec[key]}, key=len, reverse=True))
                 for key in ("means_yes", "means_no", "doubt", "taken_back", "reported"))


def _opens_with(said: Sequence[str], cues: Sequence[Tuple[str, ...]]) -> Optional[int]:
    """The length of the cue the answer opens with, or None."""
    return next((len(cue) for cue in cues if cue and tuple(said[:len(cue)]) == cue), None)


def read_answer(text: str, path: Path = ANSWERS_FILE) -> Optional[Answer]:
    """What `text` answers to a yes/no question; None when it opens with no answer at all (a question back,
    a description, another topic)."""
    yes, no, unsure, taken_back, reported = _cues(path)
    said = words(text)
    said = said[_opens_with(said, reported) or 0:]  # "she says yes, ..."
    if _opens_with(said, unsure) is not None:
        return Answer.UNSURE
    if _opens_with(said, yes) is not None:
        return Answer.YES  # even a yes taken back stays one: the safe side
    length = _opens_with(said, no)
    rest = said[length or 0:(length or 0) + TAKEN_BACK_WITHIN]
    if any(tuple(rest[i:i + len(cue)]) == cue for i in range(len(rest)) for cue in taken_back):
        return Answer.UNSURE
    return Answer.NO if length is not None else None


def number_said(text: str) -> Optional[int]:
    """The one whole number from 1 to 120 in `text` ("she's 84", "62 is young to me"), or None (none, or more
    than one: "I'm 49 - 50 next month" is read by the age patterns, not guessed here)."""
    numbers = [int(n) for n in re.findall(r"(?<![\d./])\d{1,3}(?![\d./])", text or "")]
    numbers = [n for n in numbers if 1 <= n <= 120]
    return numbers[0] if len(numbers) == 1 else None
