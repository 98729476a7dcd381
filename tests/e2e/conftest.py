"""End-to-end: the trained model, the action server and Rasa, started on free ports."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests

from knotcare.stack import Stack

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "knotcare.tar.gz"


class Servers(Stack):
    """The running stack, with helpers to talk to it over REST and read the tracker."""

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


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Servers]:
    """Action server + Rasa with the trained model, each on a free loopback port."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    stack = Servers(model=MODEL, work=tmp_path_factory.mktemp("e2e"))
    try:
        yield stack.start()
    finally:
        stack.stop()


def all_text(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies: List[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]
