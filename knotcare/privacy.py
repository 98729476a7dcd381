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
import secrets
from functools import lru_cache
from typing import List

from sqlalchemy import Table

from knotcare.config import VAR_DIR
from knotcare.kb import tables

KEY_ENV = "KNOTCARE_PSEUDONYM_KEY"


@lru_cache(maxsize=1)
def _key() -> bytes:
    """The pseudonym key: $KNOTCARE_PSEUDONYM_KEY, else one made once and kept in var/ (local runs)."""
    value = os.environ.get(KEY_ENV)
    if value:
        return value.encode()
    path = VAR_DIR / "pseudonym-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def person_id(sender_id: str) -> str:
    """The pseudonymous id stored for a channel's sender id (stable for one key)."""
    return hmac.new(_key(), sender_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def personal_tables() -> List[Table]:
    """Every table declared personal (``info={"personal": True}``), children first."""
    return [table for table in reversed(tables.metadata.sorted_tables) if table.info.get("personal")]
