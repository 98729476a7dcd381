"""'Forget me': delete the person's personal rows; the tracker store drops the conversation itself."""

from __future__ import annotations

import logging
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, ReminderCancelled
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import provider
from actions.base import KnotcareAction
from knotcare import privacy
from knotcare.clinic.handoff import forget_staff_messages
from knotcare.clinic.slack import SlackSettings
from knotcare.privacy import UNLESS_DONE, WHEN_DONE, person_id
from knotcare.progress.followup import CHECK_IN, HOLD, reminder_name

logger = logging.getLogger(__name__)


class ActionForgetMe(KnotcareAction):
    """Deletes every personal row of the person and confirms; runs only after a yes."""

    action_name = "action_forget_me"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Delete the personal rows now; the conversation's events go when Rasa saves this turn.

        The events cannot be deleted from here: Rasa writes the whole turn back after the
        action returns. stores/tracker.py's tracker store sees this action in the turn and
        deletes the conversation instead of saving it; only then is "deleted" said.
        """
        kb = provider.knowledge_base()
        # Recorded first: if the tracker store cannot delete the conversation this turn, the forget is finished
        # later (`knotcare forget-pending`), not forgotten.
        privacy.forget_started(kb.engine, tracker.sender_id)
        # The staff messages next: the ticket rows say where they are.
        with kb.unit_of_work() as uow:
            await forget_staff_messages(uow, SlackSettings.from_env(), tracker.sender_id)
        deleted = privacy.forget_person(kb.engine, tracker.sender_id)
        logger.info("forget me: %d personal rows deleted", deleted)
        # "Deleted" is said only once the tracker store has deleted the conversation too; until then the person is
        # told what is done and what is still to do (channels/held_replies.py holds both and sends the true one).
        with kb.unit_of_work() as uow:
            forgotten, pending = uow.messages.get("forgotten").text, uow.messages.get("forget_pending").text
        dispatcher.utter_message(text=forgotten, send=WHEN_DONE)
        dispatcher.utter_message(text=pending, send=UNLESS_DONE)
        # Nothing scheduled for the person may arrive after they asked to be forgotten.
        return [ReminderCancelled(name=reminder_name(kind, person_id(tracker.sender_id))) for kind in (CHECK_IN, HOLD)]
