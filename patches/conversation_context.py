"""What NLU needs to know of the conversation: whether it is about the writer's own pain, and whether a
step-by-step session is running.

Rasa's NLU reads each message alone, but "my wife's laid up with a temperature" means two things: in a first
message it makes the wife the subject and her fever a sign to act on; typed in a conversation about the writer's
own knot, it is someone mentioned in passing (contract, "Whose pain it is"), and must neither become the subject
nor put her fever, her back or her age on the writer. `install()` wraps Rasa 3.6.21's
`MessageProcessor.parse_message`, which is handed the conversation's tracker before NLU runs, so that the message's
metadata says so (`knotcare.nlp.WRITER_IN_PAIN`): no second read of the tracker store. Whatever a client sent
under that key is dropped first, so only the server's own tracker can set it. Installed by our channels, like the
log filter.

The same goes for a step-by-step session (`knotcare.nlp.GUIDED_SESSION`): "next", "again" and "stop" are its
commands while it runs (from the rating before the first step on), and nothing else's: "I've had a knot for a week and
I can't stop worrying about it", taken for "stop" outside a session, is a guess the answer router treats as one.
And for the conditions the conversation holds (`knotcare.nlp.KNOWN_CONDITIONS`): "she's had some bleeding",
typed after "my wife is 26 weeks pregnant", is a warning sign of pregnancy.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from knotcare.nlp import GUIDED_SESSION, KNOWN_CONDITIONS, WRITER_IN_PAIN

#: The metadata only the server sets, from the conversation.
OURS = (WRITER_IN_PAIN, GUIDED_SESSION, KNOWN_CONDITIONS)

_installed = False


def about_the_writers_pain(tracker: Optional[DialogueStateTracker]) -> bool:
    """The conversation is about the writer, who has already said where it hurts."""
    return tracker is not None and tracker.get_slot("subject") in (None, "self") and \
        tracker.get_slot("body_region") is not None


def in_a_guided_session(tracker: DialogueStateTracker) -> bool:
    """A step-by-step session is running: its steps, or the rating asked before the first one."""
    return tracker.get_slot("guided_session") == "active" or tracker.active_loop_name == "pain_before_form"


def mark(message: UserMessage, tracker: Optional[DialogueStateTracker]) -> None:
    """Set the message's WRITER_IN_PAIN, GUIDED_SESSION and KNOWN_CONDITIONS metadata from the tracker, and from
    nothing else."""
    sent = message.metadata if isinstance(message.metadata, dict) else {}
    if isinstance(message.metadata, dict) and any(key in sent for key in OURS):
        message.metadata = {key: value for key, value in sent.items() if key not in OURS}
    if tracker is None:
        return
    ours: Dict[str, Any] = {GUIDED_SESSION: in_a_guided_session(tracker)}
    if tracker.get_slot("conditions"):
        ours[KNOWN_CONDITIONS] = [str(code) for code in tracker.get_slot("conditions")]
    if about_the_writers_pain(tracker):
        ours[WRITER_IN_PAIN] = True
    message.metadata = {**(message.metadata if isinstance(message.metadata, dict) else {}), **ours}


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
