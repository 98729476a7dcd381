"""Saying reviewed messages (data/kb/messages.yml, from the knowledge base) through a dispatcher."""

from __future__ import annotations

from typing import Optional

from rasa_sdk.executor import CollectingDispatcher

from actions import provider
from knotcare.content import Message


def say(dispatcher: CollectingDispatcher, message: Message, **values: object) -> None:
    """Send one message, with its buttons if it has any."""
    if message.buttons:
        dispatcher.utter_message(text=message.format(**values), buttons=[dict(b) for b in message.buttons])
    else:
        dispatcher.utter_message(text=message.format(**values))


def say_key(dispatcher: CollectingDispatcher, key: str, subject: Optional[str] = None, **values: object) -> None:
    """Look a message up by key, worded for the conversation's `subject`, and send it (one short unit of work)."""
    with provider.knowledge_base().unit_of_work() as uow:
        message = uow.messages.for_subject(key, subject)
    say(dispatcher, message, **values)


def concrete_action(base: type, action_name: str, **attributes: object) -> type:
    """A concrete subclass of the abstract `base`, named `action_name` in the domain.

    rasa-sdk registers every concrete Action subclass, so shared bases stay abstract and the many
    one-message actions (a form's questions) are made here rather than written out class by class.
    """
    return type(f"Action_{action_name}", (base,), {"action_name": action_name, "__doc__": f"{action_name}.",
                                                    **attributes})
