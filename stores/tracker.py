"""Tracker stores that honour "forget me": the turn that ran action_forget_me deletes the conversation.

The forget action cannot delete the conversation itself: Rasa writes the turn's
events back after every action, and Rasa's SQL store writes whatever it does not
yet hold, so events deleted during the turn would be written again. Here the
store sees the forget action among the turn's events and deletes the
conversation (every session) instead of saving it.

The SQL store also reads and writes the same rows as Rasa's with less work, since
it does both for every message (profiled under load, `benchmarks/load.py`): it
reads only the `data` column rather than building an ORM object per event, and
inserts a turn's new events in one statement rather than one ORM insert (and, on
PostgreSQL, one round trip) per event.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, Optional, Text, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from channels import held_replies
from knotcare.breaker import Breaker
from knotcare.config import with_timeouts
from knotcare.kb import KnowledgeBase
from knotcare.privacy import FORGET_ACTION, forget_finished

logger = logging.getLogger(__name__)


def _forget_finished(sender_id: Text) -> None:
    """Mark the person's forget done in the knowledge base (if that fails, `knotcare forget-pending` redoes it)."""
    kb = KnowledgeBase()
    try:
        forget_finished(kb.engine, sender_id)
    except Exception as error:  # noqa: BLE001 - the conversation is gone; the record only says so
        logger.warning("forget me: the record could not be closed (%s); forget-pending will", type(error).__name__)
    finally:
        kb.dispose()


def _forgets(tracker: DialogueStateTracker) -> bool:
    """Whether this turn ran the forget action (it is in the latest, not yet stored, events)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            if event.action_name == FORGET_ACTION:
                return True
        if event.type_name == "user":  # only the current turn counts
            return False
    return False


#: A tracker store call gives up after this many seconds, and after one failed slowly the next fail at once for
#: a while (knotcare.breaker): Rasa's fail-safe wrapper then answers from a fresh tracker kept in memory (and
#: keeps the turn there), so a turn ends within seconds and Rasa's event loop and the lock are never held.
CALL_TIMEOUT_SECONDS = 5.0
#: The store's own threads for its calls.
THREADS = 8
#: However busy the server, a turn stops waiting for the tracker store after this long.
MAX_WAIT_SECONDS = 15.0
T = TypeVar("T")


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
        # hide_parameters: a failed statement's error (and so the log) never carries what people wrote.
        self.engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True,
                                       **with_timeouts(url.drivername, create_engine_kwargs(url)))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.breaker = Breaker("the tracker store")
        #: calls that ran past the timeout and still hold a thread
        self._stuck = 0
        # Threads of its own: waiting behind another part's hung calls (a stalled knowledge base) is not waiting
        # on this database, and only this store's own hung calls say that a queued call will hang too.
        self._threads = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="tracker-store")

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        """Rasa's query for the conversation's events, reading only their JSON (no ORM object per row), off the
        event loop and bounded: a database that stops answering fails this turn, not the server."""
        rows = await self.bounded(self._read, sender_id, fetch_events_from_all_sessions)
        events = [json.loads(data) for (data,) in rows]
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    @staticmethod
    def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
        """The row Rasa's SQL store writes for an event (same columns, same values)."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}

    async def bounded(self, call: Callable[..., T], *args: Any) -> T:
        """Run a blocking database call in a worker thread, for at most CALL_TIMEOUT_SECONDS of the database's time.

        The clock is the call's own, started in the thread: under a burst of messages the event loop is busy with
        language understanding for seconds at a time, and the call may wait for a free thread, but neither is the
        database hanging. Timed on the loop, such a turn failed, tripped the breaker, and every conversation lost
        its history for the breaker's while (a red flag told a message earlier among it).
        """
        self.breaker.check()
        began: List[float] = []

        def timed() -> T:
            began.append(time.monotonic())
            return call(*args)

        work = asyncio.ensure_future(asyncio.get_running_loop().run_in_executor(self._threads, timed))
        work.add_done_callback(lambda done: done.cancelled() or done.exception())  # a late failure is not news
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        while True:
            try:
                return await asyncio.wait_for(asyncio.shield(work), CALL_TIMEOUT_SECONDS)
            except asyncio.TimeoutError:
                if work.done():  # it finished while the loop was busy elsewhere
                    return work.result()
                hung = bool(began) and time.monotonic() - began[0] > CALL_TIMEOUT_SECONDS
                # Not begun while earlier calls hang in the threads: it waits behind them, as hung as they are.
                if hung or (not began and self._stuck) or time.monotonic() > deadline:
                    self.breaker.trip()
                    if hung:
                        self._stuck += 1
                        work.add_done_callback(self._unstuck)
                    raise
            except sa.exc.OperationalError:
                self.breaker.failed(began[0] if began else time.monotonic())
                raise

    def _unstuck(self, _: Any) -> None:
        """A call that hung has come back."""
        self._stuck -= 1

    def _read(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> list:
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            return query.with_entities(self.SQLEvent.data).all()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save the turn's new events in one insert, or delete the conversation if the person asked to be forgotten
        (off the event loop and bounded, like reading)."""
        if not _forgets(tracker):
            await self.stream_events(tracker)
            await self.bounded(self._write, tracker)
            return
        deleted = await self.bounded(self._delete, tracker.sender_id)
        logger.info("forget me: deleted a conversation (%d events)", deleted)
        held_replies.done()  # now "deleted" is true, and the person is told so
        await asyncio.to_thread(_forget_finished, tracker.sender_id)

    def _write(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            rows = [self._row(tracker.sender_id, e) for e in self._additional_events(session, tracker)]
            if rows:
                # One executemany; the ids still follow the events' order (the table is read ordered by id).
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            session.commit()

    def _delete(self, sender_id: Text) -> int:
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
            return int(deleted)
