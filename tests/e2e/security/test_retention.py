"""Retention on the real tables: `knotcare retention --days 30` on the knowledge base's personal tables (written
through their repositories) and Rasa's SQL tracker store (written by our store), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from knotcare import cli, privacy
from knotcare import schema as t
from knotcare.clinic.tickets import TicketRepository
from knotcare.kb import KnowledgeBase
from knotcare.progress.model import Entry, PlanRecord
from knotcare.progress.repository import ProgressRepository
from stores.tracker import ForgetfulSQLTrackerStore

ROOT = Path(__file__).resolve().parents[3]
NOW = time.time()
OLD, RECENT = NOW - 40 * 86400, NOW - 10 * 86400


def _at(stamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc)


@pytest.fixture(params=["sqlite", "postgres"])
def urls(request, tmp_path: Path) -> Iterator[Tuple[str, Dict[str, Any]]]:
    """The knowledge base's URL and the tracker store's settings, both on one database server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.db'}", {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
        return
    url = request.getfixturevalue("postgres_url")
    parsed = make_url(url)
    engine = sa.create_engine(url, future=True)
    with engine.begin() as connection:  # each run of this test starts from empty tables
        for table in ("events", *(table.name for table in privacy.personal_tables())):
            connection.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()
    yield url, {"dialect": "postgresql", "host": parsed.host, "port": parsed.port or 5432, "db": parsed.database,
                "username": parsed.username or "postgres", "password": parsed.password}


def _session(sender: str, stamp: float, turns: int) -> List[Event]:
    """A session started at `stamp`: its start, then turns a minute apart."""
    events: List[Event] = [ActionExecuted("action_session_start", timestamp=stamp), SessionStarted(timestamp=stamp),
                           ActionExecuted("action_listen", timestamp=stamp)]
    for n in range(turns):
        at = stamp + 60 * (n + 1)
        events += [UserUttered(f"{sender} message {n}", {"name": "describe_pain"}, timestamp=at),
                   SlotSet("pain_severity", n, timestamp=at), BotUttered("ok", timestamp=at),
                   ActionExecuted("action_listen", timestamp=at)]
    return events


def _save(store: ForgetfulSQLTrackerStore, domain: Domain, sender: str, sessions: List[List[Event]]) -> None:
    async def save() -> None:
        for events in sessions:
            tracker = await store.retrieve_full_tracker(sender) or DialogueStateTracker(sender, domain.slots)
            for event in events:
                tracker.update(event)
            await store.save(tracker)
    asyncio.run(save())


def _timestamps(store: ForgetfulSQLTrackerStore, sender: str) -> List[float]:
    table = store.SQLEvent.__table__
    with store.engine.connect() as connection:
        return [row[0] for row in connection.execute(sa.select(table.c.timestamp).where(table.c.sender_id == sender))]


def test_retention_deletes_what_is_older_than_the_limit_and_keeps_the_rest(urls, monkeypatch) -> None:
    kb_url, tracker = urls
    monkeypatch.setenv(privacy.KEY_ENV, "retention-test-key")
    privacy._key.cache_clear()
    kb = KnowledgeBase(kb_url)
    kb.create_schema()
    with kb.unit_of_work() as uow:
        progress, tickets = ProgressRepository(uow.session), TicketRepository(uow.session)
        for who, stamp in (("old", OLD), ("recent", RECENT)):
            pid = privacy.person_id(who)
            progress.add_plan(PlanRecord(pid, "upper_back_gentle", "self_care", _at(stamp)))
            progress.add_entry(Entry(pid, "session", _at(stamp), "upper_back_gentle", _at(stamp + 600), 6, 3))
            tickets.add(who, "asked", {"region": "neck"}, _at(stamp))
        uow.commit()

    domain = Domain.load(str(ROOT / "domain"))
    store = ForgetfulSQLTrackerStore(domain, **tracker)
    try:
        _save(store, domain, "old", [_session("old", OLD, 2)])
        _save(store, domain, "recent", [_session("recent", RECENT, 2)])
        # Someone who keeps chatting: an old session, then a new one.
        _save(store, domain, "chatty", [_session("chatty", OLD, 2), _session("chatty", RECENT, 2)])
        tracker_url = store.engine.url.render_as_string(hide_password=False)

        assert cli.main(["--database-url", kb_url, "retention", "--days", "30", "--tracker-url", tracker_url]) == 0

        assert _timestamps(store, "old") == []
        assert len(_timestamps(store, "recent")) == len(_session("recent", RECENT, 2))
        assert _timestamps(store, "chatty") and min(_timestamps(store, "chatty")) >= RECENT
        # The current session is read back whole.
        latest = asyncio.run(store.retrieve("chatty"))
        assert latest is not None and latest.get_slot("pain_severity") == 1
        with kb.engine.connect() as connection:
            written = {t.handoff_tickets.name, t.person_plans.name, t.progress_entries.name}
            for table in privacy.personal_tables():
                people = set(connection.execute(sa.select(table.c.person_id)).scalars())
                assert people == ({privacy.person_id("recent")} if table.name in written else set()), table.name
    finally:
        store.engine.dispose()
        kb.dispose()
        privacy._key.cache_clear()


def test_every_personal_table_declares_its_date_column() -> None:
    assert privacy.personal_tables()
    for table in privacy.personal_tables():
        column = privacy.date_column(table)
        assert isinstance(column.type, sa.DateTime), table.name
    undeclared = sa.Table("undeclared", sa.MetaData(), sa.Column("person_id", sa.String(64)),
                          sa.Column("created_at", sa.DateTime), info={"personal": True})
    with pytest.raises(ValueError, match="undeclared"):
        privacy.expire_personal_rows(sa.create_engine("sqlite://"), 30, personal=[t.person_plans, undeclared])
