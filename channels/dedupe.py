"""Remember recently seen delivery ids (Slack event ids, Telegram update ids) so a retry is not answered twice."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable, Hashable, Optional


class RecentIds:
    """A bounded, time-limited set of ids: `first_time(id)` is True once per id within `ttl` seconds.

    One process only: several Rasa instances behind a load balancer each keep their own, which is
    enough while Slack and Telegram retry to the same sticky instance; a shared store would be next.
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
