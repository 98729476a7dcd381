"""Safety routing: the red-flag intent means "a red flag was read", and only that.

An affirmed red flag makes the message a `report_red_flag`, whatever else it
says. The other way round, a `report_red_flag` guess from the classifier with no
red flag read in the text goes to the intake instead (`describe_pain`), whose
screen then asks about every red flag explicitly before any routine.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from components.rule_component import RuleComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagRouter(RuleComponent):
    """Overrides the intent when the message affirms a red flag.

    "thanks! oh and I can't control my bladder" must not get "you're welcome":
    the classifier's intent stays in the ranking, but the red flag decides what
    happens next. Runs after the classifiers and the fallback classifier.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`intent`: the red-flag intent; `entity`: the entity that triggers it; `without_entity`: the
        intent for a red-flag guess with no red flag read."""
        return {"intent": "report_red_flag", "entity": "red_flag", "without_entity": "describe_pain"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._intent = config["intent"]
        self._entity = config["entity"]
        self._without_entity = config["without_entity"]


    def process(self, messages: List[Message]) -> List[Message]:
        """Route messages with an affirmed red flag to the red-flag intent."""
        for message in messages:
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            has_flag = any(e.get("entity") == self._entity for e in message.get(ENTITIES, []))
            if has_flag and current != self._intent:
                self._route(message, self._intent)
            elif not has_flag and current == self._intent:
                self._route(message, self._without_entity)
        return messages

    @staticmethod
    def _route(message: Message, intent: Text) -> None:
        route_intent(message, intent)


def route_intent(message: Message, intent: Text) -> None:
    """Make `intent` the message's intent, keeping the classifier's ranking after it."""
    routed = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get(INTENT_NAME_KEY) != intent]
    message.set(INTENT, routed, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [routed] + ranking, add_to_output=True)
