"""After every message: numbers from words, and red flags and conditions accumulated."""

from __future__ import annotations

import re
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import KnotcareAction
from actions.slots import entity_values, merged
from knotcare.nlp.quantities import age_to_years, duration_to_days, severity_to_int

#: A red-flag guess this confident, with no red flag read, puts the screen first.
SUSPICION_THRESHOLD = 0.5

#: Questions whose answers carry numbers that are not the pain's duration or rating (domain/plans.yml).
NOT_PAIN_HISTORY_SLOTS = frozenset({"tools_available", "session_minutes", "limited_mobility", "pain_before",
                                    "pain_after"})

_BARE_NUMBER = re.compile(r"^\s*(?:about|around|like|maybe)?\s*(\d{1,3})\s*[.!]?\s*$", re.IGNORECASE)


class ActionExtractPainFacts(KnotcareAction):
    """Fills pain_duration_days, pain_severity, age, red_flags, conditions and muscles from the latest message."""

    action_name = "action_extract_pain_facts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Return SlotSet events only for what the message actually said."""
        events: List[EventType] = []
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        if intent.startswith("ask_") or tracker.get_slot("requested_slot") in NOT_PAIN_HISTORY_SLOTS:
            # "how long do I hold it, 30 seconds?" is a question, not a history; "10 minutes" or "a 4"
            # answering a plan question is about the session, not how long or how bad the pain is.
            return accumulated(tracker)
        durations = [d for d in (duration_to_days(v) for v in entity_values(tracker, "duration")) if d is not None]
        # A number the person gave ("9/10") outranks a word in the same message ("crippling", "mild").
        said = entity_values(tracker, "severity")
        said = [v for v in said if re.search(r"\d", v)] or said
        severities = [s for s in (severity_to_int(v) for v in said) if s is not None]
        bare = _BARE_NUMBER.match(tracker.latest_message.get("text") or "")
        if tracker.get_slot("requested_slot") == "pain_duration_days" and not durations and bare:
            # "3" in answer to "how long?" means days, not a rating; the reply
            # repeats it back so the person can correct it.
            durations, severities = [float(bare.group(1))], []
        if durations:
            events.append(SlotSet("pain_duration_days", durations[-1]))
        if severities:
            events.append(SlotSet("pain_severity", severities[-1]))
        events += stated_age(tracker)
        if self._red_flag_suspected(tracker) and not tracker.get_slot("screen_first"):
            events.append(SlotSet("screen_first", True))
        return events + accumulated(tracker)

    @staticmethod
    def _red_flag_suspected(tracker: Tracker) -> bool:
        """The classifier ranked report_red_flag high, but no red flag was read in the text."""
        if entity_values(tracker, "red_flag"):
            return False
        ranking = tracker.latest_message.get("intent_ranking") or []
        return any(r.get("name") == "report_red_flag" and (r.get("confidence") or 0) >= SUSPICION_THRESHOLD
                   for r in ranking)



def accumulated(tracker: Tracker, even_if_held: bool = False) -> List[EventType]:
    """Red flags, conditions, muscles, and the red flags and conditions of someone mentioned in passing: added to,
    never replaced.
    `even_if_held` sets them again when the slot already holds them (after a revert, which undoes what the message
    itself set)."""
    events: List[EventType] = []
    kinds = [("red_flags", "red_flag"), ("conditions", "condition"), ("muscles", "muscle")]
    if (tracker.get_slot("subject") or "self") == "self":
        # someone else's, kept for a turn to them
        kinds += [("passing_red_flags", "passing_red_flag"), ("passing_conditions", "passing_condition")]
    for slot, entity in kinds:
        new = entity_values(tracker, entity)
        current = tracker.get_slot(slot) or []
        if new and (even_if_held or any(v not in current for v in new)):
            events.append(SlotSet(slot, merged(current, new)))
    return events


def stated_age(tracker: Tracker) -> List[EventType]:
    """The age the latest message states, if any."""
    ages = [a for a in (age_to_years(v) for v in entity_values(tracker, "age")) if a is not None]
    return [SlotSet("age", float(ages[-1]))] if ages else []
