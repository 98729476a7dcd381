"""Replies that are true only once the work they announce is done, held back until it is.

"Done: I've deleted this conversation" is true only after the tracker store has deleted the conversation,
and it does that when Rasa saves the turn (stores/tracker.py), after the forget action has run. Rasa sends an
action's replies as soon as the action returns, so on socket.io, Telegram and Slack the person would read
"deleted" while the deletion could still fail; and Rasa's fail-safe store wrapper swallows a failed save, so
the turn itself ends normally either way.

So an action marks such a reply `send: when_done` (rasa-sdk passes extra keys of `utter_message` through as the
reply's metadata, and Rasa hands them to the channel), and the reply to give otherwise `send: unless_done`. The
guard every channel goes through (`channels.guard.capped`) wraps the turn's output channel in `HeldReplies`;
the part that does the work calls `done()` in the turn once it has (the tracker store, after its delete
commits); when the turn ends, `release` sends the one reply that is true.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import OutputChannel

from knotcare.privacy import SEND_KEY, UNLESS_DONE, WHEN_DONE

# The current turn's "done" cell. Rasa awaits the whole turn (actions, then the save) in the task that called
# the channel's `on_new_message`, so a value set in the tracker store's `save` is seen here when the turn ends.
_turn_done: ContextVar[Optional[List[bool]]] = ContextVar("knotcare_turn_done", default=None)


def done() -> None:
    """Say that the current turn's announced work is finished (a no-op outside a guarded turn)."""
    cell = _turn_done.get()
    if cell is not None:
        cell[0] = True


class HeldReplies(OutputChannel):
    """An output channel that passes replies on at once, except those marked to wait for the turn's work."""

    def __init__(self, channel: OutputChannel) -> None:
        self.channel = channel
        self.held: List[Tuple[Text, Dict[Text, Any]]] = []
        self._done = [False]
        self._token = _turn_done.set(self._done)

    def name(self) -> Text:  # type: ignore[override]  # Rasa asks the instance, for channel-specific responses
        """The wrapped channel's name."""
        return self.channel.name()

    def __getattr__(self, attribute: str) -> Any:
        # Anything else a channel offers (a collector's messages, a socket's id) is the wrapped channel's.
        return getattr(self.channel, attribute)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Send now, or hold a reply marked `when_done` or `unless_done` until `release`."""
        if message.get(SEND_KEY) in (WHEN_DONE, UNLESS_DONE):
            self.held.append((recipient_id, dict(message)))
            return
        await self.channel.send_response(recipient_id, message)

    async def release(self) -> None:
        """Send the held replies that are true now (the work was done, or it was not); drop the others."""
        wanted = WHEN_DONE if self._done[0] else UNLESS_DONE
        _turn_done.reset(self._token)  # the turn is over: nothing after it may mark it done
        held, self.held = self.held, []
        for recipient_id, message in held:
            if message.pop(SEND_KEY) == wanted:
                await self.channel.send_response(recipient_id, message)
