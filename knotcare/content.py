"""The reviewed content as plain, immutable Python objects (no database, no Rasa)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Optional, Tuple

#: The key suffix of a message's variant worded for someone writing for another person (the contract's subject).
FOR_OTHER = "_for_other"
#: A reviewed message by key with its `{name}` placeholders filled in: said(key, **values) -> text.
Wording = Callable[..., str]
#: The five regions a routine can be for, in the contract's words.
REGIONS = ("neck", "shoulders", "upper_back", "mid_back", "lower_back")


#: Where a routine's step is done (data/kb/routines.yml `place`).
PLACES = ("anywhere", "chair", "standing", "wall", "floor")


@dataclass(frozen=True)
class Step:
    """One instruction of a routine, with its dose where it has one."""

    kind: str
    text: str
    tool: Optional[str] = None
    hold_min: Optional[int] = None
    hold_max: Optional[int] = None
    repetitions: Optional[int] = None
    rest_seconds: Optional[int] = None
    #: where the body is: chair, standing, wall, floor, or anywhere (wherever the step before left you)
    place: str = "anywhere"

    @property
    def needs_floor_or_wall(self) -> bool:
        """Whether someone who can't get down to the floor or lean on a wall can't do this step as written."""
        return self.place in ("floor", "wall")


@dataclass(frozen=True)
class Routine:
    """A self-massage routine for one or more regions."""

    id: str
    title: str
    regions: Tuple[str, ...]
    muscles: Tuple[str, ...]
    tools: Tuple[str, ...]
    steps: Tuple[Step, ...]
    cautions: Tuple[str, ...]
    minutes: int
    pressure: str
    frequency: str
    warm_up: str
    aftercare: str
    why: str
    source: str
    gentle: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Tool:
    """Something to press with, and how to choose and use it."""

    id: str
    name: str
    good_for: str
    how_to_use: str
    buying_tips: Optional[str]
    cautions: Tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Answer:
    """The answer to a common question, with optional extra lines per region."""

    topic: str
    text: str
    source: str
    region_notes: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Referral:
    """Where a muscle commonly sends its pain."""

    muscle: str
    pain_areas: Tuple[str, ...]
    regions: Tuple[str, ...]
    routine_ids: Tuple[str, ...]
    note: str
    source: str


@dataclass(frozen=True)
class Message:
    """Something the assistant says from an action, with optional buttons (title, payload)."""

    key: str
    text: str
    buttons: Tuple[Dict[str, str], ...] = ()

    def format(self, **values: object) -> str:
        """The text with `{name}` placeholders filled in."""
        return self.text.format(**values) if values else self.text
