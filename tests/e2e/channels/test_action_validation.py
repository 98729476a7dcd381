"""Action-server replies are validated with a validator built once, with Rasa's own errors for bad replies."""

from __future__ import annotations

import jsonschema
import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from patches import action_validation

GOOD = {"events": [{"event": "slot", "name": "body_region", "value": "neck"}],
        "responses": [{"text": "Hello", "buttons": []}]}
BAD = {"events": [{"no_event_key": 1}], "responses": []}


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    action_validation.install()
    return RemoteAction("action_answer_question", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_a_good_reply_passes(action: RemoteAction) -> None:
    assert action._validate_action_result(GOOD) is True
    assert action._validate_action_result({}) is True  # Rasa's schema requires nothing


def test_a_bad_reply_gets_rasas_own_error(action: RemoteAction) -> None:
    with pytest.raises(ValidationError) as caught:
        action._validate_action_result(BAD)
    assert "Failed to validate Action server response from API" in caught.value.message


def test_the_schema_is_not_checked_again_for_every_reply(action: RemoteAction, monkeypatch) -> None:
    """The point of it: Rasa's path (jsonschema.validate) re-checks the schema on every call; ours does not."""
    spec = RemoteAction.action_response_format_spec()
    cls = validator_for(spec)
    checks = []
    original = cls.check_schema
    monkeypatch.setattr(cls, "check_schema", classmethod(lambda c, schema: checks.append(1) or original(schema)))
    for _ in range(5):
        action._validate_action_result(GOOD)
    assert checks == []
    jsonschema.validate(GOOD, spec)  # what Rasa would do per reply
    assert checks == [1]


def test_installing_twice_changes_nothing(action: RemoteAction) -> None:
    method = RemoteAction._validate_action_result
    action_validation.install()
    assert RemoteAction._validate_action_result is method
