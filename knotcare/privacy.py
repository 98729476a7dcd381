"""Pseudonymous person ids, and the convention every table of personal data follows.

Personal data (progress, check-ins, handoff tickets, ...) is stored under a
pseudonymous `person_id`, never under the channel's sender id: an HMAC of the
sender id with a key kept outside the database, so a copy of the database alone
does not say who is who. Every such table is declared with
``info={"personal": True}`` and has a ``person_id`` column, so that "forget me"
and the retention job can find all of them without a list to keep in step.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Sequence

import yaml
from sqlalchemy import Column, Table, delete, inspect, text
from sqlalchemy.engine import URL, Engine

from knotcare import schema as tables
from knotcare.config import ROOT, local_secret

KEY_ENV = "KNOTCARE_PSEUDONYM_KEY"


@lru_cache(maxsize=1)
def _key() -> bytes:
    """The pseudonym key: $KNOTCARE_PSEUDONYM_KEY, else one made once and kept in var/ (local runs)."""
    return local_secret(KEY_ENV, "pseudonym-key")


def person_id(sender_id: str) -> str:
    """The pseudonymous id stored for a channel's sender id (stable for one key)."""
    return hmac.new(_key(), sender_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def personal_tables() -> List[Table]:
    """Every table declared personal (``info={"personal": True}``), children first."""
    return [table for table in reversed(tables.metadata.sorted_tables) if table.info.get("personal")]


#: The action after which a conversation is deleted rather than saved (stores/tracker.py).
FORGET_ACTION = "action_forget_me"
#: A reply's `send` key: said only once the turn's work is done (the conversation deleted), or only if it is not
#: (channels/held_replies.py holds both back until the turn ends).
SEND_KEY, WHEN_DONE, UNLESS_DONE = "send", "when_done", "unless_done"


def forget_person(engine: Engine, sender_id: str, personal: Optional[Sequence[Table]] = None) -> int:
    """Delete every personal row of one person (matched by pseudonymous person_id); return how many.

    The record that a forget is under way stays until the conversation is gone too (`forget_finished`)."""
    pid = person_id(sender_id)
    deleted = 0
    with engine.begin() as connection:  # one transaction: all or nothing
        for table in personal if personal is not None else personal_tables():
            if table.info.get("kept_until_forgotten") or not inspect(connection).has_table(table.name):
                continue
            deleted += connection.execute(delete(table).where(table.c.person_id == pid)).rowcount
    return deleted


def forget_started(engine: Engine, sender_id: str) -> None:
    """Record that this conversation's person asked to be forgotten (before anything is deleted)."""
    tables.pending_forgets.create(engine, checkfirst=True)
    with engine.begin() as connection:
        connection.execute(tables.pending_forgets.insert().values(
            person_id=person_id(sender_id), conversation=sender_id, requested_at=datetime.now(timezone.utc)))


def forget_finished(engine: Engine, sender_id: str) -> None:
    """The conversation is gone from the tracker store: the forget is done."""
    with engine.begin() as connection:
        if inspect(connection).has_table(tables.pending_forgets.name):
            connection.execute(delete(tables.pending_forgets)
                               .where(tables.pending_forgets.c.person_id == person_id(sender_id)))


def finish_pending_forgets(kb_engine: Engine, tracker_engine: Optional[Engine]) -> int:
    """Finish every forget left half-way (the tracker store did not answer): the conversation, the personal rows
    again, then the record. How many were finished; one that fails again stays for the next run."""
    with kb_engine.connect() as connection:
        if not inspect(connection).has_table(tables.pending_forgets.name):
            return 0
        pending = list(connection.execute(tables.pending_forgets.select()).mappings())
    finished = 0
    for row in pending:
        if tracker_engine is not None:
            forget_conversation(tracker_engine, row["conversation"])
        forget_person(kb_engine, row["conversation"])
        forget_finished(kb_engine, row["conversation"])
        finished += 1
    return finished


def forget_conversation(engine: Engine, sender_id: str) -> int:
    """Delete every stored event of one conversation from Rasa's SQL tracker store (`events`); return how many."""
    with engine.begin() as connection:
        if not inspect(connection).has_table("events"):
            return 0
        return connection.execute(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id}).rowcount


@dataclass(frozen=True)
class Expired:
    """What a retention run deleted from the tracker store."""

    conversations: int
    events: int


def expire_conversations(engine: Engine, days: float, now: Optional[float] = None) -> Expired:
    """Delete what is older than `days` from Rasa's SQL tracker store: whole conversations whose latest event is
    older, and the earlier sessions of people who kept chatting (events before their latest session start).

    Each is one DELETE, so a message that arrives meanwhile is never deleted with a conversation that was old
    when it was looked at. The current session stays whole (Rasa reads a tracker from its latest session start).
    """
    cutoff = (now if now is not None else time.time()) - days * 86400
    with engine.begin() as connection:
        if not inspect(connection).has_table("events"):
            return Expired(0, 0)
        old = ("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff")
        conversations = connection.execute(text(f"SELECT COUNT(*) FROM ({old}) AS old"), {"cutoff": cutoff}).scalar()
        events = connection.execute(text(f"DELETE FROM events WHERE sender_id IN ({old})"), {"cutoff": cutoff}).rowcount
        events += connection.execute(text(
            "DELETE FROM events WHERE timestamp < :cutoff AND timestamp < (SELECT MAX(latest.timestamp) FROM events "
            "AS latest WHERE latest.sender_id = events.sender_id AND latest.type_name = 'session_started')"),
            {"cutoff": cutoff}).rowcount
    return Expired(int(conversations or 0), events)


def date_column(table: Table) -> Column:
    """The column that dates a personal table's rows (declared as ``info={"dated_by": ...}``)."""
    name = table.info.get("dated_by")
    if not name or name not in table.c:
        raise ValueError(f"personal table {table.name} declares no date column (info={{'dated_by': ...}}): "
                         "retention could not delete its rows")
    return table.c[name]


def expire_personal_rows(engine: Engine, days: float, now: Optional[float] = None,
                         personal: Optional[Sequence[Table]] = None) -> int:
    """Delete personal rows older than `days` by each table's declared date column; return how many."""
    cutoff_ts = (now if now is not None else time.time()) - days * 86400
    cutoff = datetime.fromtimestamp(cutoff_ts, tz=timezone.utc)
    tables = list(personal if personal is not None else personal_tables())
    columns = [date_column(table) for table in tables]  # all declared, or nothing is deleted
    deleted = 0
    with engine.begin() as connection:
        for table, column in zip(tables, columns, strict=False):
            if not inspect(connection).has_table(table.name):
                continue
            # A float column holds epoch seconds (Rasa's habit); a datetime column without a time zone, UTC.
            if column.type.python_type is float:
                bound: object = cutoff_ts
            else:
                bound = cutoff if getattr(column.type, "timezone", False) else cutoff.replace(tzinfo=None)
            deleted += connection.execute(delete(table).where(column < bound)).rowcount
    return deleted


def tracker_store_url(endpoints: Path) -> Optional[str]:
    """The SQLAlchemy URL of the SQL tracker store in an endpoints file, or None if it is not SQL."""
    config = (yaml.safe_load(os.path.expandvars(endpoints.read_text())) or {}).get("tracker_store") or {}
    kind = str(config.get("type", ""))
    if kind != "SQL" and not kind.endswith("SQLTrackerStore"):
        return None
    dialect = config.get("dialect", "sqlite")
    if dialect == "sqlite":
        db = Path(config.get("db", "rasa.db"))
        return f"sqlite:///{db if db.is_absolute() else ROOT / db}"
    return URL.create(dialect, username=config.get("username"), password=config.get("password"),
                      host=config.get("host") or config.get("url"), port=config.get("port"),
                      database=config.get("db")).render_as_string(hide_password=False)
