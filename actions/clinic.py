"""The clinic front desk: answers from the clinic profile, and handing over to staff."""

from __future__ import annotations

import datetime as dt
import logging
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import provider
from actions.base import KnotcareAction
from knotcare.clinic.answers import answer
from knotcare.clinic.handoff import hand_over
from knotcare.clinic.profile import default_profile
from knotcare.clinic.slack import SlackSettings
from knotcare.settings import Settings

logger = logging.getLogger(__name__)

#: Demos and end-to-end tests pretend it is another time (an ISO datetime with its offset).
NOW_ENV = "KNOTCARE_CLINIC_NOW"


def now() -> dt.datetime:
    """The current time (aware), or $KNOTCARE_CLINIC_NOW when set."""
    fixed = Settings.from_env().clinic_now
    return dt.datetime.fromisoformat(fixed) if fixed else dt.datetime.now(dt.timezone.utc)


async def hand_over_conversation(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> None:
    """Open (or find) the conversation's ticket, message staff, and tell the person what happens next."""
    with provider.knowledge_base().unit_of_work() as uow:
        result = await hand_over(uow, default_profile(), SlackSettings.from_env(), tracker.sender_id,
                                 tracker.current_slot_values(), reason, now())
    # The ticket number only: the summary stays in the ticket, out of the logs.
    logger.info("handoff ticket=%s new=%s notified=%s", result.ticket.id, result.new, result.notified)
    dispatcher.utter_message(text=result.reply)


class ActionAnswerClinic(KnotcareAction):
    """Answers a question about the clinic (hours, booking, prices, ...) from its profile."""

    action_name = "action_answer_clinic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Answer the latest intent; hours read the day from the message's words and the clock."""
        topic = (tracker.latest_message.get("intent") or {}).get("name") or ""
        for text in answer(default_profile(), topic, tracker.latest_message.get("text") or "", now()):
            dispatcher.utter_message(text=text)
        return []


class ActionRequestHuman(KnotcareAction):
    """Hands the conversation over to the clinic's staff, with a summary of the facts so far."""

    action_name = "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Write the ticket and reply; an open intake ends (the ticket carries what it had)."""
        await hand_over_conversation(dispatcher, tracker, "asked")
        if tracker.active_loop.get("name"):
            return [ActiveLoop(None), SlotSet("requested_slot", None)]
        return []
