"""The local endpoints file: Rasa finds the action server where scripts/env.sh put it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_action_endpoint_follows_actions_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.utils import read_endpoints_from_path

    monkeypatch.setenv("ACTIONS_HOST", "127.0.0.1")
    monkeypatch.setenv("ACTIONS_PORT", "6123")
    monkeypatch.setenv("KNOTCARE_ACTIONS_TOKEN", "secret-1")
    action = read_endpoints_from_path(ROOT / "endpoints.yml").action
    assert action.url == "http://127.0.0.1:6123/webhook"
    # Rasa shows the action server its secret on every call (actions/server.py refuses calls without it).
    assert action.headers == {"Authorization": "Bearer secret-1"}
