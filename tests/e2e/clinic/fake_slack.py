"""The fake Slack Web API for the staff channel: the channel tests' recording server (tests/e2e/channels/fakes.py)."""

from __future__ import annotations

import time
from typing import Any, Dict

from tests.e2e.channels.fakes import FakeApi


class FakeSlack(FakeApi):
    """Records every Web API call (method, authorization, params); `chat.*` answer ok with a ts, or with the
    error set for their method in `refuse` (as Slack does: HTTP 200, `ok: false`)."""

    def __init__(self) -> None:
        self.refuse: Dict[str, str] = {}
        super().__init__(self._respond)

    def _respond(self, method: str, params: Dict[str, Any]) -> Dict[str, Any]:
        """Like Slack: ok, with the message's ts (kept on chat.update, new otherwise)."""
        if method in self.refuse:
            return {"ok": False, "error": self.refuse[method]}
        return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts") or f"{time.time():.6f}"}

    @property
    def url(self) -> str:
        """The base URL to give slack_sdk (ends with a slash, like https://slack.com/api/)."""
        return f"{super().url}/api/"
