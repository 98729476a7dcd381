"""Saying reviewed messages (data/kb/messages.yml, from the knowledge base) through a dispatcher."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions import provider
from knotcare.content import Message


def say(dispatcher: CollectingDispatcher, message: Message, **values: object) -> None:
    """Send one message, with its buttons if it has any."""
    if message.buttons:
        dispatcher.utter_message(text=message.format(**values), buttons=[dict(b) for b in message.buttons])
    else:
        dispatcher.utter_message(text=message.format(**values))


def say_key(dispatcher: CollectingDispatcher, key: str, **values: object) -> None:
    """Look a message up by key and send it (one short unit of work)."""
    with provider.knowledge_base().unit_of_work() as uow:
        message = uow.messages.get(key)
    say(dispatcher, message, **values)
