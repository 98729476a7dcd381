"""One scripted conversation, driven through each channel the way that channel's users reach it."""

from __future__ import annotations

import json
import time
import uuid
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import requests

from tests.e2e.channels.conftest import ChannelWorld

#: The conversation: a greeting, a description with every fact, then "No" to each screen question.
OPENING = ["hi", "knot under my right shoulder blade, dull ache, 3 weeks, about 5/10"]
CONTRACT_SLOTS = ("body_region", "pain_quality", "pain_duration_days", "pain_severity", "red_flags",
                  "triage_level", "routine_id")
EXPECTED = {"body_region": "upper_back", "pain_quality": "dull_ache", "pain_duration_days": 21,
            "pain_severity": 5, "red_flags": [], "triage_level": "self_care", "routine_id": "upper_back_ball_on_wall"}


def wait_turns(world: ChannelWorld, sender: str, user_turns: int, timeout: float = 60.0) -> Dict[str, Any]:
    """Wait until Rasa has handled `user_turns` messages from `sender` and is listening again; the tracker."""
    deadline = time.monotonic() + timeout
    tracker: Dict[str, Any] = {}
    while time.monotonic() < deadline:
        tracker = requests.get(f"{world.servers.rasa_url}/conversations/{sender}/tracker",
                               params={"token": world.servers.token}, timeout=30).json()
        events = tracker.get("events") or []
        users = sum(1 for e in events if e.get("event") == "user")
        if users >= user_turns and events[-1].get("event") == "action" and events[-1].get("name") == "action_listen":
            return tracker
        time.sleep(0.1)
    last = [f"{e.get('event')}:{e.get('name') or e.get('text')}" for e in tracker.get("events") or []][-6:]
    raise AssertionError(f"{sender}: {user_turns} turns not done in {timeout}s; last events {last}")


def run_script(send: Callable[[str], List[str]], after: Sequence[str] = (), limit: int = 8) -> None:
    """Send the opening, press No while the last turn offered it, then send `after`.

    `send` returns the payloads the turn offered.
    """
    offered: List[str] = []
    for text in OPENING:
        offered = send(text)
    for _ in range(limit):
        if "/deny" not in offered:
            break
        offered = send("/deny")
    else:
        raise AssertionError("the screen did not end")
    for text in after:
        send(text)


def contract(world: ChannelWorld, sender: str) -> Dict[str, Any]:
    """The contract slots of a conversation, from the tracker API."""
    slots = world.servers.slots(sender)
    return {name: slots.get(name) for name in CONTRACT_SLOTS}


# --- REST --------------------------------------------------------------------------------------------------
def over_rest(world: ChannelWorld) -> str:
    sender = f"rest-{uuid.uuid4().hex[:8]}"
    run_script(lambda text: [b["payload"] for r in world.servers.say(sender, text) for b in r.get("buttons") or []])
    return sender


# --- socket.io (what the web widget speaks) ----------------------------------------------------------------
@contextmanager
def web_session(world: ChannelWorld, forwarded_for: Optional[str] = None) -> Iterator[Tuple[Any, str, List[Dict]]]:
    """A socket.io client with a session the server issued, and the bot messages it receives (as if behind our
    proxy when `forwarded_for` is given)."""
    import socketio

    client = socketio.Client()
    received: List[Dict[str, Any]] = []
    confirmed: List[str] = []
    client.on("bot_uttered", received.append)
    client.on("session_confirm", confirmed.append)
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    client.connect(world.servers.rasa_url, socketio_path="/socket.io/", transports=["polling"], headers=headers)
    try:
        client.emit("session_request", {"session_id": None})
        deadline = time.monotonic() + 20
        while not confirmed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert confirmed, "no session_confirm from Rasa's socketio channel"
        yield client, confirmed[0], received  # the session id, issued by the server
    finally:
        # engine.io's close, without waiting out the pending long-poll (up to the 25 s ping interval)
        client.eio.disconnect(abort=True)


def over_socketio(world: ChannelWorld) -> str:
    with web_session(world) as (client, session_id, received):
        turns = 0

        def send(text: str) -> List[str]:
            nonlocal turns
            before = len(received)
            client.emit("user_uttered", {"message": text, "session_id": session_id})
            turns += 1
            wait_turns(world, f"web:{session_id}", turns)
            # bot_uttered events can arrive after the turn is stored: wait until they stop coming
            deadline, seen, since = time.monotonic() + 10, -1, time.monotonic()
            while time.monotonic() < deadline and not (len(received) > before and time.monotonic() - since > 0.7):
                if len(received) != seen:
                    seen, since = len(received), time.monotonic()
                time.sleep(0.05)
            return [q["payload"] for m in received[before:] for q in m.get("quick_replies") or []]

        run_script(send)
    return f"web:{session_id}"


# --- Slack ---------------------------------------------------------------------------------------------------
def over_slack(world: ChannelWorld, after: Sequence[str] = (), channel: str = "") -> str:
    """The scripted conversation from a new Slack user; the conversation id."""
    user, channel = f"U{uuid.uuid4().hex[:9].upper()}", channel or f"D{uuid.uuid4().hex[:9].upper()}"
    turns = 0

    def send(text: str) -> List[str]:
        nonlocal turns
        before = len(world.slack_replies(channel))
        if text.startswith("/"):
            response = world.slack_click(user, channel, text)  # a button press
        else:
            response, _ = world.slack_event(user, channel, text)
        assert response.status_code == 200, response.text
        turns += 1
        wait_turns(world, world.slack_conversation(user), turns)
        time.sleep(0.3)  # posts to the Web API follow the stored turn
        return [element["value"] for post in world.slack_replies(channel)[before:]
                for block in post["params"].get("blocks") or [] if block["type"] == "actions"
                for element in block["elements"]]

    run_script(send, after)
    return world.slack_conversation(user)


# --- Telegram ------------------------------------------------------------------------------------------------
def keyboard(call: Dict[str, Any]) -> List[str]:
    """The callback data of an inline keyboard in a recorded sendMessage."""
    markup = call["params"].get("reply_markup")
    if not markup:
        return []
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [key["callback_data"] for row in markup.get("inline_keyboard", []) for key in row]


def over_telegram(world: ChannelWorld, after: Sequence[str] = ()) -> str:
    """The scripted conversation from a new Telegram chat; the conversation id `telegram:<chat id>`."""
    chat_id = int(uuid.uuid4().int % 10**9) + 10**9

    def send(text: str) -> List[str]:
        before = len(world.telegram_sent(chat_id))
        if text.startswith("/") and text != "/start":
            response, _ = world.telegram_press(chat_id, text)
        else:
            response = world.telegram_text(chat_id, text)
        assert response.status_code == 200, response.text
        return [data for call in world.telegram_sent(chat_id)[before:] for data in keyboard(call)]

    run_script(send, after)
    return f"telegram:{chat_id}"
