"""How many messages a conversation, and a client address, may send in a minute (the socket.io channel).

nginx limits requests, but a websocket is one request carrying any number of messages, so the channel counts
them itself: by default 30 a minute per conversation and 300 a minute per client address (a clinic's
reception shares one address). Each is a sliding-window counter (this minute's count plus the last minute's,
weighted by how much of it still falls within the last 60 seconds, so that a burst across the turn of a minute
counts whole), kept in this process, or in Redis when `KNOTCARE_LIMITS_REDIS_URL` is set, so that several Rasa
instances share them (one `INCR`, `EXPIRE` and `GET` per message, with redis' asyncio client: nothing blocks
the event loop). A message over a limit is not read;
the first one over it in a window is answered with a kind request to slow down (`too_fast` in
data/kb/messages.yml), the rest get nothing.

Settings: `KNOTCARE_LIMIT_PER_CONVERSATION` and `KNOTCARE_LIMIT_PER_ADDRESS`, each "count/seconds" (e.g.
"20/60"); "0" turns that limit off.
"""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Tuple

from knotcare.settings import Settings

logger = logging.getLogger(__name__)

REDIS_ENV = "KNOTCARE_LIMITS_REDIS_URL"
CONVERSATION_ENV = "KNOTCARE_LIMIT_PER_CONVERSATION"
ADDRESS_ENV = "KNOTCARE_LIMIT_PER_ADDRESS"
DEFAULTS = {CONVERSATION_ENV: (30, 60), ADDRESS_ENV: (300, 60)}
LOOPBACK = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class Limit:
    """At most `count` messages per `seconds`; a count of 0 means no limit."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, raw: Optional[str], default: Tuple[int, int]) -> "Limit":
        """ "20/60" (20 a minute), "0" (off); the default when unset or malformed (with a warning)."""
        if raw is None or not raw.strip():
            return cls(*default)
        text = raw.strip()
        if text == "0":
            return cls(0, 1)
        try:
            count, seconds = (int(part) for part in text.split("/", 1))
            if count > 0 and seconds > 0:
                return cls(count, seconds)
        except ValueError:
            pass
        logger.warning("message limit %r is not count/seconds (e.g. 20/60): using %d/%d", raw, *default)
        return cls(*default)


class MessageLimits:
    """Fixed-window counters per conversation and per client address."""

    def __init__(self, conversation: Limit, address: Limit, redis_url: Optional[str] = None,
                 prefix: str = "knotcare:limit:") -> None:
        self.conversation, self.address, self.prefix = conversation, address, prefix
        self._redis: Any = None
        if redis_url:
            import redis.asyncio as aioredis

            self._redis = aioredis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self._local: Dict[str, int] = {}

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "MessageLimits":
        """The limits configured in the environment (see the module's docstring)."""
        settings = Settings.from_env(env)
        return cls(Limit.parse(settings.limit_per_conversation, DEFAULTS[CONVERSATION_ENV]),
                   Limit.parse(settings.limit_per_address, DEFAULTS[ADDRESS_ENV]), settings.limits_redis_url,
                   settings.limits_prefix)

    async def check(self, conversation: str, address: Optional[str]) -> Optional[int]:
        """None when the message may be read; else how many messages over the limit it is (1 for the first)."""
        worst = 0
        for limit, kind, key in ((self.conversation, "c", conversation), (self.address, "a", address)):
            if not key or limit.count <= 0:
                continue
            count = await self._count(f"{self.prefix}{kind}:{key}", limit.seconds)
            worst = max(worst, math.ceil(count - 1e-9) - limit.count)
        return worst if worst > 0 else None

    async def _count(self, key: str, seconds: int) -> float:
        """This message counted: the sliding-window estimate of the messages in the last `seconds`."""
        now = time.time()
        window = int(now // seconds)
        still = 1 - (now % seconds) / seconds  # the part of the last window within the last `seconds`
        current, previous = f"{key}:{window}", f"{key}:{window - 1}"
        if self._redis is not None:
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    count, _, before = await pipe.incr(current).expire(current, 2 * seconds).get(previous).execute()
                return int(count) + int(before or 0) * still
            except Exception as error:  # noqa: BLE001 - Redis down: count here rather than refuse everyone
                logger.warning("message limits: Redis unavailable (%s); counting in this process", type(error).__name__)
        self._local[current] = self._local.get(current, 0) + 1
        if len(self._local) > 50_000:  # forget old windows now and then
            self._local = {k: v for k, v in self._local.items() if k.endswith((f":{window}", f":{window - 1}"))}
        return self._local[current] + self._local.get(previous, 0) * still


def client_address(environ: Mapping[str, Any]) -> Optional[str]:
    """The client's address for a socket: the peer's; when the peer is our own proxy on this machine, the last
    address in its X-Forwarded-For (the one nginx saw, after its real_ip); None for a client on this machine
    itself (no address limit: a developer, the tests; the conversation limit still holds)."""
    request = environ.get("sanic.request")
    peer = getattr(request, "ip", None) or environ.get("REMOTE_ADDR")
    forwarded = str(environ.get("HTTP_X_FORWARDED_FOR") or "")
    if peer in LOOPBACK:
        return forwarded.split(",")[-1].strip() or None
    return peer
