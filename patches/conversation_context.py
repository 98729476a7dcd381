"""What the fact extractor needs to know of the conversation: whether it is about the writer's own pain.

Rasa's NLU reads each message alone, but "my wife's laid up with a temperature" means two things: in a first
message it makes the wife the subject and her fever a sign to act on; typed in a conversation about the writer's
own knot, it is someone mentioned in passing (contract, "Whose pain it is"), and must neither become the subject
nor put her fever, her back or her age on the writer. `install()` wraps Rasa 3.6.21's
`MessageProcessor.parse_message`, which is handed the conversation's tracker before NLU runs, so that the message's
metadata says so (`knotcare.nlp.WRITER_IN_PAIN`): no second read of the tracker store. Whatever a client sent
under that key is dropped first, so only the server's own tracker can set it. Installed by our channels, like the
log filter.
"""

from __future__ import annotations

import functools
from typing import Any, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from knotcare.nlp import WRITER_IN_PAIN

_installed = False


def about_the_writers_pain(tracker: Optional[DialogueStateTracker]) -> bool:
    """The conversation is about the writer, who has already said where it hurts."""
    return tracker is not None and tracker.get_slot("subject") in (None, "self") and \
        tracker.get_slot("body_region") is not None


def mark(message: UserMessage, tracker: Optional[DialogueStateTracker]) -> None:
    """Set the message's WRITER_IN_PAIN metadata from the tracker, and from nothing else."""
    if isinstance(message.metadata, dict) and WRITER_IN_PAIN in message.metadata:
        message.metadata = {key: value for key, value in message.metadata.items() if key != WRITER_IN_PAIN}
    if about_the_writers_pain(tracker):
        message.metadata = {**(message.metadata if isinstance(message.metadata, dict) else {}), WRITER_IN_PAIN: True}


def install() -> None:
    """Mark every message parsed with a conversation (idempotent)."""
    global _installed
    if _installed:
        return
    rasas_own = MessageProcessor.parse_message

    @functools.wraps(rasas_own)
    async def parse_message(self: MessageProcessor, message: UserMessage,
                            tracker: Optional[DialogueStateTracker] = None, *args: Any, **kwargs: Any) -> Any:
        mark(message, tracker)
        return await rasas_own(self, message, tracker, *args, **kwargs)

    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
    _installed = True
