"""The use case at the end of a step-by-step session: keep its pain before and after, and say what it means."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from knotcare.kb.db import UnitOfWork
from knotcare.progress import Entry


def record_session(uow: UnitOfWork, person: str, routine_id: Optional[str], started_at: dt.datetime,
                   now: dt.datetime, before: int, after: int) -> str:
    """Keep one session's pain before and after under the person's pseudonymous id (committed); the message key
    that says what the change means: better, the same, or worse."""
    uow.progress.add_entry(Entry(person, "session", started_at, routine_id, now, before, after))
    uow.commit()
    return "session_better" if after < before else "session_same" if after == before else "session_worse"
