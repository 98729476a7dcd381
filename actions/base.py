"""The base of Knotcare's custom actions: a domain name and `run`, nothing else to write."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class KnotcareAction(Action, metaclass=ABCMeta):
    """A custom action named by its class attribute `action_name`, the name the domain lists.

    A class that leaves `action_name` unset stays abstract, and rasa-sdk's executor registers only concrete
    classes: a shared base (one question per slot, one message per key) is never served under an empty name.
    """

    @property
    @abstractmethod
    def action_name(self) -> Text:
        """The action's name in the domain (a class attribute in each concrete action)."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return self.action_name

    @abstractmethod
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """What the action says (through `dispatcher`) and the events it returns."""
