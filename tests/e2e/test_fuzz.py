"""Property-based fuzzing (hypothesis) of the REST webhook, the socket.io channel and the HTTP API.

Whatever arrives (malformed JSON, wrong types, huge bodies, odd Unicode, HTML,
SQL-like strings) the server answers with a 4xx or a safe reply, never a 5xx, stays
up, and a conversation held in between loses nothing.

Slack and Telegram need signed or secret-carrying requests: tests/e2e/channels/test_bad_bodies.py fuzzes
them. Another webhook that takes a JSON body: add its URL and a body strategy to WEBHOOKS below.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Dict

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knotcare.kb.seed import words
from tests.e2e.conftest import Servers, all_text, socket_session, wait_for_replies

pytestmark = pytest.mark.e2e

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY_TEXT = st.one_of(
    st.text(max_size=200),  # any Unicode, control characters and surrogates excluded by JSON encoding
    st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE events; --", "\" OR 1=1 --", "{{7*7}}",
                     "${jndi:ldap://x}", "\u202e\u200b\ufeff", "🧠" * 50, "a\x00b", "/restart", "/affirm{bad json",
                     '/describe_pain{"body_region": 5}', "/session_start", "/nlu_fallback"]),
)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | NASTY_TEXT,
                           lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=10)
REST_BODIES = st.one_of(
    st.builds(lambda s, m: {"sender": s, "message": m}, st.text(min_size=1, max_size=40) | JSON_VALUES, JSON_VALUES),
    st.builds(lambda m: {"message": m}, NASTY_TEXT),
    st.builds(lambda s, m, meta: {"sender": s, "message": m, "metadata": meta}, st.text(min_size=1, max_size=20),
              NASTY_TEXT, JSON_VALUES),
    JSON_VALUES,
)
RAW_BODIES = st.one_of(st.binary(max_size=300), st.sampled_from([b"{", b'{"sender": "x", "message": "hi"',
                                                                    b"\xff\xfe\x00", b"null", b"[]", b'""']))

#: Webhooks that take a JSON body and no signature: (path, body strategy).
WEBHOOKS = {"rest": ("/webhooks/rest/webhook", REST_BODIES)}


def _post(servers: Servers, path: str, **kwargs: Any) -> requests.Response:
    return requests.post(f"{servers.rasa_url}{path}", timeout=120, **kwargs)


def _assert_safe(response: requests.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text


@pytest.fixture(scope="module")
def witness(servers: Servers) -> Dict[str, Any]:
    """A conversation started before the fuzzing, checked after it: nothing lost."""
    sender = f"witness-{uuid.uuid4().hex[:8]}"
    servers.say(sender, "knot in my upper back, dull ache")
    return {"sender": sender, "slots": servers.slots(sender)}


@pytest.mark.parametrize("channel", sorted(WEBHOOKS))
def test_webhook_json_bodies(servers: Servers, witness: Dict[str, Any], channel: str) -> None:
    path, bodies = WEBHOOKS[channel]

    @FUZZ
    @given(body=bodies)
    def check(body: Any) -> None:
        response = _post(servers, path, json=body)
        _assert_safe(response)
        if response.status_code == 200:  # a safe reply: a list of messages, no stack trace
            assert isinstance(response.json(), list)

    check()


def test_rest_raw_bodies(servers: Servers, witness: Dict[str, Any]) -> None:
    @FUZZ
    @given(body=RAW_BODIES, content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-"
                                                          "urlencoded", "multipart/form-data; boundary=x"]))
    def check(body: bytes, content_type: str) -> None:
        _assert_safe(_post(servers, "/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}))

    check()


def test_huge_bodies(servers: Servers, witness: Dict[str, Any]) -> None:
    """Over the length cap (channels/guard.py): the kind reply, at once, without NLU (which a 100 KB text can
    exhaust). Under the cap (test_bad_input's 10 KB is over it too) messages are read as usual."""
    for text in ("x" * 100_000, "pain " * 20_000, "é🧠" * 30_000):
        response = _post(servers, "/webhooks/rest/webhook", json={"sender": "huge", "message": text})
        _assert_safe(response)
        assert all_text(response.json()) == words()["too_long"]
    _assert_safe(_post(servers, "/webhooks/rest/webhook", data=b"[" * 200_000,
                       headers={"Content-Type": "application/json"}))


def test_http_api(servers: Servers, witness: Dict[str, Any]) -> None:
    token = {"token": servers.token}

    @FUZZ
    @given(sender=st.text(min_size=1, max_size=60).filter(lambda s: "/" not in s and s not in {".", ".."}),
           body=JSON_VALUES | RAW_BODIES, kind=st.sampled_from(["parse", "message", "tracker", "events", "predict"]))
    def check(sender: str, body: Any, kind: str) -> None:
        quoted = requests.utils.quote(sender, safe="")
        data = body if isinstance(body, bytes) else json.dumps(body)
        headers = {"Content-Type": "application/json"}
        if kind == "parse":
            response = _post(servers, "/model/parse", params=token, data=data, headers=headers)
        elif kind == "message":
            response = _post(servers, f"/conversations/{quoted}/messages", params=token, data=data, headers=headers)
        elif kind == "events":
            response = _post(servers, f"/conversations/{quoted}/tracker/events", params=token, data=data,
                             headers=headers)
        elif kind == "predict":
            response = _post(servers, f"/conversations/{quoted}/predict", params=token)
        else:
            response = requests.get(f"{servers.rasa_url}/conversations/{quoted}/tracker", params=token, timeout=60)
        _assert_safe(response)
        # Without the token: refused, whatever the body.
        assert _post(servers, "/model/parse", data=data, headers=headers).status_code in (401, 403)

    check()


SOCKETIO_PAYLOADS = st.one_of(
    JSON_VALUES,
    st.builds(lambda m, s: {"message": m, "session_id": s}, JSON_VALUES, st.text(max_size=20) | JSON_VALUES),
    st.builds(lambda m, meta: {"message": m, "customData": meta}, NASTY_TEXT, JSON_VALUES | NASTY_TEXT),
)


def test_socketio(servers: Servers, witness: Dict[str, Any]) -> None:
    """Malformed user_uttered payloads over a real socket.io connection; the same socket still gets answers."""
    with socket_session(servers.rasa_url) as socket:
        session = socket.session_id
        for payload in [None, 5, "text", [], {}, {"message": None}, {"message": 5}, {"message": ["a"]},
                        {"message": "x" * 100_000, "session_id": session}, {"session_id": {"a": 1}, "message": "hi"},
                        {"message": "<img src=x onerror=alert(1)>", "session_id": "\u202e"},
                        {"message": "'; DROP TABLE events; --", "customData": "x" * 1000},
                        {"message": "hi", "session_id": session, "customData": [1]}]:
            socket.send(payload)
        for request in (None, 5, [], {"session_id": {"a": 1}}):
            socket.send(request, "session_request")

        @FUZZ
        @given(payload=SOCKETIO_PAYLOADS)
        def check(payload: Any) -> None:
            socket.send(payload)

        check()
        # After all that, a proper message on the same socket still gets its answer.
        time.sleep(2)
        socket.received.clear()
        # the malformed session requests each got a new session: the socket's latest is the one it may use
        socket.send({"message": "hi", "session_id": socket.session_id})
        assert wait_for_replies(socket.received, 120), "no answer on the socket after the fuzzing"
        assert socket.client.connected
    # Malformed engine.io / socket.io requests over plain HTTP: 4xx, never 5xx.
    for params in ({"EIO": "9", "transport": "polling"}, {"EIO": "4", "transport": "carrier-pigeon"},
                   {"EIO": "4", "transport": "polling", "sid": "nope"}):
        _assert_safe(requests.get(f"{servers.rasa_url}/socket.io/", params=params, timeout=30))
    _assert_safe(_post(servers, "/socket.io/", params={"EIO": "4", "transport": "polling", "sid": "x"},
                       data=b"\xff" * 1000))


def test_the_witness_conversation_lost_nothing(servers: Servers, witness: Dict[str, Any]) -> None:
    """Runs last in this file: the conversation from before the fuzzing is intact and goes on."""
    assert servers.slots(witness["sender"]) == witness["slots"]
    replies = servers.say(witness["sender"], "about 3 weeks")
    assert all_text(replies).strip()
    slots = servers.slots(witness["sender"])
    assert slots["body_region"] == witness["slots"]["body_region"] and slots["pain_duration_days"] == 21
