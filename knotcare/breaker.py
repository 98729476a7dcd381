"""A database that hangs is not asked again at once: after a slow failure, calls fail at once for a while.

Used by the knowledge base (knotcare.kb.db) and the tracker store (stores/tracker.py), so that a turn ends in
seconds with the safety net's answer instead of waiting on every query in turn. A failure that comes quickly (a
refused connection) does not trip it: the next call should find a server as soon as it is back.
"""

from __future__ import annotations

import time

#: After a slow failure, calls fail at once for this long.
DOWN_SECONDS = 20.0
#: A failure that took longer than this was a hang, not a refusal.
SLOW_FAILURE_SECONDS = 2.0


class Unavailable(RuntimeError):
    """The database did not answer a moment ago; the call was not tried."""


class Breaker:
    """Whether to try a database now, from how its last failure went."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._down_until = 0.0

    def check(self) -> float:
        """Raise Unavailable while tripped; else the time a call starts (for `failed`)."""
        now = time.monotonic()
        if now < self._down_until:
            raise Unavailable(f"{self.what} did not answer a moment ago")
        return now

    def failed(self, started: float) -> None:
        """A call that started at `started` failed: trip when it was slow."""
        if time.monotonic() - started > SLOW_FAILURE_SECONDS:
            self.trip()

    def trip(self, seconds: float = DOWN_SECONDS) -> None:
        """Treat the database as down for `seconds`."""
        self._down_until = time.monotonic() + seconds
