"""Slack: signed Events API deliveries answered through the (fake) Web API; forged, replayed and retried ones not."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from channels.dedupe import RecentIds
from channels.slack import to_mrkdwn
from tests.e2e.channels.drivers import wait_turns

pytestmark = pytest.mark.channels


def ids():
    return f"U{uuid.uuid4().hex[:9].upper()}", f"D{uuid.uuid4().hex[:9].upper()}"


def user_turns(world, sender: str) -> int:
    tracker = requests.get(f"{world.servers.rasa_url}/conversations/{sender}/tracker",
                           params={"token": world.servers.token}, timeout=30).json()
    return sum(1 for e in tracker.get("events") or [] if e.get("event") == "user")


def test_a_signed_message_is_answered_with_block_kit_buttons(world) -> None:
    user, channel = ids()
    response, _ = world.slack_event(user, channel, "hi")
    assert response.status_code == 200, response.text
    post = world.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == channel)[0]
    assert post["authorization"] == "Bearer xoxb-test-token"
    blocks = post["params"]["blocks"]
    assert blocks[0]["type"] == "section" and "Knotcare" in blocks[0]["text"]["text"]
    actions = [b for b in blocks if b["type"] == "actions"][0]
    assert all(e["type"] == "button" for e in actions["elements"])
    assert '/describe_pain{"body_region":"neck"}' in [e["value"] for e in actions["elements"]]
    # A button press comes back as an interactivity payload and is answered too.
    assert world.slack_click(user, channel, '/describe_pain{"body_region":"neck"}').status_code == 200
    wait_turns(world, world.slack_conversation(user), 2)
    assert world.servers.slots(world.slack_conversation(user))["body_region"] == "neck"


def test_wrongly_signed_and_replayed_events_are_refused(world) -> None:
    user, channel = ids()
    forged, _ = world.slack_event(user, channel, "hi", secret="not-the-signing-secret")
    replayed, _ = world.slack_event(user, channel, "hi", timestamp=int(time.time()) - 600)  # 10 minutes old
    unsigned = requests.post(f"{world.servers.rasa_url}/webhooks/slack/webhook", json={"event": {}}, timeout=30)
    assert (forged.status_code, replayed.status_code, unsigned.status_code) == (400, 400, 400)
    assert world.slack.wait_quiet("chat.postMessage", lambda p: p.get("channel") == channel, quiet=2) == []
    assert user_turns(world, world.slack_conversation(user)) == 0


def test_slack_retries_of_one_event_are_answered_once(world) -> None:
    user, channel = ids()
    event_id = "Ev" + uuid.uuid4().hex[:10].upper()
    first, body = world.slack_event(user, channel, "hi", event_id=event_id)
    assert first.status_code == 200
    world.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == channel)
    # Slack redelivers the same body (same event_id), freshly signed, for reasons Rasa does not ignore.
    for number, reason in ((1, "http_error"), (2, "connection_failed"), (3, "http_timeout")):
        retry = world.slack_post(body, "application/json",
                                 headers={"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": reason})
        assert retry.status_code in (200, 201), retry.text
    posts = world.slack.wait_quiet("chat.postMessage", lambda p: p.get("channel") == channel, quiet=2)
    assert len(posts) == 1, posts
    assert user_turns(world, world.slack_conversation(user)) == 1


def test_recent_ids_forget_after_their_time() -> None:
    now = [0.0]
    seen = RecentIds(ttl=10, limit=3, clock=lambda: now[0])
    assert seen.first_time("a") and not seen.first_time("a")
    now[0] = 11
    assert seen.first_time("a")
    assert seen.first_time("b") and seen.first_time("c") and seen.first_time("d")
    assert seen.first_time(None) and seen.first_time(None)


def test_mrkdwn_bold_and_escaping() -> None:
    assert to_mrkdwn("a **routine** for <you> & me") == "a *routine* for &lt;you&gt; &amp; me"
