"""A Redis lock store that is safe across Rasa instances.

Rasa 3.6's `RedisLockStore` keeps each conversation's ticket lock as one JSON
value and changes it by read-modify-write (get, change in Python, set): two
instances that issue a ticket at the same moment both read the same lock, both
hand out the same ticket number and both process the conversation at once
(RasaHQ/rasa#9213). Here every change is one atomic Redis operation:

- tickets live in a sorted set per conversation (member = ticket number,
  score = expiry time), numbers come from INCR on a counter;
- issuing a ticket is a Lua script (INCR + drop expired + ZADD + TTLs), so no
  other client can see the number before its ticket is in the set;
- finishing a ticket is one ZREM; an empty sorted set disappears by itself, so
  cleanup cannot delete a ticket another instance has just issued;
- Rasa calls the store's Redis commands (a blocking client) from its event loop; here each runs in a worker
  thread, so a slow or stalled Redis holds only the turns that wait for it, never Rasa's status route.
  Tickets are issued by one thread of their own, in the order the loop asked for them, so messages keep
  their order.

Configure it in endpoints.yml::

    lock_store:
      type: stores.redis_lock.AtomicRedisLockStore
      url: 127.0.0.1
      port: 6379
      db: 1
      key_prefix: knotcare
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional, Text

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

# KEYS[1] counter, KEYS[2] tickets; ARGV[1] now, ARGV[2] expiry, ARGV[3] key TTL in ms.
_ISSUE = """
local number = redis.call('INCR', KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], number)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return number
"""


class AtomicRedisLockStore(RedisLockStore):
    """Ticket locks in Redis whose every change is a single atomic Redis operation."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """Accept Rasa's `endpoint_config` (custom lock stores get only that) or RedisLockStore's arguments."""
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, **kwargs}
            kwargs.setdefault("host", endpoint_config.url or "localhost")
        kwargs.pop("type", None)
        super().__init__(**kwargs)
        self._issue = self.red.register_script(_ISSUE)
        # one thread, first in first out: tickets in the order the event loop asked for them
        self._issuer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lock-tickets")

    def _tickets_key(self, conversation_id: Text) -> Text:
        return f"{self.key_prefix}{conversation_id}"

    def _counter_key(self, conversation_id: Text) -> Text:
        return f"{self.key_prefix}{conversation_id}:counter"

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        """Rasa's ticket lock, with every Redis command off the event loop."""
        ticket = await asyncio.get_running_loop().run_in_executor(self._issuer, self.issue_ticket, conversation_id,
                                                                   lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            await asyncio.to_thread(self.cleanup, conversation_id, ticket)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        """Wait for this ticket's turn (Rasa's loop, its reads in a worker thread)."""
        while True:
            lock = await asyncio.to_thread(self.get_lock, conversation_id)
            if not lock:
                break  # every ticket expired, ours too
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            await asyncio.to_thread(self.update_lock, conversation_id)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue the next ticket number and queue it, in one atomic step."""
        now = time.time()
        # The keys outlive the longest ticket a little, so an idle conversation leaves nothing behind.
        ttl_ms = int((lock_lifetime + 60) * 1000)
        try:
            keys = [self._counter_key(conversation_id), self._tickets_key(conversation_id)]
            return int(self._issue(keys=keys, args=[now, now + lock_lifetime, ttl_ms]))
        except Exception as error:  # Rasa turns a LockError into a clear log line and a 500
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The conversation's lock as Rasa's TicketLock (tickets by number), or None if no ticket is queued."""
        entries = self.red.zrange(self._tickets_key(conversation_id), 0, -1, withscores=True)
        if not entries:
            return None
        tickets = sorted((Ticket(int(member), float(expires)) for member, expires in entries),
                         key=lambda ticket: ticket.number)
        return TicketLock(conversation_id, deque(tickets))

    def update_lock(self, conversation_id: Text) -> None:
        """Drop expired tickets (one atomic command)."""
        self.red.zremrangebyscore(self._tickets_key(conversation_id), "-inf", time.time())

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove one finished ticket (one atomic command)."""
        self.red.zrem(self._tickets_key(conversation_id), ticket_number)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Finish the ticket. No separate delete: Redis drops an empty sorted set by itself, atomically."""
        self.finish_serving(conversation_id, ticket_number)

    def delete_lock(self, conversation_id: Text) -> None:
        """Delete every ticket of the conversation."""
        deleted = self.red.delete(self._tickets_key(conversation_id))
        self._log_deletion(conversation_id, bool(deleted))

    def save_lock(self, lock: TicketLock) -> None:
        """Replace the conversation's tickets with `lock`'s, in one transaction (not used by the paths above)."""
        key = self._tickets_key(lock.conversation_id)
        with self.red.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            if lock.tickets:
                pipe.zadd(key, {str(t.number): t.expires for t in lock.tickets})
            pipe.execute()
