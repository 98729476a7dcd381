"""The action server gives nothing of a conversation away: a failed action is answered and logged without
the tracker it was sent, browsers get no CORS permission, and only Rasa (with the shared secret) runs actions."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import requests

from harness.stack import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def action_server(work: Path, secret: Optional[str]) -> Iterator[str]:
    """`knotcare actions` on a free port with its own knowledge base (and `secret`, or none); yields its URL."""
    port, log = free_port(), work / "actions.log"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'kb.db'}"}
    env.pop("KNOTCARE_ACTIONS_TOKEN", None)
    if secret:
        env["KNOTCARE_ACTIONS_TOKEN"] = secret
    with log.open("w") as out:
        server = subprocess.Popen([str(Path(sys.executable).parent / "knotcare"), "actions", "--host", "127.0.0.1",
                                   "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/health", server, log, 90)
        yield url
    finally:
        server.terminate()
        server.wait(30)


def test_a_failed_action_leaks_nothing_and_browsers_are_not_let_in(tmp_path: Path) -> None:
    marker = f"Quökka{uuid.uuid4().hex[:8]}Ünï"
    with action_server(tmp_path, secret=None) as url:  # no secret asked: what is answered is the point here
        # A tracker the action cannot read (its latest message is not an object), full of the person's words.
        body = {"next_action": "action_extract_pain_facts", "sender_id": marker,
                "tracker": {"sender_id": marker, "slots": {"body_region": marker}, "latest_message": 5,
                            "events": [{"event": "user", "text": marker}]}, "domain": {}}
        response = requests.post(f"{url}/webhook", json=body, timeout=30)
        assert response.status_code == 500
        assert marker not in response.text and "request_body" not in response.json()
        preflight = requests.options(f"{url}/webhook", timeout=10, headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in {k.lower() for k in preflight.headers}
    written = (tmp_path / "actions.log").read_text(encoding="utf-8", errors="replace")
    assert "AttributeError" in written  # the failure is logged ...
    assert marker not in written and marker.lower() not in written.lower()  # ... without what was sent


def test_only_rasa_with_the_secret_runs_an_action(tmp_path: Path) -> None:
    secret = uuid.uuid4().hex
    with action_server(tmp_path, secret=secret) as url:
        body = {"next_action": "action_forget_me", "sender_id": "victim",
                "tracker": {"sender_id": "victim", "slots": {}, "latest_message": {}, "events": []}, "domain": {}}
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": secret}):
            response = requests.post(f"{url}/webhook", json=body, headers=headers, timeout=30)
            assert response.status_code == 401, headers
        ok = requests.post(f"{url}/webhook", json=body, headers={"Authorization": f"Bearer {secret}"}, timeout=30)
        assert ok.status_code == 200, ok.text
