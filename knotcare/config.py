"""Settings from the environment, with defaults that work on a fresh clone."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

#: The repository root (where config.yml, domain/ and data/ live).
ROOT = Path(os.environ.get("KNOTCARE_ROOT", Path(__file__).resolve().parent.parent))
#: Reviewed content and patterns.
DATA_DIR = Path(os.environ.get("KNOTCARE_DATA_DIR", ROOT / "data"))
#: Local state: the SQLite knowledge base and tracker store.
VAR_DIR = Path(os.environ.get("KNOTCARE_VAR_DIR", ROOT / "var"))


def database_url() -> str:
    """The knowledge base's SQLAlchemy URL: `DATABASE_URL`, else a SQLite file in var/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs say postgres://, which SQLAlchemy 1.4 no longer accepts.
        return url.replace("postgres://", "postgresql://", 1)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'knotcare.db'}"


def check_in_after() -> dt.timedelta:
    """How long after a plan the unprompted check-in comes (Slack, Telegram): `KNOTCARE_CHECK_IN_AFTER_HOURS`, 48."""
    return dt.timedelta(hours=float(os.environ.get("KNOTCARE_CHECK_IN_AFTER_HOURS", "48")))


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
