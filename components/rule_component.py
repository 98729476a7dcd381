"""The base of our NLU components: reviewed rules with nothing to train or to load from the model."""

from __future__ import annotations

from typing import Any, Dict, Text, Type, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

Component = TypeVar("Component", bound="RuleComponent")


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
