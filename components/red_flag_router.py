"""Safety routing: an affirmed red flag makes the message a `report_red_flag`, whatever else it says."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagRouter(GraphComponent):
    """Overrides the intent when the message affirms a red flag.

    "thanks! oh and I can't control my bladder" must not get "you're welcome":
    the classifier's intent stays in the ranking, but the red flag decides what
    happens next. Runs after the classifiers and the fallback classifier.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`intent`: the intent to route to; `entity`: the entity that triggers it."""
        return {"intent": "report_red_flag", "entity": "red_flag"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._intent = config["intent"]
        self._entity = config["entity"]

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RedFlagRouter":
        """Nothing to train or load."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Route messages with an affirmed red flag to the red-flag intent."""
        for message in messages:
            if not any(e.get("entity") == self._entity for e in message.get(ENTITIES, [])):
                continue
            current = message.get(INTENT) or {}
            if current.get(INTENT_NAME_KEY) == self._intent:
                continue
            routed = {INTENT_NAME_KEY: self._intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get(INTENT_NAME_KEY) != self._intent]
            message.set(INTENT, routed, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [routed] + ranking, add_to_output=True)
        return messages
