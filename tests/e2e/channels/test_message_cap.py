"""The length cap (channels/guard.py) on every channel: a message over it gets the kind reply through that
channel, is never read by NLU, and leaves the conversation (events, form, slots) exactly as it was."""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict

import pytest
import requests

from channels.guard import DEFAULT_MAX_CHARS
from knotcare.kb.seed import words
from tests.e2e.channels.drivers import wait_turns
from tests.e2e.conftest import all_text, socket_session, wait_for_replies

TOO_LONG_REPLY = words()["too_long"]

pytestmark = pytest.mark.channels

# A description repeated past the cap: were it read, it would fill slots and answer the form's question.
LONG = "the knot is in my lower back, a sharp pain, for 2 weeks, 6/10. " * 40
OPENING = "knot in my upper back, dull ache"


def tracker(world, sender: str) -> Dict[str, Any]:
    return requests.get(f"{world.servers.rasa_url}/conversations/{sender}/tracker",
                        params={"token": world.servers.token}, timeout=30).json()


def assert_untouched(before: Dict[str, Any], after: Dict[str, Any]) -> None:
    assert after["events"] == before["events"]
    assert after["slots"] == before["slots"] and after["active_loop"] == before["active_loop"]
    assert before["slots"]["requested_slot"] is not None  # it was mid-form, and still is


def test_rest_over_the_cap_mid_form(world) -> None:
    assert len(LONG) > DEFAULT_MAX_CHARS
    sender = f"cap-rest-{uuid.uuid4().hex[:8]}"
    world.servers.say(sender, OPENING)
    before = tracker(world, sender)
    assert all_text(world.servers.say(sender, LONG)) == TOO_LONG_REPLY
    assert_untouched(before, tracker(world, sender))
    # The form goes on where it was.
    world.servers.say(sender, "about 3 weeks")
    slots = world.servers.slots(sender)
    assert slots["body_region"] == "upper_back" and slots["pain_duration_days"] == 21


def test_rest_at_the_cap_is_read(world) -> None:
    sender = f"cap-edge-{uuid.uuid4().hex[:8]}"
    text = ("knot in my neck " * 200)[:DEFAULT_MAX_CHARS - 1] + "k"
    assert len(text) == DEFAULT_MAX_CHARS
    assert all_text(world.servers.say(sender, text)) != TOO_LONG_REPLY
    assert world.servers.slots(sender)["body_region"] == "neck"


def test_telegram_over_the_cap_mid_form(world) -> None:
    chat_id = int(uuid.uuid4().int % 10**9) + 10**9
    assert world.telegram_text(chat_id, OPENING).status_code == 200
    before = tracker(world, f"telegram:{chat_id}")
    sent = len(world.telegram_sent(chat_id))
    assert world.telegram_text(chat_id, LONG).status_code == 200
    replies = world.telegram_sent(chat_id)[sent:]
    assert [r["params"]["text"] for r in replies] == [TOO_LONG_REPLY]
    assert_untouched(before, tracker(world, f"telegram:{chat_id}"))


def test_slack_over_the_cap_mid_form(world) -> None:
    user, channel = f"U{uuid.uuid4().hex[:9].upper()}", f"D{uuid.uuid4().hex[:9].upper()}"
    world.slack_event(user, channel, OPENING)
    wait_turns(world, world.slack_conversation(user), 1)
    posted = len(world.slack.wait_quiet("chat.postMessage", lambda p: p.get("channel") == channel))
    before = tracker(world, world.slack_conversation(user))
    response, _ = world.slack_event(user, channel, LONG)
    assert response.status_code == 200
    replies = world.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == channel, count=posted + 1)
    assert replies[posted]["params"]["text"] == TOO_LONG_REPLY
    time.sleep(1)
    assert_untouched(before, tracker(world, world.slack_conversation(user)))


def test_socketio_over_the_cap(world) -> None:
    with socket_session(world.servers.rasa_url) as socket:
        socket.send({"message": OPENING, "session_id": socket.session_id})
        wait_turns(world, socket.conversation, 1)
        time.sleep(1)
        before = tracker(world, socket.conversation)
        socket.received.clear()
        socket.send({"message": LONG, "session_id": socket.session_id})
        replies = wait_for_replies(socket.received, 30)
        time.sleep(1)
        assert [m.get("text") for m in replies] == [TOO_LONG_REPLY]
        assert_untouched(before, tracker(world, socket.conversation))
