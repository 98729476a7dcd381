"""The one action that decides: triage level, matched rules and routine, with the reasons."""

from __future__ import annotations

import logging
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import provider
from actions.base import KnotcareAction
from actions.say import say
from actions.slots import facts_from_tracker
from knotcare.care import decide_care
from knotcare.clinic.answers import see_clinician_offer
from knotcare.clinic.profile import default_profile
from knotcare.triage.engine import Facts

logger = logging.getLogger(__name__)

#: Levels whose reply starts with a header message of the same name (messages.yml).
_HEADED_LEVELS = ("emergency", "urgent", "see_clinician", "consult_first")

class ActionDecideCare(KnotcareAction):
    """Applies the triage rules to the slots and replies with advice or a routine."""

    action_name = "action_decide_care"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Decide, reply (what to do first, then why), and record the contract slots."""
        return reply_with_decision(dispatcher, tracker, facts_from_tracker(tracker))


def reply_with_decision(dispatcher: CollectingDispatcher, tracker: Tracker, facts: Facts) -> List[EventType]:
    """Decide on these facts, say what to do first and why, and return the contract slots' events.

    For self-care and consult-first the plan itself comes after the plan preferences
    (actions/plans.py): this only says the decision and sets `plan_pending`.
    """
    subject = tracker.get_slot("subject")
    with provider.knowledge_base().unit_of_work() as uow:
        care = decide_care(uow, facts, tracker.get_slot("muscles") or [])
        messages = {key: uow.messages.for_subject(key, subject) for key in (*_HEADED_LEVELS, "comfort_advice",
                                                                             "red_flag_safety_net", "decision_why")}
        escalation = uow.messages.get("front_desk_escalation")
        version = uow.meta.get("rules_version")
    decision, plan = care.decision, care.plan
    # Rule ids only: what the person said stays out of the logs.
    logger.info("triage decision level=%s rules=%s", decision.level, ",".join(decision.rule_ids))

    if decision.level in _HEADED_LEVELS:
        say(dispatcher, messages[decision.level])
    front_desk = default_profile().escalation.get(decision.level)
    if front_desk and tracker.get_slot("writer") == "front_desk":
        # The clinic's own steps for its staff, with the control for the next caller.
        say(dispatcher, escalation, escalation=front_desk)
    if decision.messages and decision.level != "self_care":
        say(dispatcher, messages["decision_why"], reasons=" ".join(decision.messages_for(subject)))
    if decision.level in ("see_clinician", "urgent"):
        say(dispatcher, messages["comfort_advice"])
    if decision.level == "see_clinician":
        # The clinic front desk: how to book here (knotcare.clinic).
        dispatcher.utter_message(text=see_clinician_offer(default_profile()))
    if decision.level == "self_care" and decision.messages:
        dispatcher.utter_message(text=" ".join(decision.messages_for(subject)))
    if decision.level != "emergency" and not care.plan_follows:
        say(dispatcher, messages["red_flag_safety_net"])

    events: List[EventType] = [
        SlotSet("triage_level", decision.level),
        SlotSet("triage_rule_ids", list(decision.rule_ids)),
        SlotSet("triage_rules_version", version),
        SlotSet("routine_id", plan.routine.id if plan else None),
    ]
    if care.plan_follows:
        events.append(SlotSet("plan_pending", True))
    else:
        # Whatever was under way (a plan to come, a guided session) stops for this decision.
        events += [SlotSet(slot, None) for slot in ("plan_pending", "guided_session", "guided_step")
                   if tracker.get_slot(slot) is not None]
    if tracker.active_loop.get("name"):
        # A red flag interrupted a form: the decision ends it.
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events
