"""Repositories against real databases: a fresh SQLite file and this run's PostgreSQL database."""

from __future__ import annotations

import pytest

from knotcare.kb import KnowledgeBase
from knotcare.kb.seed import ensure_seeded, seed


@pytest.fixture(params=["sqlite", "postgres"])
def kb(request) -> KnowledgeBase:
    return request.getfixturevalue(f"{request.param}_kb")


def test_routines_round_trip(kb: KnowledgeBase, content) -> None:
    with kb.unit_of_work() as uow:
        stored = {r.id: r for r in uow.routines.all()}
    assert stored == {r.id: r for r in content.routines}


def test_routines_for_a_region(kb: KnowledgeBase) -> None:
    with kb.unit_of_work() as uow:
        lower = uow.routines.for_region("lower_back")
        gentle = uow.routines.for_region("lower_back", gentle=True)
    assert [r.id for r in lower] == ["lower_back_beside_spine"]
    assert gentle and all(r.gentle for r in gentle)


def test_rules_keep_their_reviewed_order(kb: KnowledgeBase, content) -> None:
    with kb.unit_of_work() as uow:
        assert uow.rules.all() == list(content.rules)


def test_answers_messages_tools_referrals(kb: KnowledgeBase, content) -> None:
    with kb.unit_of_work() as uow:
        assert uow.answers.get("ask_hold_time").text
        assert uow.answers.get("no_such_topic") is None
        assert uow.messages.get("emergency").text
        with pytest.raises(KeyError):
            uow.messages.get("no_such_message")
        assert {t.id for t in uow.tools.all()} == {t.id for t in content.tools}
        assert uow.referrals.for_muscle("upper_trapezius") is not None


def test_seeding_again_replaces_and_does_not_duplicate(kb: KnowledgeBase, content) -> None:
    seed(kb, content)
    with kb.unit_of_work() as uow:
        assert len(uow.routines.all()) == len(content.routines)
        assert len(uow.rules.all()) == len(content.rules)
    assert ensure_seeded(kb) is False  # up to date: nothing to do


def test_a_failed_unit_of_work_rolls_back(kb: KnowledgeBase) -> None:
    with pytest.raises(RuntimeError):
        with kb.unit_of_work() as uow:
            uow.meta.set("probe", "written")
            raise RuntimeError("boom")
    with kb.unit_of_work() as uow:
        assert uow.meta.get("probe") is None


def test_an_empty_database_is_seeded_on_demand(tmp_path) -> None:
    kb = KnowledgeBase(f"sqlite:///{tmp_path / 'empty.db'}")
    assert ensure_seeded(kb) is True
    with kb.unit_of_work() as uow:
        assert uow.routines.all()
    kb.dispose()


def test_content_tables_with_an_old_column_set_are_rebuilt_and_reseeded(kb: KnowledgeBase, content) -> None:
    """A knowledge base seeded before a content column existed is rebuilt by the next seed, not left broken."""
    from sqlalchemy import text

    with kb.engine.begin() as connection:
        connection.execute(text("ALTER TABLE triage_rules DROP COLUMN message_for_other"))
    assert ensure_seeded(kb)
    with kb.unit_of_work() as uow:
        assert uow.rules.all() == list(content.rules)
    assert not ensure_seeded(kb)


def test_a_failed_statement_never_shows_its_values(kb: KnowledgeBase) -> None:
    """hide_parameters: the error of a failed insert (what a log would print) holds no personal value."""
    from sqlalchemy import insert
    from sqlalchemy.exc import SQLAlchemyError

    from knotcare import schema as tables

    marker = "Zqx-private-Ümlaut-marker"
    with pytest.raises(SQLAlchemyError) as failed, kb.unit_of_work() as uow:
        uow.session.execute(insert(tables.kb_meta), [{"key": "k", "value": marker}, {"key": "k", "value": marker}])
        uow.commit()
    assert marker not in str(failed.value)


def test_a_personal_table_gains_its_new_column_and_keeps_its_rows(kb: KnowledgeBase) -> None:
    """A tickets table made before `slack_error` existed gets the column at the next start; no ticket is lost."""
    import datetime as dt

    from sqlalchemy import text

    from knotcare.clinic.tickets import TicketRepository

    kb.create_schema()
    with kb.unit_of_work() as uow:
        ticket = TicketRepository(uow.session).add("someone", "asked", {"region": "neck"},
                                                   dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
        uow.commit()
    with kb.engine.begin() as connection:
        connection.execute(text("ALTER TABLE handoff_tickets DROP COLUMN slack_error"))
    kb.create_schema()
    with kb.unit_of_work() as uow:
        repo = TicketRepository(uow.session)
        repo.set_slack_error(ticket.id, "not_in_channel")
        uow.commit()
        again = repo.get(ticket.id)
    assert again is not None and again.summary == {"region": "neck"} and again.slack_error == "not_in_channel"
