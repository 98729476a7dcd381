"""Rasa's socket.io channel with server-issued session ids, one session per socket, and checked payloads.

Rasa 3.6.21's channel takes whatever `session_id` a client names, in `session_request` and again in every
`user_uttered`, as the conversation id: anyone could read or write anyone's conversation. Here:
- the server issues session ids, signed (`knotcare.identity`); a `session_request` naming an id this server
  did not issue gets a new one, and an issued id comes back on reconnect (the widget's persistence);
- a `user_uttered` is handled only on a socket whose session was confirmed, and only when it names that
  session (or none): another socket's session id is refused;
- the conversation id is `web:<session id>`, a namespace no other channel can name, and the socket joins
  the room of that name, where Rasa's output sends the replies (also of reminders);
- a payload that is not an object, or a `message` that is not a string, is dropped with a warning (the
  text is never logged), and long messages get the cap's reply (`channels.guard`);
- a custom message (a picture, a hold timer: web/chat.js draws them) is sent as `{"custom": ...}` to the
  session's room, like every other reply; Rasa's own output emits its keys as arguments of `emit`;
- a conversation, and a client address, may send only so many messages a minute (`channels.limits`); the
  first message over a limit is answered with a request to slow down, and none over it is read.
Rasa's own `session_request` also calls `sio.enter_room` without `await`, which does nothing with the
python-socketio 5 that Rasa's pins resolve to; the handler here awaits it. Same name, URL and settings.
"""

from __future__ import annotations

import inspect
import json
import logging
from typing import Any, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint

from channels.guard import OnNewMessage, capped
from channels.limits import MessageLimits, client_address
from knotcare import identity
from knotcare.kb.seed import words

logger = logging.getLogger(__name__)


def _metadata_ok(metadata: Any) -> bool:
    if metadata is None or isinstance(metadata, dict):
        return True
    if isinstance(metadata, str):  # Rasa's handler json.loads a string
        try:
            return isinstance(json.loads(metadata), dict)
        except ValueError:
            return False
    return False


class SocketIOOutput(RasaSocketIOOutput):
    """Rasa's socket.io output, with custom messages under `custom` (what web/chat.js reads)."""

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        """A picture or a hold timer for the page."""
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io input with signed server-issued sessions bound to their socket, and checked payloads."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's blueprint (health route, connect and JWT check) with our session and message handlers."""
        blueprint = super().blueprint(on_new_message)
        server = self.sio
        namespace = self.namespace or "/"
        handle = capped(on_new_message)
        #: socket id → the session confirmed to it (one per socket; dropped when it disconnects)
        confirmed: Dict[str, str] = {}
        rasa_disconnect = server.handlers[namespace]["disconnect"]
        limits = MessageLimits.from_env()
        too_fast = words()["too_fast"]

        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session = requested if identity.issued(requested) else identity.new_session_id()
            previous = confirmed.get(sid)
            if previous is not None and previous != session:  # one session per socket: leave the old one's room
                left = server.leave_room(sid, identity.web_id(previous), namespace=self.namespace)
                if inspect.isawaitable(left):
                    await left
            confirmed[sid] = session
            joined = server.enter_room(sid, identity.web_id(session), namespace=self.namespace)
            if inspect.isawaitable(joined):
                await joined
            await server.emit("session_confirm", session, room=sid, namespace=self.namespace)

        async def handle_message(sid: str, data: Any = None) -> None:
            problem = self.payload_problem(data)
            session = confirmed.get(sid)
            if problem is None and session is None:
                problem = "no session confirmed to this socket (send session_request first)"
            elif problem is None and data.get("session_id") not in (None, session):
                problem = "a session id that is not this socket's"
            if problem is not None:
                logger.warning("socket.io %s from %s refused: %s", self.user_message_evt, sid, problem)
                return None
            over = await limits.check(session, client_address(server.get_environ(sid, namespace=namespace) or {}))
            if over is not None:
                logger.warning("socket.io message from %s not read: over the message limit", sid)
                if over == 1:
                    await server.emit(self.bot_message_evt, {"text": too_fast}, room=sid, namespace=self.namespace)
                return None
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            await handle(UserMessage(data.get("message", ""), SocketIOOutput(server, self.bot_message_evt),
                                     identity.web_id(session), input_channel=self.name(), metadata=metadata))

        async def disconnect(sid: str, *args: Any) -> None:
            confirmed.pop(sid, None)
            await rasa_disconnect(sid)

        server.on("session_request", session_request, namespace=self.namespace)
        server.on(self.user_message_evt, handle_message, namespace=self.namespace)
        server.on("disconnect", disconnect, namespace=self.namespace)
        return blueprint

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        """Our output for messages that are not replies (reminders, the check-in)."""
        return SocketIOOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

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
