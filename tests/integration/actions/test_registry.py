"""The action server registers exactly the custom actions the domain declares: none missing, none extra."""

from __future__ import annotations

from typing import Any, Dict, Set

from rasa_sdk.executor import ActionExecutor


def _custom_actions(domain: Dict[str, Any]) -> Set[str]:
    """The domain's own actions (`actions:` entries may carry options, such as `send_domain`)."""
    names = set()
    for entry in domain.get("actions", []):
        names.update(entry) if isinstance(entry, dict) else names.add(entry)
    return {name for name in names if not name.startswith("utter_")}


def test_the_action_server_registers_the_domains_actions_and_no_others(domain: Dict[str, Any]) -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    registered = set(executor.actions)
    declared = _custom_actions(domain)
    assert declared, "the domain declares no custom action"
    assert declared - registered == set(), "declared in domain/ but not registered by the action server"
    assert registered - declared == set(), "registered by the action server but not declared in domain/"
