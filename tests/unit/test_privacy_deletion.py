"""Forget me and retention on real SQLite: personal rows by person_id, Rasa's events table by sender id."""

from __future__ import annotations

import json
import time
from pathlib import Path

from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, create_engine, select, text

from knotcare import privacy

META = MetaData()
PROGRESS = Table("test_progress", META, Column("id", Integer, primary_key=True), Column("person_id", String(64)),
                 Column("updated_at", DateTime), info={"personal": True, "dated_by": "updated_at"})
CHECKINS = Table("test_checkins", META, Column("id", Integer, primary_key=True), Column("person_id", String(64)),
                 Column("timestamp", Float), info={"personal": True, "dated_by": "timestamp"})


def _events_table(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                                "type_name VARCHAR(255), timestamp FLOAT, data TEXT)"))


def _add_event(engine, sender: str, timestamp: float) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                "VALUES (:s, 'user', :t, :d)"),
                           {"s": sender, "t": timestamp, "d": json.dumps({"text": "hi"})})


def _senders(engine) -> set:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return {row[0] for row in connection.execute(text("SELECT sender_id FROM events"))}


def test_forget_person_deletes_only_that_persons_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(privacy.KEY_ENV, "test-key")
    privacy._key.cache_clear()
    engine = create_engine(f"sqlite:///{tmp_path / 'kb.db'}", future=True)
    META.create_all(engine)
    me, other = privacy.person_id("me"), privacy.person_id("other")
    with engine.begin() as connection:
        connection.execute(PROGRESS.insert(), [{"person_id": me}, {"person_id": me}, {"person_id": other}])
        connection.execute(CHECKINS.insert(), [{"person_id": me, "timestamp": 1.0}])
    assert privacy.forget_person(engine, "me", [PROGRESS, CHECKINS]) == 3
    with engine.connect() as connection:
        assert connection.execute(select(PROGRESS.c.person_id)).scalars().all() == [other]
        assert connection.execute(select(CHECKINS.c.id)).all() == []
    # The real personal tables (if the knowledge base has none yet, nothing to do and no error).
    assert privacy.forget_person(engine, "me") == 0
    privacy._key.cache_clear()


def test_forget_conversation_and_retention_on_the_events_table(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}", future=True)
    assert privacy.forget_conversation(engine, "me") == 0  # no tracker store yet
    _events_table(engine)
    now = time.time()
    for sender, age_days in (("me", 0), ("me", 1), ("old", 40), ("old", 35), ("recent", 40), ("recent", 2)):
        _add_event(engine, sender, now - age_days * 86400)
    assert privacy.forget_conversation(engine, "me") == 2
    assert _senders(engine) == {"old", "recent"}
    # A conversation goes when its latest event is older than the limit, whole.
    assert privacy.expire_conversations(engine, days=30, now=now).conversations == 1
    assert _senders(engine) == {"recent"}


def test_expire_personal_rows_by_their_date(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    engine = create_engine(f"sqlite:///{tmp_path / 'kb.db'}", future=True)
    META.create_all(engine)
    now = time.time()
    with engine.begin() as connection:
        connection.execute(PROGRESS.insert(), [
            {"person_id": "a", "updated_at": datetime.utcfromtimestamp(now) - timedelta(days=40)},
            {"person_id": "b", "updated_at": datetime.utcfromtimestamp(now) - timedelta(days=3)}])
        connection.execute(CHECKINS.insert(), [{"person_id": "a", "timestamp": now - 40 * 86400},
                                               {"person_id": "b", "timestamp": now}])
    assert privacy.expire_personal_rows(engine, days=30, now=now, personal=[PROGRESS, CHECKINS]) == 2
    with engine.connect() as connection:
        assert connection.execute(select(PROGRESS.c.person_id)).scalars().all() == ["b"]


def test_tracker_store_url_from_an_endpoints_file(tmp_path: Path, monkeypatch) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: stores.tracker.ForgetfulSQLTrackerStore\n  dialect: sqlite\n"
                         "  db: var/tracker.db\n")
    assert privacy.tracker_store_url(endpoints).endswith("/var/tracker.db")
    monkeypatch.setenv("PGDB", "rasa")
    endpoints.write_text("tracker_store:\n  type: SQL\n  dialect: postgresql\n  host: db\n  port: 5432\n"
                         "  db: ${PGDB}\n  username: rasa\n")
    assert privacy.tracker_store_url(endpoints) == "postgresql://rasa@db:5432/rasa"
    endpoints.write_text("tracker_store:\n  type: redis\n")
    assert privacy.tracker_store_url(endpoints) is None


def test_retention_command_deletes_old_conversations(tmp_path: Path) -> None:
    import subprocess
    import sys

    tracker = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}", future=True)
    _events_table(tracker)
    _add_event(tracker, "old", time.time() - 10 * 86400)
    _add_event(tracker, "new", time.time())
    knotcare = Path(sys.executable).parent / "knotcare"
    result = subprocess.run([str(knotcare), "--database-url", f"sqlite:///{tmp_path / 'kb.db'}", "retention",
                             "--days", "7", "--tracker-url", f"sqlite:///{tmp_path / 'tracker.db'}"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "deleted 1 whole conversations" in result.stderr
    assert _senders(tracker) == {"new"}
