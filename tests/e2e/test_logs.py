"""What people write never reaches the logs: the real log files of the running stack are searched for a marker
word sent in messages, over REST, socket.io and the HTTP API, with the action server up and down, and in
bad input that makes Rasa log errors."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import List

import pytest
import requests

from tests.e2e.conftest import Servers, socket_session

pytestmark = pytest.mark.e2e


def marked_lines(servers: Servers, marker: str) -> List[str]:
    """The lines of the stack's real log files (Rasa's and the action server's) that contain `marker`."""
    return [line for path in sorted(Path(servers.work).glob("*.log"))
            for line in path.read_text(errors="replace").splitlines() if marker in line]


def _rest(servers: Servers, body: object) -> requests.Response:
    return requests.post(f"{servers.rasa_url}/webhooks/rest/webhook", json=body, timeout=120)


def _api(servers: Servers, path: str, body: object) -> requests.Response:
    return requests.post(f"{servers.rasa_url}{path}", params={"token": servers.token}, json=body, timeout=120)


def _socketio(servers: Servers, messages: list) -> None:
    with socket_session(servers.rasa_url) as socket:
        for message in messages:
            socket.send({**message, "session_id": socket.session_id} if isinstance(message, dict) else message)
        time.sleep(3)


def _conversation(servers: Servers) -> str:
    """Talk to every entry point with a marker word in what is written; return the marker.

    No log line has the marker unless it copied what a person (or an API client) wrote as message text.
    """
    marker = f"quokka{uuid.uuid4().hex[:10]}"
    sender = f"logs-{uuid.uuid4().hex[:8]}"
    for text in (f"hi {marker}", f"knot in my upper back {marker}, dull ache", f"{marker} about 3 weeks",
                 f"/affirm{{bad json {marker}", f'/describe_pain{{"body_region": "{marker}"}}',
                 f"I've had a fever {marker} and chills", f"{marker} " * 1000):
        _rest(servers, {"sender": sender, "message": text})
    for body in ({"sender": sender, "message": 5, "metadata": marker}, {"sender": {"x": marker}, "message": marker},
                 [marker], {"sender": sender, "message": marker, "metadata": [marker]}):
        _rest(servers, body)
    _api(servers, "/model/parse", {"text": f"knot {marker}"})
    _api(servers, f"/conversations/{sender}/messages", {"text": f"{marker} neck", "sender": "user"})
    _api(servers, f"/conversations/{sender}/messages", {"text": f"{marker} neck", "sender": "bot"})
    _api(servers, f"/conversations/{sender}/tracker/events", {"event": "user", "text": marker, "extra": marker})
    _api(servers, f"/conversations/{sender}/tracker/events", {"event": marker, "text": marker})
    requests.post(f"{servers.rasa_url}/model/parse", params={"token": servers.token}, timeout=60,
                  data=json.dumps({"text": marker})[:-1], headers={"Content-Type": "application/json"})
    _socketio(servers, [{"message": f"knot in my neck {marker}"}, {"message": [marker]}, [marker],
                        {"message": marker, "customData": f"{{{marker}"}, {"message": f"{marker} " * 1000}])
    time.sleep(1)
    return marker


def test_message_text_is_not_logged_with_the_action_server_up(servers: Servers) -> None:
    found = marked_lines(servers, _conversation(servers))
    assert found == [], "\n".join(found[:20])


def test_message_text_is_not_logged_with_the_action_server_down(actions_down: Servers) -> None:
    found = marked_lines(actions_down, _conversation(actions_down))
    assert found == [], "\n".join(found[:20])


def test_rasa_froze_the_loaded_model_out_of_the_garbage_collectors_reach(servers: Servers) -> None:
    """patches.heap runs once the server has started (after the model loaded): its log line says how much."""
    froze = [line for line in (Path(servers.work) / "rasa.log").read_text(errors="replace").splitlines()
             if "out of the garbage collector's reach" in line]
    assert len(froze) >= 1, "patches.heap.freeze did not run in the Rasa server"
    assert int(froze[0].split("froze ")[1].split()[0]) > 100_000  # TensorFlow, spaCy and the model: ~660,000
