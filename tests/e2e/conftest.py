"""End-to-end: the trained model, the action server and Rasa, started on free ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "knotcare.tar.gz"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {limit}s:\n{log.read_text()[-3000:]}")


@dataclass
class Servers:
    """Running servers and helpers to talk to them."""

    rasa_url: str
    actions_url: str
    token: str
    actions: subprocess.Popen
    actions_cmd: List[str]
    env: Dict[str, str]
    log_dir: Path

    def say(self, sender: str, text: Any) -> List[Dict[str, Any]]:
        """Send one message over the REST channel; return the bot's replies."""
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text}, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def slots(self, sender: str) -> Dict[str, Any]:
        """The conversation's slots, through the tracker API (with the token)."""
        response = requests.get(f"{self.rasa_url}/conversations/{sender}/tracker",
                                params={"token": self.token}, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()["slots"]

    def start_actions(self) -> None:
        """(Re)start the action server and wait for it."""
        log = self.log_dir / "actions.log"
        self.actions = subprocess.Popen(self.actions_cmd, cwd=ROOT, env=self.env,
                                        stdout=log.open("a"), stderr=subprocess.STDOUT)
        wait_until_up(f"{self.actions_url}/health", self.actions, log, 60)

    def stop_actions(self) -> None:
        """Stop the action server (fault tests)."""
        self.actions.terminate()
        self.actions.wait(timeout=20)


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Servers]:
    """Action server + Rasa with the trained model, each on a free loopback port."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    work = tmp_path_factory.mktemp("e2e")
    actions_port, rasa_port = free_port(), free_port()
    token = uuid.uuid4().hex
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{actions_port}/webhook\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {work / 'tracker.db'}\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'kb.db'}", "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    actions_cmd = [str(BIN / "knotcare"), "actions", "--port", str(actions_port)]
    servers = Servers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", token,
                      None, actions_cmd, env, work)  # type: ignore[arg-type]
    servers.start_actions()
    rasa_log = work / "rasa.log"
    rasa = subprocess.Popen(
        [str(BIN / "rasa"), "run", "--model", str(MODEL), "--enable-api", "--auth-token", token,
         "--interface", "127.0.0.1", "--port", str(rasa_port), "--endpoints", str(endpoints),
         "--credentials", str(ROOT / "credentials.yml")],
        cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"{servers.rasa_url}/", rasa, rasa_log, 240)
        yield servers
    finally:
        for process in (rasa, servers.actions):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def all_text(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies: List[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]
