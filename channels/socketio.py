"""Rasa's socket.io channel with the room join that session persistence needs, and checked payloads.

Rasa 3.6.21 calls ``sio.enter_room(sid, session_id)`` without ``await``. With the
python-socketio that Rasa's own pins resolve to (5.x, where the async server's
``enter_room`` is a coroutine) the call does nothing, so with
``session_persistence: true`` every reply goes to a room nobody is in and the web
widget never hears back. This subclass makes that call schedule the join.

Rasa's handlers also trust the payload: a `user_uttered` that is not an object, or whose `message` is
not a string, raises inside the handler (python-socketio logs the traceback); a message over the length
cap (`channels.guard`) would reach NLU. Here such events are dropped with a warning (the text is never
logged), a `session_request` that is not an object gets a new session, and long messages get the cap's
reply. All the rest is Rasa's channel unchanged (same name, same URL, same settings).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

from channels.guard import LengthCapped, OnNewMessage

logger = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Any]]


def _metadata_ok(metadata: Any) -> bool:
    if metadata is None or isinstance(metadata, dict):
        return True
    if isinstance(metadata, str):  # Rasa's handler json.loads a string
        try:
            return isinstance(json.loads(metadata), dict)
        except ValueError:
            return False
    return False


class SocketIOInput(LengthCapped, RasaSocketIOInput):
    """Rasa's socket.io input; session persistence joins the session's room for real; payloads are checked."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's blueprint (with the length cap), `enter_room` usable without `await`, checked handlers."""
        blueprint = super().blueprint(on_new_message)
        server = self.sio
        join = server.enter_room
        if asyncio.iscoroutinefunction(join):
            def enter_room(sid: str, room: str, namespace: Optional[str] = None) -> "asyncio.Future[Any]":
                # Runs before Rasa's next `await` (the session_confirm emit) completes.
                return asyncio.ensure_future(join(sid, room, namespace=namespace))

            server.enter_room = enter_room  # type: ignore[method-assign]
        handlers = server.handlers[self.namespace or "/"]
        handlers["session_request"] = self._checked_session_request(handlers["session_request"])
        handlers[self.user_message_evt] = self._checked_message(handlers[self.user_message_evt])
        return blueprint

    @staticmethod
    def _checked_session_request(handler: Handler) -> Handler:
        async def session_request(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("session_id"), str | None):
                data = None  # Rasa's handler then starts a new session
            await handler(sid, data)

        return session_request

    def _checked_message(self, handler: Handler) -> Handler:
        async def handle_message(sid: str, data: Any = None) -> None:
            problem = self.payload_problem(data)
            if problem is not None:
                logger.warning("socket.io %s from %s dropped: %s", self.user_message_evt, sid, problem)
                return None
            await handler(sid, data)

        return handle_message

    def payload_problem(self, data: Any) -> Optional[str]:
        """Why a user message event cannot be handled (names the fields, never their content), or None."""
        if not isinstance(data, dict):
            return "not an object"
        wrong = []
        if not isinstance(data.get("message") or "", str):
            wrong.append("message")
        if self.session_persistence and not isinstance(data.get("session_id"), str | None):
            wrong.append("session_id")
        if not _metadata_ok(data.get(self.metadata_key)):
            wrong.append(self.metadata_key)
        return f"wrong type: {', '.join(wrong)}" if wrong else None
