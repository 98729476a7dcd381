"""Our SQL tracker store on real SQLite and PostgreSQL: the same rows as Rasa's own store, read back the same."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any, Dict, List

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from knotcare.breaker import Unavailable
from stores import tracker as tracker_store
from stores.tracker import ForgetfulSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


@pytest.fixture(params=["sqlite", "postgres"])
def store_kwargs(request, tmp_path: Path) -> Dict[str, Any]:
    if request.param == "sqlite":
        return {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    url = make_url(request.getfixturevalue("postgres_url"))
    return {"dialect": "postgresql", "host": url.host, "port": url.port or 5432, "db": url.database,
            "username": url.username or "postgres", "password": url.password}


def _turn(n: int) -> List[Event]:
    """One turn's events: the message, slots, a reply, back to listening."""
    return [UserUttered(f"message {n} — ünïcode ✓", {"name": "describe_pain", "confidence": 0.9},
                        [{"entity": "body_region", "value": "upper_back", "start": 0, "end": 4}],
                        parse_data={"intent": {"name": "describe_pain", "confidence": 0.9}, "text": f"m {n}"}),
            ActionExecuted("action_extract_pain_facts"),
            SlotSet("pain_severity", n), SlotSet("red_flags", ["chest_pain"] if n == 2 else []),
            ActionExecuted("pain_intake_form"), BotUttered(f"reply {n}", {"buttons": [{"title": "Yes"}]}),
            ActionExecuted("action_listen")]


async def _converse(store: SQLTrackerStore, sender: str, turns: int, domain: Domain) -> List[Event]:
    """Rasa's cycle for each turn: read the conversation, add the turn's events, save; two sessions."""
    everything: List[Event] = []
    for n in range(turns):
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, domain.slots)
        new = ([ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
               if n in (0, turns - 1) else []) + _turn(n)
        for event in new:
            tracker.update(event)
        everything += new
        await store.save(tracker)
    return everything


def _rows(store: SQLTrackerStore, sender: str) -> List[tuple]:
    table = store.SQLEvent.__table__
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(
            sa.select(table.c.type_name, table.c.timestamp, table.c.intent_name, table.c.action_name, table.c.data)
            .where(table.c.sender_id == sender).order_by(table.c.id))]


def _untimed(data: str) -> Dict[str, Any]:
    """An event's stored JSON without its timestamp."""
    return {k: v for k, v in json.loads(data).items() if k != "timestamp"}


def test_same_rows_and_events_as_rasas_store(store_kwargs: Dict[str, Any], domain: Domain) -> None:
    ours = ForgetfulSQLTrackerStore(domain, **store_kwargs)
    rasas = SQLTrackerStore(domain, **store_kwargs)
    try:
        written = asyncio.run(_converse(ours, "ours", 5, domain))
        asyncio.run(_converse(rasas, "rasas", 5, domain))
        # Same columns and values as Rasa writes, but for the timestamps (the events were made at other times).
        strip = [(t, i, a, _untimed(d)) for t, _, i, a, d in _rows(ours, "ours")]
        assert strip == [(t, i, a, _untimed(d)) for t, _, i, a, d in _rows(rasas, "rasas")]
        assert len(strip) == len(written)
        # Rasa's own store reads what ours wrote, in order; and ours reads it the same way.
        full = asyncio.run(rasas.retrieve_full_tracker("ours"))
        assert list(full.events) == written
        assert list(asyncio.run(ours.retrieve_full_tracker("ours")).events) == written
        last_session = asyncio.run(ours.retrieve("ours"))
        assert list(last_session.events) == list(asyncio.run(rasas.retrieve("ours")).events)
        assert last_session.events[0].type_name == "session_started"  # Rasa: from the latest session start
        assert last_session.get_slot("pain_severity") == 4
        assert asyncio.run(ours.retrieve("nobody")) is None
    finally:
        for store in (ours, rasas):
            with store.engine.begin() as connection:
                connection.execute(sa.delete(store.SQLEvent.__table__).where(
                    store.SQLEvent.__table__.c.sender_id.in_(["ours", "rasas"])))
            store.engine.dispose()


def test_a_busy_server_is_not_a_hung_database(store_kwargs: Dict[str, Any], domain: Domain) -> None:
    """The event loop busy past the call timeout (a burst of messages to understand) while a read is in flight: the
    read still answers, and the next call is tried, not refused for the breaker's while."""
    store = ForgetfulSQLTrackerStore(domain, **store_kwargs)

    async def read_while_the_loop_is_busy() -> Any:
        reading = asyncio.ensure_future(store.retrieve("busy"))
        await asyncio.sleep(0)  # the read is under way
        time.sleep(tracker_store.CALL_TIMEOUT_SECONDS + 1)  # the loop does nothing else for that long
        return await reading

    try:
        asyncio.run(_converse(store, "busy", 2, domain))
        tracker = asyncio.run(read_while_the_loop_is_busy())
        assert tracker is not None and tracker.get_slot("pain_severity") == 1
        store.breaker.check()  # not tripped
    finally:
        with store.engine.begin() as connection:
            table = store.SQLEvent.__table__
            connection.execute(sa.delete(table).where(table.c.sender_id == "busy"))
        store.engine.dispose()


def test_a_hung_database_fails_the_turn_and_trips_the_breaker(domain: Domain, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A call that really runs past the timeout in its thread fails, and the next one fails at once."""
    monkeypatch.setattr(tracker_store, "CALL_TIMEOUT_SECONDS", 0.5)
    store = ForgetfulSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    try:
        with pytest.raises(asyncio.TimeoutError):
            asyncio.run(store.bounded(time.sleep, 2))
        with pytest.raises(Unavailable):
            store.breaker.check()
    finally:
        store.engine.dispose()
