"""Conversation ids per channel and signed web session ids (knotcare.identity)."""

from __future__ import annotations

import pytest

from knotcare import identity


def test_each_channel_names_its_own_namespace() -> None:
    assert identity.telegram_id(42) == "telegram:42"
    assert identity.slack_id("T1", "U2") == "slack:T1:U2"
    assert identity.slack_id(None, "U2") == "slack:unknown:U2"
    assert identity.web_id("abc.def") == "web:abc.def"


@pytest.mark.parametrize(("conversation", "namespace", "recipient"), [
    ("telegram:42", "telegram", "42"), ("telegram:-1001", "telegram", "-1001"),
    ("slack:T1:U2", "slack", "U2"), ("slack:T1:U2_C3", "slack", "C3"), ("slack:T1:U2_C3_1.5", "slack", "C3"),
    ("42", "telegram", "42"),  # not namespaced: passed through as it is
])
def test_the_recipient_is_the_channels_own_id(conversation: str, namespace: str, recipient: str) -> None:
    assert identity.local_part(conversation, namespace) == recipient


def test_only_sessions_this_server_issued_are_accepted(monkeypatch) -> None:
    issued = identity.new_session_id()
    assert identity.issued(issued) and issued != identity.new_session_id()
    token, signature = issued.split(".")
    forged = [None, 5, "", token, f"{token}.", f"{token}.{'0' * len(signature)}", f"{'0' * 32}.{signature}",
              issued + "0", issued.upper(), f"web:{issued}", "telegram:42", issued + "." + signature]
    assert [f for f in forged if identity.issued(f)] == []
    # Another key (another deployment) did not issue it.
    monkeypatch.setenv(identity.SESSION_KEY_ENV, "another-key")
    identity._session_key.cache_clear()
    try:
        assert not identity.issued(issued)
    finally:
        identity._session_key.cache_clear()
