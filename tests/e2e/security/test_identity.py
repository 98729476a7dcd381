"""Nobody reads or changes another person's conversation: a Telegram user's history, tickets and data, attacked
over REST and socket.io with that user's id, stay theirs (the real servers on PostgreSQL and Redis)."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any, Dict, List

import pytest
import requests
from sqlalchemy import create_engine, func, select

from knotcare import schema as tables
from knotcare.privacy import person_id
from tests.e2e.channels.conftest import STAFF_CHANNEL, ChannelWorld
from tests.e2e.channels.drivers import over_telegram, wait_turns
from tests.e2e.conftest import all_text, socket_session, wait_for_replies
from tests.e2e.security.conftest import REST_TOKEN

pytestmark = [pytest.mark.channels, pytest.mark.postgres]

ATTACKS = ["how am I doing?", "talk to a person", "forget me", "/affirm", "yes"]


def rows_of(world: ChannelWorld, conversation: str) -> Dict[str, int]:
    """How many rows each personal table holds for one conversation's person."""
    engine = create_engine(world.servers.database_url, future=True)
    try:
        with engine.connect() as connection:
            return {table.name: connection.execute(select(func.count()).select_from(table).where(
                table.c.person_id == person_id(conversation))).scalar_one()
                for table in (tables.person_plans, tables.progress_entries, tables.handoff_tickets)}
    finally:
        engine.dispose()


def events(world: ChannelWorld, conversation: str) -> List[Dict[str, Any]]:
    response = requests.get(f"{world.servers.rasa_url}/conversations/{conversation}/tracker",
                            params={"token": world.servers.token}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json().get("events") or []


def said(world: ChannelWorld, conversation: str) -> List[str]:
    """What the conversation's person wrote (reminders firing, such as the check-in, are not writing)."""
    return [e.get("text") for e in events(world, conversation) if e["event"] == "user"
            and not ((e.get("parse_data") or {}).get("intent") or {}).get("name", "").startswith("EXTERNAL_")]


def telegram_turn(world: ChannelWorld, chat_id: str, text: str) -> List[str]:
    """One Telegram message (or a button press for a payload); the texts sent back."""
    before = len(world.telegram_sent(chat_id))
    if text.startswith("/"):
        response, _ = world.telegram_press(int(chat_id), text)
    else:
        response = world.telegram_text(int(chat_id), text)
    assert response.status_code == 200, response.text
    return [call["params"]["text"] for call in world.telegram_sent(chat_id)[before:]]


@pytest.fixture(scope="module")
def victim(world: ChannelWorld) -> Dict[str, Any]:
    """A Telegram user with a plan, a finished guided session and an open ticket."""
    conversation = over_telegram(world, after=["skip"])
    chat_id = conversation.removeprefix("telegram:")
    telegram_turn(world, chat_id, "/start_guided_session")
    assert any(text.startswith("Step 1 of ") for text in telegram_turn(world, chat_id, "6"))
    telegram_turn(world, chat_id, "/step_stop")
    assert "6/10 before, 3/10 after" in " ".join(telegram_turn(world, chat_id, "3"))
    assert "passed this conversation to the team" in " ".join(telegram_turn(world, chat_id, "can i talk to a person"))
    rows = rows_of(world, conversation)
    assert rows == {"person_plans": 1, "progress_entries": 1, "handoff_tickets": 1}, rows
    return {"conversation": conversation, "chat_id": chat_id, "rows": rows, "said": said(world, conversation)}


def test_rest_cannot_name_a_telegram_conversation(world: ChannelWorld, victim: Dict[str, Any]) -> None:
    url = f"{world.servers.rasa_url}/webhooks/rest/webhook"
    for sender in (victim["conversation"], f"slack:T0TEST:{victim['chat_id']}", f"web:{victim['chat_id']}"):
        response = requests.post(url, json={"sender": sender, "message": "how am I doing?"}, timeout=30)
        assert response.status_code == 400, (sender, response.text)
    # The chat id alone is a REST conversation of its own, whatever input channel the caller claims.
    raw = victim["chat_id"]
    for text in ATTACKS:
        response = requests.post(url, json={"sender": raw, "message": text, "input_channel": "telegram"}, timeout=60)
        assert response.status_code == 200, response.text
        shown = " ".join(r.get("text") or "" for r in response.json())
        assert "6/10 before" not in shown and "1 session" not in shown, shown
    stored = events(world, raw)
    assert {e.get("input_channel") for e in stored if e["event"] == "user"} == {"rest"}
    assert rows_of(world, victim["conversation"]) == victim["rows"]
    assert said(world, victim["conversation"]) == victim["said"]


def test_a_proxied_rest_caller_needs_the_token(world: ChannelWorld) -> None:
    """Behind a proxy (a forwarded-for header) REST is refused without the token: nginx does not open it."""
    url = f"{world.servers.rasa_url}/webhooks/rest/webhook"
    for header in ({"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"}, {"X-Real-IP": "203.0.113.9"}):
        response = requests.post(url, json={"sender": "outsider", "message": "hi"}, headers=header, timeout=30)
        assert response.status_code == 401, response.text
    assert [e for e in events(world, "outsider") if e["event"] == "user"] == []
    wrong = requests.post(url, json={"sender": "outsider", "message": "hi"}, timeout=30,
                          headers={"X-Forwarded-For": "203.0.113.9", "Authorization": f"Bearer {REST_TOKEN}x"})
    assert wrong.status_code == 401
    # With the token, the same proxied caller is answered.
    for auth in ({"headers": {"Authorization": f"Bearer {REST_TOKEN}"}}, {"params": {"token": REST_TOKEN}}):
        response = requests.post(url, json={"sender": "outsider", "message": "hi"}, timeout=60,
                                 **{**auth, "headers": {"X-Forwarded-For": "203.0.113.9", **auth.get("headers", {})}})
        assert response.status_code == 200 and response.json(), response.text


def test_socketio_cannot_take_over_another_conversation(world: ChannelWorld, victim: Dict[str, Any]) -> None:
    # A session request naming the Telegram user's ids gets a new session, not theirs.
    for wanted in (victim["chat_id"], victim["conversation"], "0" * 32 + ".0123456789abcdef"):
        with socket_session(world.servers.rasa_url, wanted) as socket:
            assert socket.session_id != wanted and socket.session_id.count(".") == 1
            for text in ATTACKS:
                socket.send({"message": text, "session_id": socket.session_id})
                wait_for_replies(socket.received, 30)
                time.sleep(0.5)
            assert "6/10 before" not in all_text(socket.received) and "1 session" not in all_text(socket.received)
    assert rows_of(world, victim["conversation"]) == victim["rows"]
    assert said(world, victim["conversation"]) == victim["said"]


def test_a_message_naming_another_sockets_session_is_refused(world: ChannelWorld) -> None:
    """A web user's issued session, sent on the attacker's own socket, reaches nothing."""
    with socket_session(world.servers.rasa_url) as owner, socket_session(world.servers.rasa_url) as attacker:
        owner.send({"message": "knot in my neck, dull ache, 2 weeks, 4/10", "session_id": owner.session_id})
        wait_turns(world, owner.conversation, 1)
        before = events(world, owner.conversation)
        owner.received.clear()
        for text in ("forget me", "/affirm", "talk to a person"):
            attacker.send({"message": text, "session_id": owner.session_id})
        time.sleep(3)
        assert events(world, owner.conversation) == before
        assert attacker.received == [] and owner.received == []  # nothing handled, nothing sent to either
        # A session issued elsewhere is accepted on reconnect (the widget's persistence) by its owner's id.
    with socket_session(world.servers.rasa_url, owner.session_id) as again:
        assert again.session_id == owner.session_id
        again.send({"message": "about 2 weeks", "session_id": again.session_id})
        assert wait_for_replies(again.received, 60)


def test_the_telegram_user_is_answered_as_before(world: ChannelWorld, victim: Dict[str, Any]) -> None:
    # Runs after the attacks (file order): their history is whole and theirs.
    replies = telegram_turn(world, victim["chat_id"], "how am I doing?")
    assert "1 session" in " ".join(replies), replies
    assert rows_of(world, victim["conversation"]) == victim["rows"]


def test_two_sockets_at_once_each_hear_only_their_own(world: ChannelWorld) -> None:
    """Two people chatting at the same moment: each socket hears its own replies and no one else's."""
    heard: Dict[str, List[Dict[str, Any]]] = {}

    def chat(name: str, text: str) -> None:
        with socket_session(world.servers.rasa_url) as socket:
            socket.send({"message": text, "session_id": socket.session_id})
            wait_turns(world, socket.conversation, 1)
            time.sleep(1.5)
            heard[name] = list(socket.received)

    people = [threading.Thread(target=chat, args=("neck", f"knot in my neck {uuid.uuid4().hex[:4]}")),
              threading.Thread(target=chat, args=("back", "my knee hurts"))]
    for person in people:
        person.start()
    for person in people:
        person.join(120)
    assert all_text(heard["neck"]).strip() and "knee" in all_text(heard["back"]).lower()
    assert "knee" not in all_text(heard["neck"]).lower()


def test_a_typed_payload_cannot_plant_text_for_staff(world: ChannelWorld) -> None:
    """`/intent{...}` typed by hand carries only canonical values: nothing reaches the staff channel as markup."""
    sender = f"inject-{uuid.uuid4().hex[:8]}"
    url = f"{world.servers.rasa_url}/webhooks/rest/webhook"
    evil = "<!channel> <https://evil.example|Open record>"
    for text in ('/describe_pain{"body_region": "neck", "condition": "' + evil + '"}',
                 '/describe_pain{"pain_quality": "\\u001b[31mred", "red_flag": ["chest_pain", "' + evil + '"]}',
                 "talk to a person"):
        assert requests.post(url, json={"sender": sender, "message": text}, timeout=60).status_code == 200
    slots = world.servers.slots(sender)
    assert slots["body_region"] == "neck" and slots["conditions"] == [] and slots["red_flags"] == []
    posts = world.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == STAFF_CHANNEL
                                 and "Region: neck" in str(p.get("blocks")))
    staff = str(posts[-1]["params"]["blocks"])
    assert "<!channel>" not in staff and "evil.example" not in staff and "\x1b" not in staff
