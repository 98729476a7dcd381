"""Slack and Telegram webhooks: an authentic request whose body is not what the channel reads gets a 4xx, never a
5xx (Rasa 3.6.21's Slack connector calls `.get` on any JSON body: a 500 for a signed `[]`)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.channels

ODD = [None, [], 5, "text", True, {"event": 5}, {"event": []}, {"update_id": "x"}, {"update_id": 1, "message": 5},
       {"update_id": 2, "message": {"text": 5, "chat": "x"}}]
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(
                        st.sampled_from(["event", "type", "challenge", "update_id", "message", "text", "chat"]),
                        children, max_size=3), max_leaves=8)
FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _safe(status: int, text: str) -> None:
    assert status < 500, (status, text[:300])
    assert "Traceback" not in text


def test_slack_signed_bodies_that_are_not_events(world) -> None:
    for body in ODD:
        response = world.slack_post(json.dumps(body).encode(), "application/json")
        _safe(response.status_code, response.text)
    assert world.slack_post(b"[]", "application/json").status_code == 400

    @FUZZ
    @given(body=JSON)
    def check(body: Any) -> None:
        response = world.slack_post(json.dumps(body).encode(), "application/json")
        _safe(response.status_code, response.text)

    check()


def test_telegram_authentic_bodies_that_are_not_updates(world) -> None:
    for body in ODD:
        response = world.telegram_update(body)
        _safe(response.status_code, response.text)
    assert world.telegram_update([]).status_code == 400

    @FUZZ
    @given(body=JSON)
    def check(body: Any) -> None:
        response = world.telegram_update(body)
        _safe(response.status_code, response.text)

    check()
