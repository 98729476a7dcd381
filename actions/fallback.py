"""When the assistant did not understand: a kind, specific answer, and nothing lost."""

from __future__ import annotations

import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import KnotcareAction
from actions.clinic import hand_over_conversation
from actions.extraction import accumulated, stated_age
from actions.intake import question_key
from actions.say import say_key
from actions.slots import entity_values

#: The second failed understanding in a row hands the conversation to the clinic's staff.
HANDOFF_AFTER = 2


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters) < 0.5


def failed_in_a_row(events: List[Dict[Text, Any]]) -> int:
    """How many user messages in a row, the latest included, ended in this fallback (it is running now)."""
    turns: List[bool] = []
    for event in events:
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            turns = []
        elif kind == "user":
            turns.append(False)
        elif kind == "action" and event.get("name") == "action_default_fallback" and turns:
            turns[-1] = True
    count = 1
    # Reverted messages stay in the event list, so earlier fallbacks are still countable.
    for failed in reversed(turns[:-1]):
        if not failed:
            break
        count += 1
    return count


class ActionDefaultFallback(KnotcareAction):
    """Says what went wrong in plain words, then forgets the message so an open form carries on."""

    action_name = "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Reply (handing over after two misses in a row), then revert the message; a question the form is waiting
        for is asked again, so that nothing is lost and the person sees what to answer."""
        text = (tracker.latest_message.get("text") or "").strip()
        subject = (entity_values(tracker, "subject") or [tracker.get_slot("subject")])[0]
        pending = _pending_question(tracker)
        if not text:
            say_key(dispatcher, "empty_message")
        elif _mostly_non_latin(text):
            say_key(dispatcher, "english_only")
        elif failed_in_a_row(tracker.events) == HANDOFF_AFTER:
            say_key(dispatcher, "not_understood_handover")
            await hand_over_conversation(dispatcher, tracker, "not_understood")
            pending = None
        elif entity_values(tracker, "body_region"):
            # A question about the neck or back that is not ours to answer ("can sinus infections cause neck pain?"):
            # say what we can do and who can answer it, rather than ask for it to be put another way.
            say_key(dispatcher, "not_understood_region", subject=subject)
        elif pending:
            # the examples of what to say are for a first message: here the question asked says it
            say_key(dispatcher, "not_understood_answer")
        else:
            say_key(dispatcher, "default")
        if pending:
            say_key(dispatcher, pending, subject=subject)
        return [UserUtteranceReverted(), *kept_facts(tracker)]


def _pending_question(tracker: Tracker) -> Optional[str]:
    """The message key of the question an open form waits for an answer to, if any."""
    slot = tracker.get_slot("requested_slot")
    return question_key(slot, tracker) if tracker.active_loop.get("name") and slot else None


def kept_facts(tracker: Tracker) -> List[EventType]:
    """What the message said that outlives its revert: whose pain it is ("it's not me, it's my husband") and the
    facts that only add up ("hes 47 and on apixaban"). Set again even when the slots already hold them: the
    message itself set them, and the revert undoes that."""
    events: List[EventType] = [SlotSet(name, value) for name in ("subject", "writer")
                               for value in entity_values(tracker, name)[:1]]
    return events + accumulated(tracker, even_if_held=True) + stated_age(tracker)
