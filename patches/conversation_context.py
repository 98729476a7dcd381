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
typed after "my wife is 26 weeks pregnant", is a warning sign of pregnancy. And for the signs of someone mentioned in
passing (`knotcare.nlp.PASSING_SIGNS`): "my gf has a fever and a stiff neck" told beside the writer's own knot is hers,
and once the writer turns to her ("actually it's her I'm worried about") it is the conversation's.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Dict, Optional

import yaml
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from knotcare.config import DATA_DIR
from knotcare.nlp import GUIDED_SESSION, KNOWN_CONDITIONS, PASSING_SIGNS, WRITER_IN_PAIN

#: The metadata only the server sets, from the conversation.
OURS = (WRITER_IN_PAIN, GUIDED_SESSION, KNOWN_CONDITIONS, PASSING_SIGNS)

_installed = False


@functools.lru_cache(maxsize=1)
def _self_words() -> frozenset:
    """The writer's words for themselves ("I", "my", "me" ...): the reviewed list the extractor reads too."""
    with (DATA_DIR / "patterns" / "context.yml").open(encoding="utf-8") as file:
        return frozenset(str(w) for w in yaml.safe_load(file).get("self") or [])


def _speaks_of_self(text: str) -> bool:
    """`text` has one of the writer's words for themselves."""
    return any(word in _self_words() for word in re.findall(r"[a-z]+(?:['’][a-z]+)?", text.lower().replace("’", "'")))


def about_the_writers_pain(tracker: Optional[DialogueStateTracker]) -> bool:
    """The conversation is about the writer, who has already said where it hurts, and has owned it: in their own
    words ("I", "my") or by answering the intake's questions. A question that names no one ("can a knot in the neck
    cause numbness in the arms?") makes no one's pain the writer's: "my mom's got one, she's 72" a message later is
    about her."""
    if tracker is None or tracker.get_slot("subject") not in (None, "self") or tracker.get_slot("body_region") is None:
        return False
    loop: Optional[str] = None
    for event in tracker.events:
        if isinstance(event, ActiveLoop):
            loop = event.name
        elif isinstance(event, UserUttered):
            text = event.text or ""
            if loop or text.startswith("/") or _speaks_of_self(text):
                return True
    return False


def in_a_guided_session(tracker: DialogueStateTracker) -> bool:
    """A step-by-step session is running: its steps, or the rating asked before the first one."""
    return tracker.get_slot("guided_session") == "active" or tracker.active_loop_name == "pain_before_form"


def mark(message: UserMessage, tracker: Optional[DialogueStateTracker]) -> None:
    """Set the message's WRITER_IN_PAIN, GUIDED_SESSION, KNOWN_CONDITIONS and PASSING_SIGNS metadata from the tracker,
    and from
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
    if (tracker.get_slot("subject") or "self") == "self":
        passing = [[entity, str(code)] for entity, slot in (("red_flag", "passing_red_flags"),
                                                            ("condition", "passing_conditions"))
                   for code in tracker.get_slot(slot) or []]
        if passing:
            ours[PASSING_SIGNS] = passing
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
