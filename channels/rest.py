"""Rasa's REST channel that answers 400, not 500, to a body it cannot read, with the length cap.

Use it in credentials.yml as `channels.rest.RestInput` (same name, `rest`: the webhook stays
`/webhooks/rest/webhook`). Rasa 3.6.21's calls `request.json.get(...)`, so a JSON body that is not an
object (null, a list, a number) or a `message` that is not a string ends in a 500. This one checks the
body first. Because every credentials file we ship has it, it also installs the HTTP API's guard
(`channels.guard.install_api_guard`) on the Sanic app when the server starts, and freezes the loaded
model out of the garbage collector's reach once it has started (`patches.heap`).

Who may post: a caller on this machine that no proxy forwarded (a loopback peer and no `Forwarded`,
`X-Forwarded-For` or `X-Real-IP` header: behind nginx every request comes from 127.0.0.1, with them), or
one holding the REST token (`$KNOTCARE_REST_TOKEN`, as `Authorization: Bearer …` or `?token=…`).
Everyone else gets 401. The sender must be a REST id (contract.md), and the input channel is
always `rest`.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from http import HTTPStatus
from typing import Any, Optional, Text

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import (
    BadBody,
    LengthCapped,
    OnNewMessage,
    bad_request,
    check_json_body,
    install_api_guard,
    json_body,
)
from knotcare.settings import Settings
from patches import heap

#: A REST sender id (contract.md): other channels' ids are namespaced ("telegram:…", "slack:…", "web:…"), so
#: a REST caller can never name their conversations.
SENDER = re.compile(r"[A-Za-z0-9_.-]{1,64}")

TOKEN_ENV = "KNOTCARE_REST_TOKEN"
#: Headers a proxy adds: a request carrying one did not start on this machine, whatever its peer address.
FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")

#: The fields Rasa's REST channel reads, and the JSON types it can handle (absent or null is fine).
FIELDS = {"sender": (str, int), "message": (str,), "metadata": (dict,), "input_channel": (str,)}


class RestInput(LengthCapped, RasaRestInput):
    """Rasa's REST input: checked body, capped message length, and the HTTP API guard."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's webhook behind a body check; the API guard installed once the app starts."""
        blueprint = super().blueprint(on_new_message)
        check_json_body(blueprint, FIELDS)
        token = Settings.from_env().rest_token

        @blueprint.middleware("request")
        async def caller_allowed(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or allowed(request, token):
                return None
            return response.json({"status": "failure", "reason": "NotAuthenticated", "code": HTTPStatus.UNAUTHORIZED,
                                  "message": f"this REST channel needs its token (${TOKEN_ENV}) as a Bearer header"},
                                 status=HTTPStatus.UNAUTHORIZED)

        @blueprint.middleware("request")
        async def sender_of_its_own(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST":
                return None
            try:
                sender = json_body(request).get("sender")
            except (BadBody, AttributeError):
                return None  # the body check above has answered already
            if sender is not None and not SENDER.fullmatch(str(sender)):
                return bad_request("`sender` must be 1 to 64 letters, digits, '_', '.' or '-'")
            return None

        @blueprint.listener("before_server_start")
        async def guard_http_api(app: Sanic, _loop: Any) -> None:
            install_api_guard(app)

        @blueprint.listener("after_server_start")
        async def freeze_heap(_app: Sanic, _loop: Any) -> None:
            heap.freeze()  # the model is loaded by now (Rasa loads it before the server starts)

        return blueprint

    def _extract_input_channel(self, req: Request) -> Text:
        """Always `rest`: a caller cannot say its message came in over Telegram or Slack."""
        return self.name()


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else request.args.get("token", "")


def allowed(request: Request, token: str) -> bool:
    """True for an unforwarded caller on loopback, or for the holder of `token` (when one is set)."""
    if token and hmac.compare_digest(_bearer(request).encode(), token.encode()):
        return True
    if any(name in request.headers for name in FORWARDED):
        return False
    try:
        peer = ipaddress.ip_address(request.ip)
    except ValueError:
        return False
    mapped = getattr(peer, "ipv4_mapped", None)
    return (mapped or peer).is_loopback
