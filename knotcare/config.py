"""Settings from the environment, with defaults that work on a fresh clone."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any, Dict, Optional

from knotcare.settings import Settings

#: The repository root (where config.yml, domain/ and data/ live).
ROOT = Path(os.environ.get("KNOTCARE_ROOT", Path(__file__).resolve().parent.parent))
#: Reviewed content and patterns.
DATA_DIR = Path(os.environ.get("KNOTCARE_DATA_DIR", ROOT / "data"))
#: Local state: the SQLite knowledge base and tracker store.
VAR_DIR = Path(os.environ.get("KNOTCARE_VAR_DIR", ROOT / "var"))


def database_url() -> str:
    """The knowledge base's SQLAlchemy URL: `DATABASE_URL`, else a SQLite file in var/."""
    url = Settings.from_env().database_url
    if url:
        # Heroku-style URLs say postgres://, which SQLAlchemy 1.4 no longer accepts.
        return url.replace("postgres://", "postgresql://", 1)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'knotcare.db'}"


def check_in_after() -> dt.timedelta:
    """How long after a plan the unprompted check-in comes (Slack, Telegram): `KNOTCARE_CHECK_IN_AFTER_HOURS`, 48."""
    return dt.timedelta(hours=Settings.from_env().check_in_after_hours)


def local_secret(env: str, filename: str) -> bytes:
    """A key: the environment variable `env`, else one made once and kept in var/`filename` (owner-only).

    Local runs need no set-up; deployments set the variable (and every instance shares it).
    """
    value = os.environ.get(env)
    if value:
        return value.encode()
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip().encode()


#: Every database connection and statement gives up within these, so that a turn ends within 15 s even when a
#: database stops answering (Rasa waits 300 s for the action server, longer than a conversation's lock).
CONNECT_TIMEOUT_SECONDS = 5
STATEMENT_TIMEOUT_MS = 10_000


def with_timeouts(url: Any, engine_kwargs: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """`create_engine` keyword arguments with connect and statement timeouts added for PostgreSQL (a server that
    is slow to answer); a server that never answers is bounded by the callers (`knotcare.timeouts`)."""
    kwargs = dict(engine_kwargs or {})
    if not str(url).startswith("postgresql"):
        return kwargs
    connect_args = dict(kwargs.get("connect_args") or {})
    connect_args.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    options = connect_args.get("options", "")
    connect_args["options"] = f"{options} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()
    kwargs["connect_args"] = connect_args
    return kwargs
