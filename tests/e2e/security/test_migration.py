"""Conversations and personal rows stored under the ids from before each channel had its own namespace move
to `telegram:…`, `slack:<team>:…` and `web:…`: on the real tables (Rasa's SQL tracker store, the knowledge
base's personal tables) in SQLite and PostgreSQL, and a second run moves nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any, Dict

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url

from knotcare import identity
from knotcare.clinic.tickets import TicketRepository, conversation_path
from knotcare.kb import KnowledgeBase
from knotcare.privacy import person_id
from knotcare.progress import Entry, PlanRecord
from stores.tracker import ForgetfulSQLTrackerStore

ROOT = Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(params=["sqlite", "postgres"])
def stores(request, tmp_path: Path):
    """A tracker store and a seeded knowledge base on the same kind of database."""
    if request.param == "sqlite":
        kb = request.getfixturevalue("sqlite_kb")
        kwargs: Dict[str, Any] = {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
        url = f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        kb = request.getfixturevalue("postgres_kb")
        pg = make_url(request.getfixturevalue("postgres_url"))
        kwargs = {"dialect": "postgresql", "host": pg.host, "port": pg.port or 5432, "db": pg.database,
                  "username": pg.username or "postgres", "password": pg.password}
        url = URL.create("postgresql", username=pg.username or "postgres", password=pg.password, host=pg.host,
                         port=pg.port or 5432, database=pg.database).render_as_string(hide_password=False)
    store = ForgetfulSQLTrackerStore(Domain.load(str(ROOT / "domain")), **kwargs)
    engine = create_engine(url, future=True)
    yield store, engine, kb
    engine.dispose()


async def _talk(store: ForgetfulSQLTrackerStore, sender: str, channel: str) -> None:
    tracker = DialogueStateTracker(sender, store.domain.slots)
    for event in (ActionExecuted("action_listen"), UserUttered("knot in my neck", input_channel=channel),
                  ActionExecuted("action_listen")):
        tracker.update(event)
    await store.save(tracker)


def _personal(kb: KnowledgeBase, sender: str) -> None:
    with kb.unit_of_work() as uow:
        uow.progress.add_plan(PlanRecord(person_id(sender), "neck_side", "self_care", NOW))
        uow.progress.add_entry(Entry(person_id(sender), "session", NOW, "neck_side", NOW, 6, 3))
        uow.commit()
    with kb.unit_of_work() as uow:
        TicketRepository(uow.session).add(sender, "asked", {"region": "neck"}, NOW)
        uow.commit()


def _held(kb: KnowledgeBase, sender: str) -> Dict[str, Any]:
    with kb.unit_of_work() as uow:
        ticket = TicketRepository(uow.session).open_for(sender)
        return {"plans": len(uow.progress.plans(person_id(sender))),
                "entries": len(uow.progress.entries(person_id(sender))),
                "ticket": ticket.conversation if ticket else None}


async def test_old_ids_move_to_their_channels_namespace_with_their_rows(stores) -> None:
    store, engine, kb = stores
    tag = uuid.uuid4().hex[:6]
    old = {"telegram": f"5{tag}", "slack": f"U{tag.upper()}", "socketio": f"{tag}" * 5, "rest": f"rest-{tag}"}
    for channel, sender in old.items():
        await _talk(store, sender, channel)
        _personal(kb, sender)
    new = {"telegram": f"telegram:{old['telegram']}", "slack": f"slack:T0TEAM:{old['slack']}",
           "socketio": f"web:{old['socketio']}", "rest": old["rest"]}
    assert set(identity.unmoved(engine)) >= {old["telegram"], old["slack"], old["socketio"]}

    moved = identity.migrate_ids(engine, kb.engine, slack_team="T0TEAM")

    assert moved.conversations >= 3 and moved.events >= 9 and moved.personal_rows >= 9
    assert identity.unmoved(engine) == []
    for channel in ("telegram", "slack", "socketio"):
        assert await store.retrieve(old[channel]) is None, channel
        tracker = await store.retrieve(new[channel])
        assert tracker is not None and tracker.latest_message.text == "knot in my neck", channel
        assert _held(kb, new[channel]) == {"plans": 1, "entries": 1, "ticket": conversation_path(new[channel])}
        assert _held(kb, old[channel]) == {"plans": 0, "entries": 0, "ticket": None}
    # A REST conversation keeps its id and its rows.
    assert (await store.retrieve(old["rest"])).latest_message.text == "knot in my neck"
    assert _held(kb, old["rest"]) == {"plans": 1, "entries": 1, "ticket": conversation_path(old["rest"])}
    # Run again: nothing left to move, nothing changed.
    again = identity.migrate_ids(engine, kb.engine, slack_team="T0TEAM")
    assert (again.conversations, again.events, again.personal_rows) == (0, 0, 0)
    assert _held(kb, new["telegram"])["plans"] == 1
