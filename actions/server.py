"""The action server: rasa-sdk's app, without the parts that leak a conversation or open it to browsers.

rasa-sdk 3.6 answers a failed action with `{"error": ..., "request_body": <the whole tracker>}` and logs the
exception with its message, and Rasa then logs that answer: slot values and old messages reach both logs.
Here a failed action is logged by its exception type and place only, and answered with a generic error.
Only Rasa calls the action server, so it sends no CORS headers (rasa-sdk's default allows any origin).

Rasa 3.6 waits up to 300 s for an action, far longer than a conversation's lock, and our actions query the
knowledge base with blocking calls. So each action runs in a worker thread, with its own event loop, for at
most ACTION_TIMEOUT_SECONDS: a database that stops answering makes the action fail quickly, and Rasa's safety
net (policies/safety_net.py) answers the person from the model, emergency advice included.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import traceback
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Optional

from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import provider
from knotcare.settings import Settings

logger = logging.getLogger(__name__)

#: What Rasa hears when an action fails (it then answers the person with its own fallback).
FAILED = {"error": "the action failed; see the action server's log"}
#: An action gives up after this: with Rasa's own work, a turn still ends within 15 s.
ACTION_TIMEOUT_SECONDS = 8.0
#: The secret Rasa must show (endpoints: `headers: {Authorization: Bearer ...}`); unset, none is asked for.
TOKEN_ENV = "KNOTCARE_ACTIONS_TOKEN"
#: How long a connection from Rasa may stay silent before it is closed.
KEEP_ALIVE_SECONDS = 75
#: Actions that may run at once; a thread stuck on a database that never answers holds one of them.
WORKERS = 16


def where(exception: BaseException) -> str:
    """The innermost frame of our code an exception passed through (file and line), never its message."""
    frames = traceback.extract_tb(exception.__traceback__)
    ours = [f for f in frames if "/site-packages/" not in f.filename] or frames
    return f"{os.path.basename(ours[-1].filename)}:{ours[-1].lineno}" if ours else "?"


def _run(executor: ActionExecutor, call: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """One action, in this worker thread's own event loop."""
    return asyncio.run(executor.run(call))


def make_app(package: str = "actions") -> Sanic:
    """The action server for `package`: rasa-sdk's executor and routes, no CORS, a failure answer that carries
    nothing of the request, and every action bounded in time."""
    app = Sanic("knotcare_actions", configure_logging=False)
    # Sanic closes a connection that has sent nothing for KEEP_ALIVE_TIMEOUT (5 s by default), a new one too. Rasa
    # opens a connection per call, and under a burst of messages its event loop can be busy for longer than that
    # between connecting and writing: the call then failed ("Cannot write to closing transport") and the turn lost
    # its action. Rasa's own call timeout bounds the wait instead.
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_SECONDS
    executor = ActionExecutor()
    executor.register_package(package)
    workers = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="action")

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/actions")
    async def actions(_: Request) -> HTTPResponse:
        return response.json([{"name": name} for name in executor.actions])

    secret = Settings.from_env().actions_token

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        if secret and not hmac.compare_digest(request.headers.get("authorization", ""), f"Bearer {secret}"):
            return response.json({"error": "unauthorized"}, status=401)
        body = request.body
        call = json.loads(zlib.decompress(body)) if request.headers.get("Content-Encoding") == "deflate" \
            else request.json
        if not isinstance(call, dict):
            return response.json({"error": "Invalid body request"}, status=400)
        name = str(call.get("next_action") or "")
        try:
            result = await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(workers, _run, executor, call),
                                            ACTION_TIMEOUT_SECONDS)
        except ActionExecutionRejection as rejection:
            return response.json({"error": rejection.message, "action_name": rejection.action_name}, status=400)
        except ActionNotFoundException as missing:
            logger.error("action server: no action %s", missing.action_name)
            return response.json({"error": missing.message, "action_name": missing.action_name}, status=404)
        except asyncio.TimeoutError:
            logger.error("action server: %s did not finish within %.0f s (a database not answering?)", name,
                         ACTION_TIMEOUT_SECONDS)
            # What holds an action that long is the knowledge base: the next actions fail at once instead.
            provider.knowledge_base().mark_down()
            return response.json(FAILED, status=500)
        return response.json(result)

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("action server: %s at %s handling %s %s", type(exception).__name__, where(exception),
                     request.method, request.path)
        return response.json(FAILED, status=500)

    app.error_handler.add(Exception, failed)
    return app


def serve(host: str, port: int) -> None:
    """Run the action server on `host`:`port` (one worker: the knowledge base pool is per process)."""
    make_app().run(host, port, workers=1, access_log=False)


if __name__ == "__main__":  # started by `knotcare actions`, after it has seeded and checked the clinic profile
    import argparse

    parser = argparse.ArgumentParser(description="the Knotcare action server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    options = parser.parse_args()
    serve(options.host, options.port)
