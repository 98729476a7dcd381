"""What is stored about a person's self-care, as plain objects (no database, no Rasa)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, overload


def utcnow() -> dt.datetime:
    """Now, in UTC, timezone-aware (every stored time is UTC)."""
    return dt.datetime.now(dt.timezone.utc)


@overload
def as_utc(value: dt.datetime) -> dt.datetime: ...


@overload
def as_utc(value: None) -> None: ...


def as_utc(value: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """SQLite gives back naive datetimes: they were stored as UTC, so say so."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


@dataclass(frozen=True)
class PlanRecord:
    """A plan the person was given."""

    person_id: str
    routine_id: str
    triage_level: str
    given_at: dt.datetime
    preferences: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """A session (pain before and after) or a check-in (how it has been since)."""

    person_id: str
    kind: str
    started_at: dt.datetime
    routine_id: Optional[str] = None
    finished_at: Optional[dt.datetime] = None
    pain_before: Optional[int] = None
    pain_after: Optional[int] = None
    notes: str = ""


@dataclass(frozen=True)
class PendingCheckIn:
    """An unprompted check-in that is due: whose, where to send it, and when."""

    person_id: str
    conversation: str
    due_at: dt.datetime
    reply_to: Optional[str] = None
