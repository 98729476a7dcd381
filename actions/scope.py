"""A body part outside the five regions: say so kindly, with where to go instead."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import provider
from actions.base import KnotcareAction
from actions.say import say, say_key
from actions.slots import entity_values
from knotcare.clinic.profile import default_profile


def _parts(tracker: Tracker, values: List[str]) -> str:
    """ "your knee and hip" / "their knee", in the reviewed words of messages.yml."""
    subject = tracker.get_slot("subject")
    with provider.knowledge_base().unit_of_work() as uow:
        if not values:
            return uow.messages.get("part_unknown").text
        owner = uow.messages.for_subject("part_owner", subject).text
        names = [uow.messages.get(f"part_{value}").text for value in values]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{owner} {listed}"


def say_scope_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Beside a covered region, name the part of the latest message that is outside what we cover."""
    parts = entity_values(tracker, "other_body_part")
    regions = entity_values(tracker, "body_region")
    region = tracker.get_slot("body_region") or (regions[0] if regions else None)
    if not parts or not region:
        return
    with provider.knowledge_base().unit_of_work() as uow:
        message = uow.messages.for_subject("scope_note", tracker.get_slot("subject"))
    say(dispatcher, message, region=region.replace("_", " "), parts=_parts(tracker, parts))


class ActionAnswerScope(KnotcareAction):
    """Answers a message about a body part outside the five regions (components/scope_router.py)."""

    action_name = "action_answer_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Where to go instead: a pharmacist, a GP or physiotherapist, the clinic."""
        if entity_values(tracker, "animal"):
            say_key(dispatcher, "scope_animal")  # a pet's or a horse's back: people only here, a vet for them
            return []
        parts = entity_values(tracker, "other_body_part")
        clinic = default_profile()
        with provider.knowledge_base().unit_of_work() as uow:
            message = uow.messages.for_subject("scope_other_part", tracker.get_slot("subject"))
        say(dispatcher, message, parts=_parts(tracker, parts), clinic=clinic.name, phone=clinic.phone)
        return []
