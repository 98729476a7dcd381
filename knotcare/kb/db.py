"""Engine, sessions and the unit of work: one engine per process, a session per unit of work."""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Iterator, Optional

from sqlalchemy import create_engine, delete, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from knotcare import schema as tables
from knotcare.breaker import Breaker
from knotcare.config import database_url, with_timeouts
from knotcare.kb import repository
from knotcare.progress.repository import ProgressRepository


class UnitOfWork:
    """A transaction with the repositories that read and write inside it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.routines = repository.RoutineRepository(session)
        self.tools = repository.ToolRepository(session)
        self.rules = repository.TriageRuleRepository(session)
        self.answers = repository.AnswerRepository(session)
        self.referrals = repository.ReferralRepository(session)
        self.messages = repository.MessageRepository(session)
        self.meta = repository.MetaRepository(session)
        self.progress = ProgressRepository(session)

    def commit(self) -> None:
        """Make the unit's writes permanent."""
        self.session.commit()


class KnowledgeBase:
    """The knowledge base at one database URL. Nothing connects until first use."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or database_url()
        # hide_parameters: a failed statement's error (and so the log) never carries personal values.
        self.engine: Engine = create_engine(self.url, future=True, pool_pre_ping=True, hide_parameters=True,
                                            **with_timeouts(self.url))
        if self.engine.dialect.name == "sqlite":
            # SQLite leaves foreign keys off unless asked, per connection.
            event.listen(self.engine, "connect", _sqlite_foreign_keys)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)
        self.breaker = Breaker("the knowledge base")

    def create_schema(self) -> None:
        """Create any missing tables (idempotent); rebuild the content tables when their columns changed."""
        self._rebuild_changed_content_tables()
        tables.metadata.create_all(self.engine)
        self._add_new_personal_columns()

    def _add_new_personal_columns(self) -> None:
        """Add the nullable columns a personal table gained since it was created (its rows are kept).

        Personal tables are never dropped; a new column there must be nullable, so that old rows stay valid.
        """
        existing = inspect(self.engine)
        for table in tables.metadata.sorted_tables:
            if not table.info.get("personal") or not existing.has_table(table.name):
                continue
            present = {column["name"] for column in existing.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable:
                    raise RuntimeError(f"{table.name}.{column.name} is new and NOT NULL: personal tables only "
                                       "gain nullable columns")
                kind = column.type.compile(dialect=self.engine.dialect)
                with self.engine.begin() as connection:
                    connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))

    def _rebuild_changed_content_tables(self) -> None:
        """Drop the reviewed-content tables when a column was added or removed, so they are made anew.

        They hold only what the next seed writes again from the reviewed files (never personal data), so
        the whole migration is: drop them, create them, seed. The seeded digest is cleared to force that seed.
        """
        existing = inspect(self.engine)
        changed = [
            table for table in tables.CONTENT_TABLES
            if existing.has_table(table.name)
            and {c["name"] for c in existing.get_columns(table.name)} != set(table.columns.keys())
        ]
        if not changed:
            return
        tables.metadata.drop_all(self.engine, tables=list(tables.CONTENT_TABLES))
        if existing.has_table(tables.kb_meta.name):
            with self.engine.begin() as connection:
                connection.execute(delete(tables.kb_meta).where(tables.kb_meta.c.key == "content_digest"))

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """Open a session; roll back on error, always close. Callers commit explicitly.

        While the database is marked unavailable (it failed to answer a moment ago), this fails at once: a
        turn then ends in seconds with the safety net's answer instead of waiting on every query in turn.
        """
        started = self.breaker.check()
        session = self._sessions()
        try:
            yield UnitOfWork(session)
        except OperationalError:
            self.breaker.failed(started)
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def mark_down(self) -> None:
        """Treat the database as unavailable for a while (something waited on it too long)."""
        self.breaker.trip()

    def dispose(self) -> None:
        """Close pooled connections (tests, shutdown)."""
        self.engine.dispose()


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@functools.cache
def get_knowledge_base(url: Optional[str] = None) -> KnowledgeBase:
    """The process-wide knowledge base for a URL (default: `DATABASE_URL` or SQLite)."""
    return KnowledgeBase(url)
