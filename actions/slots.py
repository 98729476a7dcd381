"""Reading the contract's slots into the triage engine's facts."""

from __future__ import annotations

from typing import Any, List

from rasa_sdk import Tracker

from knotcare.content import REGIONS
from knotcare.triage import Facts


def facts_from_tracker(tracker: Tracker) -> Facts:
    """The facts the conversation has established so far."""
    region = tracker.get_slot("body_region")
    return Facts.from_mapping({
        "body_region": region if region in REGIONS else None,
        "pain_quality": tracker.get_slot("pain_quality"),
        "pain_duration_days": tracker.get_slot("pain_duration_days"),
        "pain_severity": tracker.get_slot("pain_severity"),
        "red_flags": tracker.get_slot("red_flags") or [],
        "conditions": tracker.get_slot("conditions") or [],
        "age": tracker.get_slot("age"),
        "pain_radiates": tracker.get_slot("screen_radiating"),
    })


def entity_values(tracker: Tracker, entity: str) -> List[str]:
    """Values of one entity in the latest message, in order, without repeats."""
    out: List[str] = []
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == entity and item.get("value") is not None and item["value"] not in out:
            out.append(item["value"])
    return out


def merged(existing: Any, new: List[str]) -> List[str]:
    """A list slot's values with new ones appended (never dropping earlier ones)."""
    out = list(existing or [])
    return out + [value for value in new if value not in out]

