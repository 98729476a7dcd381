"""Bad input over REST gets a clear, kind reply: never a crash, never a stack trace."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.e2e.conftest import Servers, all_text

pytestmark = pytest.mark.e2e

BAD_INPUTS = {
    "empty": "",
    "spaces": "   ",
    "huge": "my neck hurts " * 800,  # about 10 KB
    "emoji": "😩😩😩🔥",
    "other_language": "Me duele mucho la espalda desde hace una semana",
    "japanese": "首がとても痛いです",
    "keyboard_mash": "asdfgh",
    "html": "<script>alert('x')</script><b>hi</b>",
    "sql_like": "'; DROP TABLE routines; --",
    "control_chars": "\x00\x01\x02 hello",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_a_helpful_reply(servers: Servers, name: str) -> None:
    sender = f"bad-{name}-{uuid.uuid4().hex[:6]}"
    replies = servers.say(sender, BAD_INPUTS[name])
    text = all_text(replies)
    assert replies and text.strip(), f"no reply to {name}"
    assert "Traceback" not in text and "Exception" not in text
    # And the conversation still works afterwards.
    assert servers.say(sender, "hi")


def test_bad_input_mid_form_loses_nothing(servers: Servers) -> None:
    sender = f"bad-midform-{uuid.uuid4().hex[:6]}"
    servers.say(sender, "knot in my upper back, dull ache")
    before = servers.slots(sender)
    for text in ["asdfgh", "😩", "<b>bold</b>"]:
        assert all_text(servers.say(sender, text)).strip()
    after = servers.slots(sender)
    for slot in ("body_region", "pain_quality", "requested_slot"):
        assert after[slot] == before[slot]


def test_non_text_payloads_are_refused_cleanly(servers: Servers) -> None:
    url = f"{servers.rasa_url}/webhooks/rest/webhook"
    for body in [b"\xff\xfe\x00binary", b"{not json", b'{"sender": 5, "message": ["a"]}']:
        response = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
        assert response.status_code < 500, (body, response.status_code, response.text)
