"""Tracker stores that honour "forget me": the turn that ran action_forget_me deletes the conversation.

The forget action cannot delete the conversation itself: Rasa writes the turn's
events back after every action, and Rasa's SQL store writes whatever it does not
yet hold, so events deleted during the turn would be written again. Here the
store sees the forget action among the turn's events and deletes the
conversation (every session) instead of saving it.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import RedisTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from knotcare.privacy import FORGET_ACTION

logger = logging.getLogger(__name__)


def _forgets(tracker: DialogueStateTracker) -> bool:
    """Whether this turn ran the forget action (it is in the latest, not yet stored, events)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            if event.action_name == FORGET_ACTION:
                return True
        if event.type_name == "user":  # only the current turn counts
            return False
    return False


class ForgetfulSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, except that a turn with action_forget_me deletes the conversation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Rasa's store, with connections checked before use.

        Without the check, after the database restarts every process fails its next
        request on a dead pooled connection (and Rasa answers it without the conversation).
        """
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save the turn, or delete every event of the conversation if the person asked to be forgotten."""
        if not _forgets(tracker):
            await super().save(tracker)
            return
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
            session.commit()
        logger.info("forget me: deleted a conversation (%d events)", deleted)


class ForgetfulRedisTrackerStore(RedisTrackerStore):
    """Rasa's Redis tracker store, except that a turn with action_forget_me deletes the conversation."""

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Save the turn, or delete the conversation's key if the person asked to be forgotten."""
        if not _forgets(tracker):
            await super().save(tracker, timeout)
            return
        self.red.delete(self.key_prefix + tracker.sender_id)
        logger.info("forget me: deleted a conversation")
