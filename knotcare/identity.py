"""Conversation ids that name their channel, web session ids that the server signs, and the move to them.

Every channel keys its conversations in its own namespace — ``telegram:<chat id>``,
``slack:<team>:<user>``, ``web:<session id>`` — while a REST sender is limited to
``[A-Za-z0-9_.-]{1,64}`` (no colon), so no caller of one channel can name a conversation of another.
A web session id is issued by the server and carries an HMAC, so a client cannot choose someone
else's. The pseudonymous ``person_id`` of the personal tables is derived from the conversation id
(`knotcare.privacy.person_id`), so `migrate_ids` moves both the stored conversations and the personal
rows from the ids used before namespacing to these.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional

from sqlalchemy import inspect, text, update
from sqlalchemy.engine import Engine

from knotcare.config import local_secret

TELEGRAM, SLACK, WEB = "telegram", "slack", "web"
#: Rasa's input channel names, and the namespace each one's conversations live in.
NAMESPACES = {"telegram": TELEGRAM, "slack": SLACK, "socketio": WEB}
SESSION_KEY_ENV = "KNOTCARE_SESSION_KEY"
_SIGNATURE_CHARS = 16


def telegram_id(chat_id: object) -> str:
    """The conversation id of a Telegram chat."""
    return f"{TELEGRAM}:{chat_id}"


def slack_id(team: Optional[str], conversation: str) -> str:
    """The conversation id of a Slack user (or user and channel/thread) in one workspace."""
    return f"{SLACK}:{team or 'unknown'}:{conversation}"


def web_id(session_id: str) -> str:
    """The conversation id of a web chat session."""
    return f"{WEB}:{session_id}"


def local_part(conversation_id: str, namespace: str) -> str:
    """What a channel's own API calls the recipient: the id without its namespace (`telegram:42` → `42`)."""
    prefix = f"{namespace}:"
    if not conversation_id.startswith(prefix):
        return conversation_id
    rest = conversation_id[len(prefix):]
    if namespace == SLACK:  # slack:<team>:<user>[_<channel>[_<thread>]]: Slack posts to the channel, else the user
        parts = rest.split(":", 1)[-1].split("_")
        return parts[1] if len(parts) > 1 else parts[0]
    return rest


# --- web session ids ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _session_key() -> bytes:
    """The key web session ids are signed with: $KNOTCARE_SESSION_KEY, else one kept in var/.

    Every Rasa instance serving the same page must share it (scale mode sets the variable).
    """
    return local_secret(SESSION_KEY_ENV, "session-key")


def _signature(token: str) -> str:
    return hmac.new(_session_key(), token.encode(), hashlib.sha256).hexdigest()[:_SIGNATURE_CHARS]


def new_session_id() -> str:
    """A fresh web session id: 32 random hex characters and their signature."""
    token = secrets.token_hex(16)
    return f"{token}.{_signature(token)}"


def issued(session_id: object) -> bool:
    """True when `session_id` is one this server (or one sharing its key) issued."""
    if not isinstance(session_id, str) or session_id.count(".") != 1 or len(session_id) > 64:
        return False
    token, signature = session_id.split(".")
    return len(token) == 32 and hmac.compare_digest(signature, _signature(token))


# --- moving stored data to the namespaced ids --------------------------------------------------------------
@dataclass
class Moved:
    """What `migrate_ids` moved."""

    conversations: int = 0
    events: int = 0
    personal_rows: int = 0


def _channel_of(rows: Iterable[str]) -> Optional[str]:
    """The input channel named by a conversation's stored user events (the first that names one)."""
    for data in rows:
        try:
            channel = json.loads(data).get("input_channel")
        except (TypeError, ValueError, AttributeError):
            continue
        if channel:
            return str(channel)
    return None


def plan_moves(tracker: Engine, slack_team: Optional[str] = None) -> Dict[str, str]:
    """Old conversation id → new one, for every stored conversation of a namespaced channel not yet moved."""
    moves: Dict[str, str] = {}
    with tracker.connect() as connection:
        if not inspect(connection).has_table("events"):
            return moves
        senders = [row[0] for row in connection.execute(text("SELECT DISTINCT sender_id FROM events"))]
        for sender in senders:
            if ":" in sender:
                continue  # already namespaced (REST ids cannot hold a colon)
            data = connection.execute(text(
                "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"), {"s": sender})
            channel = _channel_of(row[0] for row in data)
            namespace = NAMESPACES.get(channel or "")
            if namespace == TELEGRAM:
                moves[sender] = telegram_id(sender)
            elif namespace == SLACK:
                moves[sender] = slack_id(slack_team, sender)
            elif namespace == WEB:
                moves[sender] = web_id(sender)
    return moves


def migrate_ids(tracker: Engine, knowledge_base: Engine, slack_team: Optional[str] = None) -> Moved:
    """Move stored conversations and personal rows to the namespaced ids; safe to run again.

    The personal rows move first, then the conversations: the plan is read from the conversations not yet
    moved, so a run stopped between the two is completed by the next one.
    """
    from knotcare.clinic.tickets import conversation_path
    from knotcare.privacy import person_id, personal_tables

    moves = plan_moves(tracker, slack_team)
    moved = Moved(conversations=len(moves))
    if not moves:
        return moved
    with knowledge_base.begin() as connection:
        present = [table for table in personal_tables() if inspect(connection).has_table(table.name)]
        for old, new in moves.items():
            for table in present:
                values = {"person_id": person_id(new)}
                if "conversation" in table.c:
                    values["conversation"] = conversation_path(new)
                moved.personal_rows += connection.execute(
                    update(table).where(table.c.person_id == person_id(old)).values(**values)).rowcount
    with tracker.begin() as connection:
        for old, new in moves.items():
            moved.events += connection.execute(
                text("UPDATE events SET sender_id = :new WHERE sender_id = :old"), {"new": new, "old": old}).rowcount
    return moved


def unmoved(tracker: Engine) -> List[str]:
    """Stored conversations of a namespaced channel still under their old id (empty after `migrate_ids`)."""
    return sorted(plan_moves(tracker))
