"""Answers to people's questions, from the knowledge base, tailored to their region."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import provider
from actions.say import say


class ActionAnswerQuestion(Action):
    """Answers the question the latest intent names (`ask_hold_time` -> the hold-time answer)."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Utter the answer, with the note for the person's region when there is one."""
        topic = (tracker.latest_message.get("intent") or {}).get("name") or ""
        with provider.knowledge_base().unit_of_work() as uow:
            answer = uow.answers.get(topic)
            fallback = uow.messages.get("default")
            caveat = uow.messages.get("answer_after_red_flag")
        if answer is None:
            say(dispatcher, fallback)
            return []
        region = tracker.get_slot("body_region")
        text = answer.text
        if region and region in answer.region_notes:
            text += "\n" + answer.region_notes[region]
        if tracker.get_slot("triage_level") in ("emergency", "urgent"):
            # Never let general tips read as permission to skip getting checked.
            text = caveat.text + "\n" + text
        dispatcher.utter_message(text=text)
        if self._describes_own_pain_first_time(tracker):
            # "knot in my trap, what if it starts tingling?": the question is answered, and the knot
            # they described still gets its intake (and red-flag screen) instead of being dropped.
            return [FollowupAction("pain_intake_form")]
        return []

    @staticmethod
    def _describes_own_pain_first_time(tracker: Tracker) -> bool:
        """The message names where it hurts, no intake is running and nothing has been decided yet."""
        entities = tracker.latest_message.get("entities") or []
        return (not tracker.active_loop.get("name") and tracker.get_slot("triage_level") is None
                and any(e.get("entity") == "body_region" for e in entities))
