"""'Forget me': delete the person's personal rows; the tracker store drops the conversation itself."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, ReminderCancelled
from rasa_sdk.executor import CollectingDispatcher

from actions import provider
from actions.plans import CHECK_IN, HOLD, reminder_name
from actions.say import say_key
from knotcare import privacy

logger = logging.getLogger(__name__)


class ActionForgetMe(Action):
    """Deletes every personal row of the person and confirms; runs only after a yes."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_forget_me"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Delete the personal rows now; the conversation's events go when Rasa saves this turn.

        The events cannot be deleted from here: Rasa writes the whole turn back after the
        action returns. stores/tracker.py's tracker stores see this action in the turn and
        delete the conversation instead of saving it.
        """
        deleted = privacy.forget_person(provider.knowledge_base().engine, tracker.sender_id)
        logger.info("forget me: %d personal rows deleted", deleted)
        say_key(dispatcher, "forgotten")
        # Nothing scheduled for the person may arrive after they asked to be forgotten.
        return [ReminderCancelled(name=reminder_name(kind, tracker.sender_id)) for kind in (CHECK_IN, HOLD)]
