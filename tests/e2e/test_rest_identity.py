"""REST callers name only REST conversations (contract: sender ids `[A-Za-z0-9_.-]{1,64}`), and cannot say
their message came in over another channel."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.e2e.conftest import Servers

pytestmark = pytest.mark.e2e


def post(servers: Servers, sender: object) -> requests.Response:
    return requests.post(f"{servers.rasa_url}/webhooks/rest/webhook",
                         json={"sender": sender, "message": "knot in my neck"}, timeout=60)


@pytest.mark.parametrize("sender", ["telegram:123456", "slack:T01:U02", "web:abc", "a b", "x" * 65, "", "ß"])
def test_a_sender_outside_the_contract_is_refused(servers: Servers, sender: str) -> None:
    response = post(servers, sender)
    assert response.status_code == 400 and "sender" in response.text


def test_a_contract_sender_is_answered(servers: Servers) -> None:
    assert post(servers, f"rest_ok.{uuid.uuid4().hex[:8]}-1").status_code == 200
    assert post(servers, 12345).status_code == 200


def test_a_caller_cannot_claim_another_channel(servers: Servers) -> None:
    sender = f"claims-{uuid.uuid4().hex[:8]}"
    response = requests.post(f"{servers.rasa_url}/webhooks/rest/webhook",
                             json={"sender": sender, "message": "knot in my neck", "input_channel": "telegram"},
                             timeout=60)
    assert response.status_code == 200
    tracker = requests.get(f"{servers.rasa_url}/conversations/{sender}/tracker", params={"token": servers.token},
                           timeout=60).json()
    assert {e.get("input_channel") for e in tracker["events"] if e.get("event") == "user"} == {"rest"}
