"""Telegram: the hardened connector against a fake Bot API (a real HTTP server on loopback)."""

from __future__ import annotations

import json
import uuid
from typing import Any, List

import pytest
import requests
import yaml

from channels.telegram import MAX_CALLBACK_DATA, TelegramInput, to_html
from knotcare.config import ROOT
from tests.e2e.channels.conftest import TELEGRAM_SECRET, TELEGRAM_TOKEN, TELEGRAM_WEBHOOK
from tests.e2e.channels.drivers import keyboard

pytestmark = pytest.mark.channels


def chat() -> int:
    return int(uuid.uuid4().int % 10**9) + 10**9


def test_start_up_sets_the_webhook_with_the_secret(world) -> None:
    call = world.telegram.wait_for("setWebhook")[0]
    assert call["path"] == f"/bot{TELEGRAM_TOKEN}/setWebhook"
    assert call["params"]["url"] == TELEGRAM_WEBHOOK
    assert call["params"]["secret_token"] == TELEGRAM_SECRET
    assert "callback_query" in json.loads(call["params"]["allowed_updates"])
    assert world.telegram.matching("getMe") == []


def test_a_conversation_with_inline_keyboards_and_a_button_press(world) -> None:
    chat_id = chat()
    assert world.telegram_text(chat_id, "/start").status_code == 200
    greeting = world.telegram_sent(chat_id)[-1]
    assert "Knotcare" in greeting["params"]["text"]
    assert '/describe_pain{"body_region":"lower_back"}' in keyboard(greeting)
    # one button per row: five region buttons do not fit on one line
    assert len(json.loads(greeting["params"]["reply_markup"])["inline_keyboard"]) == 5

    assert world.telegram_text(chat_id, "i have a knot in my lower back, dull ache, 2 weeks, 4/10").status_code == 200
    question = world.telegram_sent(chat_id)[-1]
    assert set(keyboard(question)) == {"/affirm", "/deny"}

    response, query_id = world.telegram_press(chat_id, "/deny", message_id=77)
    assert response.status_code == 200
    assert world.telegram.matching("answerCallbackQuery", lambda p: p.get("callback_query_id") == query_id)
    assert world.telegram.matching("editMessageReplyMarkup",
                                   lambda p: p.get("chat_id") == str(chat_id) and p.get("message_id") == "77")
    # the press was a turn of its own: the No was taken and the next question (or the answer) sent
    tracker = requests.get(f"{world.servers.rasa_url}/conversations/telegram:{chat_id}/tracker",
                           params={"token": world.servers.token}, timeout=30).json()
    last_user = [e for e in tracker["events"] if e["event"] == "user"][-1]
    assert last_user["parse_data"]["intent"]["name"] == "deny"
    assert world.telegram_sent(chat_id)[-1] is not question
    assert world.servers.slots(f"telegram:{chat_id}")["body_region"] == "lower_back"


def test_a_forged_update_is_rejected_and_not_answered(world) -> None:
    chat_id = chat()
    for secret in (None, "wrong-secret", TELEGRAM_SECRET + "x"):
        response = world.telegram_text(chat_id, "hi", secret=secret)
        assert response.status_code == 403
    assert world.telegram_sent(chat_id) == []
    assert world.servers.slots(f"telegram:{chat_id}")["body_region"] is None


def test_a_redelivered_update_is_answered_once(world) -> None:
    chat_id = chat()
    update = {"update_id": 424242, "message": {"message_id": 1, "date": 0, "text": "hi",
                                               "chat": {"id": chat_id, "type": "private"}}}
    assert world.telegram_update(update).status_code == 200
    assert world.telegram_update(update).status_code == 200
    assert len(world.telegram_sent(chat_id)) == 1


def test_configuration_needs_a_valid_secret_token() -> None:
    base = {"access_token": TELEGRAM_TOKEN, "verify": "bot", "webhook_url": TELEGRAM_WEBHOOK}
    for bad in (None, "", "has spaces", "x" * 257):
        with pytest.raises(Exception, match="secret_token"):
            TelegramInput.from_credentials({**base, "secret_token": bad})
    assert TelegramInput.from_credentials({**base, "secret_token": "ok_123-abc"}).api_url == "https://api.telegram.org"


def _payloads(node: Any) -> List[str]:
    if isinstance(node, dict):
        found = [node["payload"]] if isinstance(node.get("payload"), str) else []
        return found + [p for value in node.values() for p in _payloads(value)]
    if isinstance(node, list):
        return [p for item in node for p in _payloads(item)]
    return []


def test_every_button_payload_fits_in_telegram_callback_data() -> None:
    payloads = [p for path in [*(ROOT / "domain").glob("*.yml"), *(ROOT / "data" / "kb").glob("*.yml")]
                for p in _payloads(yaml.safe_load(path.read_text()))]
    assert "/deny" in payloads and '/describe_pain{"body_region":"neck"}' in payloads
    assert [p for p in payloads if len(p.encode()) > MAX_CALLBACK_DATA] == []


def test_html_escapes_everything_but_bold() -> None:
    assert to_html("a **routine** <script>x</script> & more") == \
        "a <b>routine</b> &lt;script&gt;x&lt;/script&gt; &amp; more"
