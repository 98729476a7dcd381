"""Rasa's socket.io channel with the room join that session persistence needs.

Rasa 3.6.21 calls ``sio.enter_room(sid, session_id)`` without ``await``. With the
python-socketio that Rasa's own pins resolve to (5.x, where the async server's
``enter_room`` is a coroutine) the call does nothing, so with
``session_persistence: true`` every reply goes to a room nobody is in and the web
widget never hears back. This subclass makes that call schedule the join; all
the rest is Rasa's channel unchanged (same name, same URL, same settings).
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io input; session persistence joins the session's room for real."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint, with the server's `enter_room` usable without `await`."""
        blueprint = super().blueprint(on_new_message)
        server = self.sio
        join = server.enter_room
        if asyncio.iscoroutinefunction(join):
            def enter_room(sid: str, room: str, namespace: Optional[str] = None) -> "asyncio.Future[Any]":
                # Runs before Rasa's next `await` (the session_confirm emit) completes.
                return asyncio.ensure_future(join(sid, room, namespace=namespace))

            server.enter_room = enter_room  # type: ignore[method-assign]
        return blueprint
