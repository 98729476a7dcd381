"""When the assistant did not understand: a kind, specific answer, and nothing lost."""

from __future__ import annotations

import unicodedata
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.say import say_key


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters) < 0.5


class ActionDefaultFallback(Action):
    """Says what went wrong in plain words, then forgets the message so an open form carries on."""

    def name(self) -> Text:
        """Overrides Rasa's default fallback."""
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Reply, then revert the user's message (the form's question still stands)."""
        text = (tracker.latest_message.get("text") or "").strip()
        if not text:
            say_key(dispatcher, "empty_message")
        elif _mostly_non_latin(text):
            say_key(dispatcher, "english_only")
        else:
            say_key(dispatcher, "default")
        return [UserUtteranceReverted()]
