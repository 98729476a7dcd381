"""The intake form: only what is missing, in any order, then a short red-flag screen."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import provider
from actions.base import KnotcareAction
from actions.pictures import DRAWS_BODY_MAP, show_named
from actions.say import concrete_action, say_key
from actions.scope import say_scope_note
from actions.slots import merged
from knotcare.content import REGIONS
from knotcare.nlp.answers import Answer, number_said, read_answer
from knotcare.triage.screen import SCREEN_CODES, age_at_risk, codes_for_yes, screens_for

FACT_SLOTS = ["body_region", "pain_quality", "pain_duration_days", "pain_severity"]


class ValidatePainIntakeForm(FormValidationAction):
    """Validates the intake form's answers and decides which questions remain."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "validate_pain_intake_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """The four facts, then the screen for this region; nothing more once a red flag is affirmed.

        When a red flag was suspected but not read, the screen comes first.
        """
        if tracker.get_slot("red_flags"):
            return []
        # An age given in answer to the age question answers it (extract_screen_age): the question stays the
        # one being asked until then.
        age = None if tracker.get_slot("requested_slot") == "screen_age" else tracker.get_slot("age")
        screens = screens_for(tracker.get_slot("body_region"), tracker.get_slot("pain_quality"),
                              tracker.get_slot("pain_duration_days"), age)
        return screens + FACT_SLOTS if tracker.get_slot("screen_first") else FACT_SLOTS + screens

    def validate_body_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Keep the five regions; "back" alone leads to the narrower question."""
        if value in REGIONS:
            return {"body_region": value, "region_hint": None}
        if value == "back":
            return {"body_region": None, "region_hint": "back"}
        return {"body_region": None}

    def validate_pain_duration_days(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A number of days, repeated back when it came from a bare number."""
        try:
            days = float(value)
        except (TypeError, ValueError):
            return {"pain_duration_days": None}
        if days < 0:
            return {"pain_duration_days": None}
        if not tracker.latest_message.get("entities") and tracker.get_slot("requested_slot") == "pain_duration_days":
            say_key(dispatcher, "duration_from_number", days=f"{days:g}")
        return {"pain_duration_days": days}

    def validate_pain_severity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """An integer from 0 to 10."""
        try:
            rating = int(round(float(value)))
        except (TypeError, ValueError):
            return {"pain_severity": None}
        if not 0 <= rating <= 10:
            say_key(dispatcher, "severity_out_of_range")
            return {"pain_severity": None}
        return {"pain_severity": rating}

    def _screen(self, slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        """A "yes" records the red flags its question names (which ends the form)."""
        if value is True:
            return {slot: True, "red_flags": merged(tracker.get_slot("red_flags"),
                                                    codes_for_yes(slot, tracker.get_slot("red_flags") or []))}
        return {slot: value}

    def _typed_answer(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        """The screen question being asked, answered in words rather than with a button ("nope, just the pain",
        "yh it goes down to my foot", "denies trauma"): yes, no, or a doubt, which puts the question again with
        a word on how to answer. A yes read from the words wins over a no the classifier heard."""
        if tracker.get_slot("requested_slot") != slot:
            return {}
        text = tracker.latest_message.get("text") or ""
        if slot == "screen_age":
            # "I'm 67", "she's 84", "my son is 14": in answer to this question, the number is the age.
            age = tracker.get_slot("age") if tracker.get_slot("age") is not None else number_said(text)
            if age is not None:
                return {slot: age_at_risk(float(age)), "age": float(age)}
        answer = read_answer(text)
        heard = tracker.get_slot(slot)
        if answer is Answer.YES:
            return {slot: True}
        if answer is Answer.NO and heard is None:
            return {slot: False}
        if answer is Answer.UNSURE and heard is not True:
            say_key(dispatcher, "screen_unsure", subject=tracker.get_slot("subject"))
            return {slot: None}
        return {}

    def __getattr__(self, name: str) -> Any:
        """`validate_screen_<group>` and `extract_screen_<group>` for every screen question: rasa-sdk finds them
        by name."""
        if name.startswith("validate_screen_") and name[len("validate_"):] in SCREEN_CODES:
            slot = name[len("validate_"):]
            return lambda value, dispatcher, tracker, domain: self._screen(slot, value, tracker)
        if name.startswith("extract_screen_") and name[len("extract_"):] in SCREEN_CODES:
            slot = name[len("extract_"):]
            return lambda dispatcher, tracker, domain: self._typed_answer(slot, dispatcher, tracker)
        raise AttributeError(name)


def question_key(slot: str, tracker: Tracker) -> str:
    """The message that asks a form's question for `slot`: `ask_<slot>`, or, for where it hurts after a plain
    "back", which part of it."""
    if slot == "body_region" and tracker.get_slot("region_hint") == "back":
        # asked already and answered with the back again ("all of it", "just my back"): say why the part matters
        return "ask_back_part_again" if _back_before_the_latest_message(tracker) else "ask_back_part"
    return f"ask_{slot}"


def _back_before_the_latest_message(tracker: Tracker) -> bool:
    """The conversation held a plain "back" before the person's latest message (the part was asked for once)."""
    events = list(tracker.events)
    latest = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    hint = None
    for event in events[:latest]:
        if event.get("event") == "slot" and event.get("name") == "region_hint":
            hint = event.get("value")
    return hint == "back"


class _AskForSlot(KnotcareAction):
    """Asks the form's question for one slot, in the reviewed words of messages.yml."""

    slot: str = ""

    def message_key(self, tracker: Tracker) -> str:
        """The message to send (`question_key`)."""
        return question_key(self.slot, tracker)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the question with its buttons, worded for whose pain it is; the first screen question says why it
        is asked; a part outside the five regions named beside a region is said to be outside what we cover."""
        subject = tracker.get_slot("subject")
        say_scope_note(dispatcher, tracker)
        if self.slot.startswith("screen_") and all(tracker.get_slot(s) is None for s in SCREEN_CODES):
            say_key(dispatcher, "screen_intro", subject=subject)
        say_key(dispatcher, self.message_key(tracker), subject=subject)
        return []


class ActionAskBodyRegion(_AskForSlot):
    """Where it hurts, or which part of the back when the person said just "back"."""

    slot = "body_region"

    action_name = "action_ask_body_region"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """On Telegram and Slack, the body map as a picture above the question's region buttons (the web page
        draws its own, with the regions as buttons on the figure)."""
        if tracker.get_latest_input_channel() not in DRAWS_BODY_MAP:
            with provider.knowledge_base().unit_of_work() as uow:
                caption = uow.messages.get("picture_body_map_caption").text
            show_named(dispatcher, tracker, "body_map", caption)
        return await super().run(dispatcher, tracker, domain)


ASK_ACTIONS = [concrete_action(_AskForSlot, f"action_ask_{slot}", slot=slot)
               for slot in FACT_SLOTS[1:] + list(SCREEN_CODES)]
