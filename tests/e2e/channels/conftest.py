"""One Rasa server with every channel (REST, socket.io, Slack, Telegram), fake Slack and Telegram APIs,
and the web page, shared by all channel tests (one Rasa start for the lot)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest
import requests

from harness.stack import free_port
from knotcare.webchat import make_server, widget_settings
from tests.e2e.channels.fakes import FakeApi, SlackResponder, TelegramResponder
from tests.e2e.conftest import MODEL, Servers

SLACK_SECRET = "test-signing-secret-" + uuid.uuid4().hex
TELEGRAM_SECRET = "tg_" + uuid.uuid4().hex
#: The clinic staff's Slack channel (handoff tickets), on the fake Slack.
STAFF_CHANNEL = "C0STAFF"
#: The Slack workspace the fake events come from.
SLACK_TEAM = "T0TEST"
#: Seconds from a plan to the check-in a reminder brings, in these tests.
CHECK_IN_SECONDS = 8
TELEGRAM_TOKEN = "123456789:AAE_fake-token-for-tests_0123456789ab"
TELEGRAM_WEBHOOK = "https://bot.example.org/webhooks/telegram/webhook"

CREDENTIALS = """\
channels.rest.RestInput:
# Rasa's socket.io channel with its room join fixed (channels/socketio.py).
channels.socketio.SocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
channels.slack.SlackInput:
  slack_token: xoxb-test-token
  slack_signing_secret: ${{KNOTCARE_TEST_SLACK_SIGNING_SECRET}}
  slack_api_url: {slack}/api/
channels.telegram.TelegramInput:
  access_token: "{token}"
  verify: knotcare_test_bot
  webhook_url: {webhook}
  secret_token: ${{KNOTCARE_TEST_TELEGRAM_SECRET}}
  api_url: {telegram}
channels.rearm.CheckInRearm:
"""


@dataclass
class ChannelWorld:
    """Everything the channel tests talk to."""

    servers: Servers
    slack: FakeApi
    telegram: FakeApi
    web_url: str

    # --- Slack -----------------------------------------------------------------------------------------
    def slack_post(self, body: bytes, content_type: str, secret: str = SLACK_SECRET,
                   timestamp: Optional[int] = None, headers: Optional[Dict[str, str]] = None) -> requests.Response:
        """POST to Rasa's Slack webhook, signed as Slack signs (v0 HMAC-SHA256 of timestamp and body)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}",
                **(headers or {})}
        return requests.post(f"{self.servers.rasa_url}/webhooks/slack/webhook", data=body, headers=sent, timeout=30)

    def slack_event(self, user: str, channel: str, text: str, event_id: Optional[str] = None, **kwargs: Any):
        """Send an Events API `message` event from a direct message; return the response and the body."""
        body = json.dumps({
            "token": "unused", "team_id": SLACK_TEAM, "api_app_id": "A0TEST", "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}", "event_time": int(time.time()),
            "authorizations": [{"user_id": "UKNOTCARE", "is_bot": True}],
            "event": {"type": "message", "channel_type": "im", "channel": channel, "user": user, "text": text,
                      "ts": f"{time.time():.6f}"},
        }).encode()
        return self.slack_post(body, "application/json", **kwargs), body

    def slack_click(self, user: str, channel: str, value: str) -> requests.Response:
        """Press a Block Kit button: an interactivity payload, form-encoded, as Slack sends it."""
        from urllib.parse import urlencode

        payload = {"type": "block_actions", "team": {"id": SLACK_TEAM}, "user": {"id": user},
                   "channel": {"id": channel}, "trigger_id": uuid.uuid4().hex, "message": {"ts": f"{time.time():.6f}"},
                   "actions": [{"type": "button", "value": value, "action_ts": f"{time.time():.6f}"}]}
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.slack_post(body, "application/x-www-form-urlencoded")

    @staticmethod
    def slack_conversation(user: str) -> str:
        """The conversation id Rasa keeps a Slack user's tracker under (knotcare.identity)."""
        return f"slack:{SLACK_TEAM}:{user}"

    def slack_replies(self, channel: str):
        return self.slack.matching("chat.postMessage", lambda p: p.get("channel") == channel)

    # --- Telegram --------------------------------------------------------------------------------------
    def telegram_update(self, update: Dict[str, Any], secret: Optional[str] = TELEGRAM_SECRET) -> requests.Response:
        """POST an update to the Telegram webhook, with Telegram's secret-token header unless `secret` is None."""
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        return requests.post(f"{self.servers.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers,
                             timeout=60)

    def telegram_text(self, chat_id: int, text: str, **kwargs: Any) -> requests.Response:
        update_id = int(uuid.uuid4().int % 2**31)
        return self.telegram_update({"update_id": update_id, "message": {
            "message_id": update_id % 100000, "date": int(time.time()), "text": text,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"}}}, **kwargs)

    def telegram_press(self, chat_id: int, data: str, message_id: int = 1) -> tuple:
        """Press an inline keyboard button; return the response and the callback query id."""
        query_id = uuid.uuid4().hex[:16]
        update_id = int(uuid.uuid4().int % 2**31)
        response = self.telegram_update({"update_id": update_id, "callback_query": {
            "id": query_id, "chat_instance": "1", "data": data,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
            "message": {"message_id": message_id, "date": int(time.time()), "text": "question",
                        "chat": {"id": chat_id, "type": "private"}}}})
        return response, query_id

    def telegram_sent(self, chat_id: Any):
        """What was sent to a chat (named by its chat id or its conversation id `telegram:<chat id>`)."""
        chat = str(chat_id).removeprefix("telegram:")
        return self.telegram.matching("sendMessage", lambda p: str(p.get("chat_id")) == chat)


@contextmanager
def channel_world(work: Path, env: Optional[Dict[str, str]] = None, **stack: Any) -> Iterator[ChannelWorld]:
    """Fakes, Rasa with all channels (plus the action server), and the web page on loopback.

    `env` adds to the servers' environment; `stack` goes to the servers (a PostgreSQL knowledge base and
    tracker store, a Redis lock store, ...).
    """
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    slack_responder = SlackResponder()
    slack = FakeApi(slack_responder).start()
    slack_responder.upload_base = slack.url
    telegram = FakeApi(TelegramResponder()).start()
    credentials = work / "credentials.yml"
    credentials.write_text(CREDENTIALS.format(slack=slack.url, telegram=telegram.url, token=TELEGRAM_TOKEN,
                                              webhook=TELEGRAM_WEBHOOK))
    web_port = free_port()
    web_url = f"http://127.0.0.1:{web_port}"
    servers = Servers(model=MODEL, work=work, credentials=credentials, rasa_args=["--cors", web_url],
                      extra_env={"KNOTCARE_TEST_SLACK_SIGNING_SECRET": SLACK_SECRET,
                                 "KNOTCARE_TEST_TELEGRAM_SECRET": TELEGRAM_SECRET,
                                 # the unprompted check-in, two days after a plan in real life
                                 "KNOTCARE_CHECK_IN_AFTER_HOURS": str(CHECK_IN_SECONDS / 3600),
                                 # handoff tickets go to the staff channel on the same fake Slack
                                 "KNOTCARE_SLACK_BOT_TOKEN": "xoxb-staff", "KNOTCARE_SLACK_CHANNEL": STAFF_CHANNEL,
                                 "KNOTCARE_SLACK_API_URL": f"{slack.url}/api/", **(env or {})},
                      **stack)
    web = None
    try:
        servers.start()
        settings = widget_settings(env={"RASA_HOST": "127.0.0.1", "RASA_PORT": str(servers.rasa_port)})
        web = make_server("127.0.0.1", web_port, settings)
        threading.Thread(target=web.serve_forever, daemon=True).start()
        yield ChannelWorld(servers=servers, slack=slack, telegram=telegram, web_url=web_url)
    finally:
        if web is not None:
            web.shutdown()
            web.server_close()
        servers.stop()
        slack.stop()
        telegram.stop()


# Package scope: stopped after the last channel test, so it is not still running beside tests/e2e's servers.
@pytest.fixture(scope="package")
def world(tmp_path_factory) -> Iterator[ChannelWorld]:
    """Every channel on one Rasa, with SQLite stores."""
    with channel_world(tmp_path_factory.mktemp("channels")) as running:
        yield running


RESULTS = Path(__file__).resolve().parents[3] / "results" / "screenshots"
