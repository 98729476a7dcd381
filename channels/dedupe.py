"""Remember recently seen delivery ids (Slack event ids, Telegram update ids) so a retry is not answered twice.

Slack and Telegram retry a delivery they think failed, and behind a load balancer the retry may reach another
Rasa instance. With `KNOTCARE_DEDUPE_REDIS_URL` set (scale mode), the ids are shared through Redis: the
first instance to `SET key NX EX` a delivery answers it, every other sees it taken. Without it, or while Redis
does not answer, each process remembers its own.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable, Optional

from knotcare.settings import Settings

logger = logging.getLogger(__name__)

REDIS_URL_ENV = "KNOTCARE_DEDUPE_REDIS_URL"
PREFIX_ENV = "KNOTCARE_DEDUPE_PREFIX"


class RecentIds:
    """A bounded, time-limited set of ids: `first_time(id)` is True once per id within `ttl` seconds.

    One process only (`Deliveries` shares them across instances).
    """

    def __init__(self, ttl: float = 3600.0, limit: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.limit = limit
        self._clock = clock
        self._seen: "OrderedDict[Hashable, float]" = OrderedDict()

    def first_time(self, key: Optional[Hashable]) -> bool:
        """Record `key`; True when it was not seen within the last `ttl` seconds (None is always new)."""
        if key is None or key == "":
            return True
        now = self._clock()
        while self._seen and (len(self._seen) >= self.limit or next(iter(self._seen.values())) < now - self.ttl):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


class Deliveries:
    """Delivery ids of one channel, shared by every instance through Redis when configured."""

    def __init__(self, channel: str, ttl: float = 3600.0, redis_url: Optional[str] = None,
                 prefix: Optional[str] = None) -> None:
        self.channel = channel
        self.ttl = ttl
        self.local = RecentIds(ttl=ttl)
        settings = Settings.from_env()
        self.redis_url = redis_url if redis_url is not None else settings.dedupe_redis_url or ""
        self.prefix = prefix if prefix is not None else settings.dedupe_prefix
        self._client: Any = None

    def key(self, delivery: Hashable) -> str:
        """The Redis key of one delivery."""
        return f"{self.prefix}{self.channel}:{delivery}"

    async def first_time(self, delivery: Optional[Hashable]) -> bool:
        """True for the first instance that sees this delivery within `ttl` seconds (None is always new)."""
        if delivery is None or delivery == "":
            return True
        if self.redis_url:
            from redis.exceptions import RedisError

            try:
                return bool(await self._redis().set(self.key(delivery), "1", nx=True, ex=int(self.ttl)))
            except (RedisError, OSError) as error:
                # Answering a retry twice is better than not answering a message at all.
                logger.warning("delivery ids: Redis did not answer (%s); this instance's memory only",
                               type(error).__name__)
        return self.local.first_time(delivery)

    def _redis(self) -> Any:
        """One asyncio Redis client, made in the server's event loop, with short timeouts (never holds a turn)."""
        if self._client is None:
            from redis.asyncio import Redis

            self._client = Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
        return self._client
