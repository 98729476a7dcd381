"""`knotcare report` and `knotcare tickets` on a tracker store written by SQLTrackerStore (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from knotcare import privacy
from knotcare.cli import main
from knotcare.clinic.report import compute, read_events, render_html
from knotcare.clinic.tickets import TicketRepository
from knotcare.kb import KnowledgeBase

DAY1 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone.utc).timestamp()
DAY2 = DAY1 + 86400
DAY3 = DAY2 + 86400
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)


def user(text: str, intent: str, at: float) -> list:
    return [ActionExecuted("action_listen", timestamp=at - 1),
            UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=at)]


def conversations() -> dict:
    """Four conversations over three days with known numbers (see test_report_numbers)."""
    return {
        "alice": [*user("knot in my upper back", "describe_pain", DAY1),
                  SlotSet("body_region", "upper_back", timestamp=DAY1 + 1),
                  SlotSet("triage_level", "self_care", timestamp=DAY1 + 60),
                  ActionExecuted("action_decide_care", timestamp=DAY1 + 60)],
        "bob": [*user("asdf qwer", "nlu_fallback", DAY1 + 100),
                ActionExecuted("action_default_fallback", timestamp=DAY1 + 101),
                *user("neck hurts", "describe_pain", DAY1 + 200),
                SlotSet("body_region", "neck", timestamp=DAY1 + 201),
                SlotSet("triage_level", "see_clinician", timestamp=DAY1 + 260),
                *user("talk to a person", "request_human", DAY1 + 300),
                ActionExecuted("action_request_human", timestamp=DAY1 + 301),
                BotUttered("passed to the team", timestamp=DAY1 + 302)],
        "carol": [*user("hello", "greet", DAY2),
                  *user("what's the wifi password", "nlu_fallback", DAY2 + 10),
                  ActionExecuted("action_default_fallback", timestamp=DAY2 + 11),
                  SlotSet("body_region", "lower_back", timestamp=DAY2 + 20),
                  SlotSet("triage_level", "emergency", timestamp=DAY2 + 30),
                  *user("thanks", "thank", DAY3)],
        "dan": [*user("are you open?", "ask_opening_hours", DAY2 + 500),
                ActionExecuted("action_answer_clinic", timestamp=DAY2 + 501)],
    }


async def write_tracker_store(store: SQLTrackerStore) -> None:
    for sender, events in conversations().items():
        await store.save(DialogueStateTracker.from_events(sender, events))


def write_tickets(kb: KnowledgeBase) -> None:
    kb.create_schema()
    with kb.unit_of_work() as uow:
        repo = TicketRepository(uow.session)
        repo.add("bob", "asked", {"region": "neck", "triage_level": "see_clinician"}, NOW)
        old = repo.add("someone-earlier", "not_understood", {}, NOW - dt.timedelta(days=30))
        repo.close(old.id, "priya", NOW)
        uow.commit()


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("KNOTCARE_PSEUDONYM_KEY", "report-test-key")
    privacy._key.cache_clear()
    yield
    privacy._key.cache_clear()


def check_numbers(data) -> None:
    assert data.conversations == 4
    assert data.user_messages == 8
    assert data.fallback_messages == 2 and data.fallback_rate == pytest.approx(2 / 8)
    assert data.handed_over == 1 and data.deflection == pytest.approx(0.75)
    assert data.per_day == {"2026-11-20": 2, "2026-11-21": 2, "2026-11-22": 1}
    assert data.triage_levels == {"self_care": 1, "see_clinician": 1, "emergency": 1}
    assert data.regions == {"upper_back": 1, "neck": 1, "lower_back": 1}
    assert dict(data.unanswered) == {"asdf qwer": 1, "what's the wifi password": 1}
    assert (data.tickets_open, data.tickets_closed) == (1, 1)
    assert data.tickets_by_reason == {"asked": 1, "not_understood": 1}


async def test_report_numbers_on_sqlite(tmp_path: Path) -> None:
    tracker_db = tmp_path / "tracker.db"
    await write_tracker_store(SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tracker_db)))
    kb = KnowledgeBase(f"sqlite:///{tmp_path / 'kb.db'}")
    write_tickets(kb)
    check_numbers(compute(read_events(f"sqlite:///{tracker_db}"), kb))
    kb.dispose()

    # The command writes a self-contained page with the same numbers.
    out = tmp_path / "report.html"
    assert main(["--database-url", f"sqlite:///{tmp_path / 'kb.db'}", "report",
                 "--tracker-url", f"sqlite:///{tracker_db}", "--out", str(out)]) == 0
    page = out.read_text()
    assert "75% (3 of 4)" in page and "25.0% (2 of 8)" in page and "1 / 1" in page
    # What people wrote stays out unless asked for, and the file is its owner's alone.
    assert "wifi" not in page and "asdf" not in page and "2 messages (2 different)" in page
    assert out.stat().st_mode & 0o777 == 0o600
    assert main(["--database-url", f"sqlite:///{tmp_path / 'kb.db'}", "report", "--quote-messages",
                 "--tracker-url", f"sqlite:///{tracker_db}", "--out", str(out)]) == 0
    page = out.read_text()
    assert "what&#x27;s the wifi password" in page  # quoted, and escaped
    assert page.count('src="data:image/png;base64,') == 4
    assert "<script" not in page and "http://" not in page and "https://" not in page


@pytest.mark.postgres
async def test_report_numbers_on_postgresql(empty_postgres_url: str) -> None:
    """The report counts everything in its databases: on an empty one of its own, not the run's shared one."""
    postgres_url = empty_postgres_url
    url = make_url(postgres_url)
    store = SQLTrackerStore(Domain.empty(), dialect="postgresql", host=url.host, port=url.port or 5432,
                            db=url.database, username=url.username, password=url.password)
    await write_tracker_store(store)
    store.engine.dispose()
    kb = KnowledgeBase(postgres_url)
    write_tickets(kb)
    data = compute(read_events(postgres_url), kb)
    kb.dispose()
    check_numbers(data)
    assert "75% (3 of 4)" in render_html(data, "report", NOW)


def test_tickets_command_lists_shows_and_closes(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    kb = KnowledgeBase(url)
    write_tickets(kb)
    kb.dispose()
    assert main(["--database-url", url, "tickets", "list"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 1 and listed[0].startswith("#1\topen") and "region=neck" in listed[0]
    assert main(["--database-url", url, "tickets", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "/conversations/bob/tracker" in shown and "Triage level: see_clinician" in shown
    assert main(["--database-url", url, "tickets", "close", "1", "--by", "tom"]) == 0
    assert "ticket #1 is closed" in capsys.readouterr().out
    assert main(["--database-url", url, "tickets", "list"]) == 0
    assert capsys.readouterr().out.strip() == ""
    assert main(["--database-url", url, "tickets", "close", "99"]) == 1


def test_tickets_are_personal_data() -> None:
    assert "handoff_tickets" in {table.name for table in privacy.personal_tables()}
