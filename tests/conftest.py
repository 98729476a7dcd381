"""Shared fixtures: knowledge bases on SQLite and PostgreSQL, and running servers."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from knotcare.kb import KnowledgeBase
from knotcare.kb.seed import load_content, seed

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get("KNOTCARE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def unavailable(reason: str) -> None:
    """Skip locally, but fail in CI: a missing service must never pass silently there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def content():
    """The reviewed content, loaded once."""
    return load_content()


@pytest.fixture()
def sqlite_kb(tmp_path: Path, content) -> Iterator[KnowledgeBase]:
    """A seeded knowledge base in a fresh SQLite file."""
    kb = KnowledgeBase(f"sqlite:///{tmp_path / 'kb.db'}")
    seed(kb, content)
    yield kb
    kb.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this run's own, dropped afterwards."""
    yield from _database_of_its_own()


@pytest.fixture()
def empty_postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test's own, for a test that counts everything in it."""
    yield from _database_of_its_own()


def _database_of_its_own() -> Iterator[str]:
    import psycopg2
    from sqlalchemy.engine import make_url

    name = f"knotcare_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=3)
    except psycopg2.OperationalError as error:
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_ADMIN_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.fixture()
def postgres_kb(postgres_url: str, content) -> Iterator[KnowledgeBase]:
    """A seeded knowledge base in this run's PostgreSQL database."""
    kb = KnowledgeBase(postgres_url)
    seed(kb, content)
    yield kb
    kb.dispose()
