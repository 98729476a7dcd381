"""Rasa checks every reply of the action server against a fixed schema: check it with a validator built once.

Rasa 3.6.21's `RemoteAction._validate_action_result` calls `jsonschema.validate(result, spec)` for every
reply of the action server. That function first validates the *schema* against its meta-schema, on every
call; jsonschema's own documentation says to build a validator once when validating many instances with
one schema. Profiled in the running Rasa under load (py-spy, `benchmarks/load.py --only knotcare1
--users 10`), validating replies took 28% of the time Rasa spent handling a message, nine tenths of it
the meta-schema check (the pin to jsonschema 3.2.0 in pyproject.toml already made that check cheaper).

`install()` checks Rasa's schema (`RemoteAction.action_response_format_spec()`, a constant) once, and
makes the method validate each reply with a validator of the same class (`validator_for`, as
`jsonschema.validate` picks it) built for that schema. A reply that fails is handed to Rasa's own method,
so the error and its message are Rasa's. Installed by our channels, like the log filter, so every mode
that runs our channels gets it.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_installed = False


def _checked_validator() -> Any:
    """A validator for Rasa's action-response schema; the schema itself is checked here, once."""
    spec = RemoteAction.action_response_format_spec()
    cls = validator_for(spec)
    cls.check_schema(spec)
    return cls(spec)


def install() -> None:
    """Make Rasa validate action-server replies with one validator (idempotent)."""
    global _installed
    if _installed:
        return
    validator = _checked_validator()
    rasas_own: Callable[[RemoteAction, Dict[Text, Any]], bool] = RemoteAction._validate_action_result

    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError:
            return rasas_own(self, result)  # raises Rasa's error, with Rasa's message
        return True

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    _installed = True
