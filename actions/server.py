"""The action server: rasa-sdk's app, without the parts that leak a conversation or open it to browsers.

rasa-sdk 3.6 answers a failed action with `{"error": ..., "request_body": <the whole tracker>}` and logs the
exception with its message, and Rasa then logs that answer: slot values and old messages reach both logs.
Here a failed action is logged by its exception type and place only, and answered with a generic error.
Only Rasa calls the action server, so it sends no CORS headers (rasa-sdk's default allows any origin).
"""

from __future__ import annotations

import logging
import os
import traceback

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

#: What Rasa hears when an action fails (it then answers the person with its own fallback).
FAILED = {"error": "the action failed; see the action server's log"}


def where(exception: BaseException) -> str:
    """The innermost frame of our code an exception passed through (file and line), never its message."""
    frames = traceback.extract_tb(exception.__traceback__)
    ours = [f for f in frames if "/site-packages/" not in f.filename] or frames
    return f"{os.path.basename(ours[-1].filename)}:{ours[-1].lineno}" if ours else "?"


def make_app(package: str = "actions") -> Sanic:
    """rasa-sdk's app for `package`, with no CORS and a failure answer that carries nothing of the request."""
    app = create_app(package, cors_origins=None, auto_reload=False)

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("action server: %s at %s handling %s %s", type(exception).__name__, where(exception),
                     request.method, request.path)
        return response.json(FAILED, status=500)

    app.error_handler.add(Exception, failed)
    return app


def serve(host: str, port: int) -> None:
    """Run the action server on `host`:`port` (one worker: the knowledge base pool is per process)."""
    make_app().run(host, port, workers=1, access_log=False)
