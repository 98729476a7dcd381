"""The base of our NLU components: reviewed rules with nothing to train or to load from the model."""

from __future__ import annotations

from typing import Any, Dict, Text, Type, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

Component = TypeVar("Component", bound="RuleComponent")


def conversation_says(message: Message, key: Text) -> Any:
    """What the server marked on the message about its conversation under `key` (patches/conversation_context.py),
    or None: a message read without a conversation carries no such mark."""
    metadata = message.get("metadata")
    return metadata.get(key) if isinstance(metadata, dict) else None


class RuleComponent(GraphComponent):
    """A graph component made from its configuration alone, at training and at load alike."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls: Type[Component], config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        """Nothing to train or load: the component is its configuration."""
        return cls(config)
