"""Action tests: real rasa-sdk Trackers and CollectingDispatchers over a seeded SQLite knowledge base."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import provider
from knotcare.triage.screen import SCREEN_CODES

SLOT_DEFAULTS: Dict[str, Any] = {
    "body_region": None, "pain_quality": None, "pain_duration_days": None, "pain_severity": None,
    "red_flags": [], "conditions": [], "muscles": [], "triage_level": None, "triage_rule_ids": [],
    "routine_id": None, "region_hint": None, "requested_slot": None, "age": None, "screen_first": False,
    **{slot: None for slot in SCREEN_CODES},
}


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The real domain, as the action server receives it."""
    from rasa.shared.core.domain import Domain

    return Domain.load("domain").as_dict()


@pytest.fixture(autouse=True)
def knowledge_base(sqlite_kb) -> Iterator[None]:
    """Point the actions at a fresh seeded SQLite knowledge base."""
    provider.use_knowledge_base(sqlite_kb)
    yield
    provider.use_knowledge_base(None)


def make_tracker(text: str = "", intent: str = "describe_pain", entities: Optional[List[dict]] = None,
                 active_loop: Optional[str] = None, ranking: Optional[List[dict]] = None, **slots: Any) -> Tracker:
    """A tracker whose latest message has this text, intent, entities and intent ranking."""
    values = {**SLOT_DEFAULTS, **slots}
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or [],
              "intent_ranking": ranking or [{"name": intent, "confidence": 0.99}]}
    return Tracker("test-user", values, latest, [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def entity(name: str, value: str) -> dict:
    return {"entity": name, "value": value, "start": 0, "end": 1, "extractor": "KnotcareFactExtractor"}


def texts(dispatcher: CollectingDispatcher) -> List[str]:
    return [m.get("text") or "" for m in dispatcher.messages]
