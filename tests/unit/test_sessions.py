"""The end-of-session use case on a fake unit of work: one entry kept, committed, and the change in words."""

from __future__ import annotations

import datetime as dt
from typing import Any, List

import pytest

from knotcare.sessions import record_session

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone.utc)


class FakeProgress:
    def __init__(self) -> None:
        self.entries: List[Any] = []

    def add_entry(self, entry: Any) -> None:
        self.entries.append(entry)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.progress = FakeProgress()
        self.committed = False

    def commit(self) -> None:
        self.committed = True


@pytest.mark.parametrize("before, after, key", [(6, 3, "session_better"), (5, 5, "session_same"),
                                                (3, 6, "session_worse")])
def test_a_session_is_kept_and_its_change_named(before: int, after: int, key: str) -> None:
    uow = FakeUnitOfWork()
    started = NOW - dt.timedelta(minutes=12)
    assert record_session(uow, "p1", "neck_side", started, NOW, before, after) == key  # type: ignore[arg-type]
    assert uow.committed and len(uow.progress.entries) == 1
    entry = uow.progress.entries[0]
    assert (entry.person_id, entry.kind, entry.routine_id, entry.pain_before, entry.pain_after) == \
        ("p1", "session", "neck_side", before, after)
