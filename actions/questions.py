"""Answers to people's questions, from the knowledge base, tailored to their region."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import provider
from actions.base import KnotcareAction
from actions.say import say

QUESTION_INTENT = "ask_question"
TOPIC_ENTITY = "question_topic"
#: "which stretches, and how do I breathe?" gets both answers; more than two reads as a list, not a question.
MAX_TOPICS = 2


class ActionAnswerQuestion(KnotcareAction):
    """Answers the question asked: the latest intent (`ask_hold_time`), or for `ask_question` its topics."""

    action_name = "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Utter the answer to each topic asked, with the note for the person's region when there is one."""
        topics = self._topics(tracker)
        with provider.knowledge_base().unit_of_work() as uow:
            answers = [a for a in (uow.answers.get(t) for t in topics) if a is not None]
            menu = uow.messages.get("question_menu")
            caveat = uow.messages.get("answer_after_red_flag")
        if not answers:
            # "I have a question about knots" or a question we could not place: offer the topics.
            say(dispatcher, menu)
            return []
        region = tracker.get_slot("body_region")
        for index, answer in enumerate(answers):
            text = answer.text
            if region and region in answer.region_notes:
                text += "\n" + answer.region_notes[region]
            if index == 0 and tracker.get_slot("triage_level") in ("emergency", "urgent"):
                # Never let general tips read as permission to skip getting checked.
                text = caveat.text + "\n" + text
            dispatcher.utter_message(text=text)
        if self._describes_own_pain_first_time(tracker):
            # "knot in my trap, what if it starts tingling?": the question is answered, and the knot
            # they described still gets its intake (and red-flag screen) instead of being dropped.
            return [FollowupAction("pain_intake_form")]
        return []

    @staticmethod
    def _topics(tracker: Tracker) -> List[str]:
        """The topics asked: the `question_topic`s of an `ask_question` (at most two, in order), else the intent."""
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        if intent != QUESTION_INTENT:
            return [intent]
        named = [e.get("value") for e in tracker.latest_message.get("entities") or []
                 if e.get("entity") == TOPIC_ENTITY and e.get("value")]
        return list(dict.fromkeys(named))[:MAX_TOPICS]

    @staticmethod
    def _describes_own_pain_first_time(tracker: Tracker) -> bool:
        """The message names where it hurts, no intake is running and nothing has been decided yet."""
        entities = tracker.latest_message.get("entities") or []
        return (not tracker.active_loop.get("name") and tracker.get_slot("triage_level") is None
                and any(e.get("entity") == "body_region" for e in entities))
