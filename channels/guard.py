"""Bad input stops at the door: a length cap before NLU on every channel, and 400 (not 500) for bad bodies.

Shared by all our input channels (REST, socket.io, Slack, Telegram):
- `capped()` wraps the `on_new_message` a channel gets from Rasa. A message longer than
  `KNOTCARE_MAX_MESSAGE_CHARS` (default 2000) is answered with a kind request for a shorter one, sent
  through the channel's own output, and never reaches NLU or the tracker (a 100 KB message can exhaust
  DIET's memory, and the conversation, its form and slots, stay as they were); a typed
  `/intent{...}` keeps only the entity values our own buttons can carry (`knotcare.nlp.payloads`);
- `install_api_guard()` makes Rasa's HTTP API answer 400 where Rasa 3.6.21 answers 500 to a body that
  is not valid JSON or not the JSON an endpoint reads (server.py catches the parse error, and its own
  400s, with every other error and re-raises them as a 500). It only changes responses Rasa already
  made, after Rasa's own authentication ran, so a request without the token still gets 401/403.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Text

import yaml
from rasa.core.channels.channel import UserMessage
from rasa.server import ErrorResponse
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

import patches
from channels.held_replies import HeldReplies
from knotcare.config import ROOT
from knotcare.kb.seed import words
from knotcare.nlp import controls, payloads
from knotcare.settings import Settings
from patches import log_privacy

logger = logging.getLogger(__name__)

MAX_CHARS_ENV = "KNOTCARE_MAX_MESSAGE_CHARS"
# About 350 words: four times the longest message in our NLU data and vignettes, half of Telegram's own
# 4096-character limit, and far below what makes DIET slow or run out of memory.
DEFAULT_MAX_CHARS = 2000

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def max_message_chars(env: Mapping[str, str] = os.environ) -> int:
    """The configured cap on a message's length (characters); the default when unset or not a positive number."""
    return int(Settings.from_env(env).max_message_chars)


def capped(on_new_message: OnNewMessage, limit: Optional[int] = None) -> OnNewMessage:
    """`on_new_message` for messages up to `limit` characters; longer ones get the reviewed `too_long` message
    (data/kb/messages.yml) and nothing else."""
    cap = limit or max_message_chars()
    too_long = words()["too_long"]
    patches.install()

    async def handle(message: UserMessage) -> Any:
        if isinstance(message.text, str) and len(message.text) > cap:
            logger.info("a message of %d characters (over %d) from %s was not read: asked for a shorter one",
                        len(message.text), cap, message.input_channel)
            await message.output_channel.send_response(message.sender_id, {"text": too_long})
            return None
        # A typed /intent{...} carries only values our own buttons can carry (knotcare.nlp.payloads).
        message.text = payloads.checked(message.text)
        story = controls.next_callers_message(message.text) if isinstance(message.text, str) else None
        if story is not None:
            # "new caller: woman 31 weeks pregnant, ...": the control first, then the story in a fresh conversation
            await handle(UserMessage(controls.NEW_CALLER, message.output_channel, message.sender_id,
                                     input_channel=message.input_channel, metadata=message.metadata))
            message.text = story
        log_privacy.remember(message.text)  # only what goes on to be read: nothing else logs a text
        channel = message.output_channel
        held = message.output_channel = HeldReplies(channel)
        try:
            result = await on_new_message(message)
        except Exception as error:  # noqa: BLE001 - a store that did not answer in time, or a bug: say so
            logger.error("a turn failed (%s from %s): the person was told, with the emergency advice",
                         type(error).__name__, message.input_channel)
            message.output_channel = channel
            try:
                await held.release()
                await channel.send_response(message.sender_id, {"text": unavailable_reply()})
            except Exception as failed:  # noqa: BLE001 - the channel's own API may be what is down
                logger.error("the failure reply could not be sent either (%s)", type(failed).__name__)
            return None
        # The turn is over (Rasa saves it last): send what waited for it (channels/held_replies.py).
        message.output_channel = channel
        await held.release()
        return result

    return handle


@functools.lru_cache(maxsize=1)
def unavailable_reply() -> str:
    """What a person is told when their turn failed: the safety net's own words (domain/safety.yml), so that a
    failure anywhere reads the same and carries the emergency advice."""
    responses = yaml.safe_load((ROOT / "domain" / "safety.yml").read_text(encoding="utf-8"))["responses"]
    return " ".join(str(responses["utter_safety_net_unavailable"][0]["text"]).split())


class LengthCapped:
    """Mixin for an input channel whose Rasa blueprint takes `on_new_message`: the messages it passes are capped."""

    def blueprint(self, on_new_message: OnNewMessage) -> Any:
        """The parent channel's blueprint, given the capped `on_new_message`."""
        return super().blueprint(capped(on_new_message))  # type: ignore[misc]


def bad_request(message: Text) -> HTTPResponse:
    """A 400 shaped like Rasa's own API errors."""
    return response.json({"status": "failure", "reason": "BadRequest", "message": message,
                          "code": HTTPStatus.BAD_REQUEST}, status=HTTPStatus.BAD_REQUEST)


class BadBody(ValueError):
    """A request body that is not the JSON expected."""


def json_body(request: Request) -> Any:
    """The request's body parsed as JSON; BadBody when it is not valid JSON."""
    try:
        return json.loads(request.body or b"")
    except (ValueError, RecursionError) as error:  # RecursionError: "[[[[..." nested past Python's limit
        raise BadBody("the body is not valid JSON") from error


def check_json_body(blueprint: Blueprint, fields: Dict[Text, tuple], content_type: Optional[Text] = None) -> None:
    """400 for a POST to the blueprint whose body is not a JSON object, or whose `fields` have the wrong type.

    With `content_type`, only bodies sent with that Content-Type are checked (Slack also posts forms).
    """
    @blueprint.middleware("request")
    async def json_object_only(request: Request) -> Optional[HTTPResponse]:
        if request.method != "POST" or (content_type and request.headers.get("content-type") != content_type):
            return None
        try:
            body = json_body(request)
        except BadBody as error:
            return bad_request(str(error))
        if not isinstance(body, dict):
            return bad_request("the body must be a JSON object")
        wrong = sorted(k for k, types in fields.items() if body.get(k) is not None and not isinstance(body[k], types))
        if wrong:
            return bad_request(f"wrong type: {', '.join(wrong)}")
        return None


#: What HTTP API endpoints read from their JSON object body: path ending -> the field that must be a string.
REQUIRED_STRINGS = {"/model/parse": "text", "/messages": "text", "/execute": "name", "/trigger_intent": "name"}


def body_problem(request: Request) -> Optional[Text]:
    """Why the body cannot be what the HTTP API endpoint reads (an object; events: object or list), or None."""
    if not request.body:
        return None
    try:
        body = json_body(request)
    except BadBody as error:
        return str(error)
    if request.path.endswith("/tracker/events") and isinstance(body, list) and all(isinstance(e, dict) for e in body):
        return None
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    for ending, field in REQUIRED_STRINGS.items():
        if request.path.endswith(ending) and not isinstance(body.get(field), str):
            return f"`{field}` must be a string"
    return None


def _status(exception: BaseException) -> int:
    return int(getattr(exception, "status", None) or getattr(exception, "status_code", None) or 500)


def install_api_guard(app: Sanic) -> None:
    """Answer 400 instead of a 5xx when the request body was not the JSON the endpoint reads; keep API texts
    out of the logs (patches.log_privacy)."""
    # lookup/add, not the handler's dicts: Sanic-CORS wraps the app's ErrorHandler in one that delegates.
    handlers = app.error_handler
    rasa_errors = handlers.lookup(ErrorResponse(HTTPStatus.INTERNAL_SERVER_ERROR, "", ""), None)

    def handle(request: Request, exception: Exception) -> Any:
        inner = exception.__context__
        if _status(exception) >= 500 and isinstance(inner, ErrorResponse) and _status(inner) < 500:
            exception = inner  # Rasa's own 4xx, which a catch-all `except Exception` in server.py made a 500
        problem = body_problem(request) if request is not None and _status(exception) >= 500 else None
        if problem is not None:
            logger.info("%s %s: %s (answered 400)", request.method, request.path, problem)
            return bad_request(problem)
        if isinstance(exception, ErrorResponse):
            return rasa_errors(request, exception)
        return None  # Sanic's default response

    handlers.add(ErrorResponse, handle)
    handlers.add(Exception, handle)

    async def remember_api_texts(request: Request) -> None:
        if request.body and request.path.startswith(("/model/", "/conversations/")):
            try:
                log_privacy.remember_body(json_body(request))
            except BadBody:
                log_privacy.remember(request.body.decode("utf-8", "replace"))

    app.register_middleware(remember_api_texts, "request")
    patches.install()
