"""Statements about one's own pain are answers, not questions; a step-by-step command outside a session is a guess.

In the middle of the intake, "sore" (to "what does it feel like?") was read as
the soreness question, and "dull" as the causes question; the assistant
answered the question and asked again, forever. Outside the intake,
"lower back knot is crippling, 9/10" was read as a question about tools.

This component runs after the classifiers: a question, fallback or out-of-scope
guess is turned into `describe_pain` when the message is not phrased as a question (no
"?" and no question word first) and it states facts about the person's pain (or, for a
fallback or out-of-scope guess, when it says where and what even with a question attached):
either a short answer with any fact ("sore", "dull ache", "about 3 weeks"), or
a where together with a what, how long or how bad, or a pain fact beside a condition
("had a fusion in May, tight knot above the scar"). A real question such as
"how long do I hold it on my neck?" keeps its intent.

Small talk guessed for a description is routed the same way: "ive got a knot in my mid back" read as `affirm`
(or "got a knot under my shoulder blade, been there a while", a greeting with a region) names where it hurts and
does not open with a yes or a no (data/patterns/answers.yml), so it is a description. "yes, in my lower back"
stays a yes. So is a case relayed by someone else ("Chiropractor here, asking about self-care for a patient's
lumbar paraspinal knot", "I have a caller asking for self-care advice for a knot"): a statement about
someone's region or knot, and, for a guess among the clinic's own questions (`clinic_intents`: opening hours,
parking ...), a question about one too ("can I get self-massage advice for a patient with a trigger point?").

A request about the writer's own data (`own_data_intents`: "forget me") guessed for a message about someone else
("forget mine, what should he do? he's 52") is about that person's care: it goes to the intake too.

The step-by-step session's commands (`session_intents`: next, again, stop) mean something only while a session runs
(the message's `GUIDED_SESSION` metadata, patches/conversation_context.py): outside one, "I've had a knot at the top
of my shoulder for a week and I can't stop worrying about it" taken for "stop" is an unsure guess, routed as one.
A message read without a conversation (no such metadata) keeps the classifier's guess.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.red_flag_router import route_intent
from components.rule_component import RuleComponent, conversation_says
from knotcare.nlp import GUIDED_SESSION
from knotcare.nlp.answers import read_answer
from knotcare.nlp.answers import words as word_list
from knotcare.nlp.phrasing import phrased_as_question

#: The words of having something ("I have a knot", "he's got knots").
_HAVING = frozenset({"have", "has", "got", "having", "i've", "ive", "we've"})
FACTS = frozenset({"pain_quality", "body_region", "duration", "severity", "muscle"})
DETAILS = frozenset({"pain_quality", "duration", "severity"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AnswerRouter(RuleComponent):
    """Routes statements of pain facts that were guessed as questions to `describe_pain`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`question_prefixes`: intents treated as questions; `intent`: where statements go; `short`: the most
        tokens a bare answer has."""
        return {"question_prefixes": ["ask_", "nlu_fallback", "out_of_scope"], "intent": "describe_pain", "short": 4,
                "unsure_intents": ["nlu_fallback", "out_of_scope"],
                "small_talk_intents": ["affirm", "deny", "greet", "goodbye", "thank", "bot_challenge"],
                "complaint_words": ["knot", "knots", "trigger point", "trigger points"], "clinic_intents": [],
                "session_intents": ["step_next", "step_repeat", "step_stop"], "own_data_intents": ["forget_me"]}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._prefixes = tuple(config["question_prefixes"])
        self._unsure = frozenset(config["unsure_intents"])
        self._small_talk = frozenset(config["small_talk_intents"])
        self._complaints = tuple(tuple(word_list(w)) for w in config["complaint_words"])
        self._clinic = frozenset(config["clinic_intents"])
        self._session = frozenset(config["session_intents"])
        self._own_data = frozenset(config.get("own_data_intents", ()))
        self._intent = config["intent"]
        self._short = int(config["short"])

    def process(self, messages: List[Message]) -> List[Message]:
        """Route each message that states pain facts without asking anything."""
        for message in messages:
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
            if current in self._session and _outside_a_session(message):
                current = DEFAULT_NLU_FALLBACK_INTENT_NAME
                route_intent(message, current)
            if current.startswith(self._prefixes) and self._is_statement_of_facts(message, current in self._unsure) \
                    or current in self._small_talk and self._is_description(message) \
                    or current in self._clinic and self._is_relayed_case(message, asked=True) \
                    or current in self._own_data and _someone_else(message):
                # "forget mine, what should he do? he's 52" is no request to delete the writer's data
                route_intent(message, self._intent)
        return messages

    @staticmethod
    def _is_description(message: Message) -> bool:
        """Says where it hurts (a region or a muscle) and opens with no answer to a yes/no question."""
        named = {e.get("entity") for e in message.get(ENTITIES, [])}
        return bool(named & {"body_region", "muscle"}) and read_answer(message.get(TEXT) or "") is None

    def _is_relayed_case(self, message: Message, asked: bool) -> bool:
        """Someone else's region or knot, told (or, for a clinic question, asked about: "can I get self-massage advice
        for a patient with a trigger point?" is not about parking)."""
        text = (message.get(TEXT) or "").strip().lower()
        named = {e.get("entity") for e in message.get(ENTITIES, [])}
        return _someone_else(message) and (asked or not phrased_as_question(text)) and (
            "body_region" in named or self._names_a_complaint(text))

    def _names_a_complaint(self, text: str) -> bool:
        said = word_list(text)
        return any(tuple(said[i:i + len(c)]) == c for c in self._complaints for i in range(len(said)))

    def _has_a_complaint(self, text: str) -> bool:
        """Says someone has or has got a knot ("I have a knot", "my husband's got knots", "I have a muscle knot")."""
        said = word_list(text)
        return any(word in _HAVING and self._names_a_complaint(" ".join(said[i + 1:i + 5]))
                   for i, word in enumerate(said))

    def _is_statement_of_facts(self, message: Message, unsure: bool) -> bool:
        """Not asked as a question, and it states pain facts (for a fallback or out-of-scope guess, where it
        hurts is enough: "woke up with a crick in my mid back")."""
        text = (message.get(TEXT) or "").strip().lower()
        words = text.replace(",", " ").split()
        named = {e.get("entity") for e in message.get(ENTITIES, [])}
        found = named & FACTS
        if not words:
            return False
        if self._is_relayed_case(message, asked=unsure):
            # someone else's case, relayed: "Chiropractor here, asking about self-care for a patient's lumbar knot";
            # unsure, asked too: "... his neck and shoulders are rock hard by the evening. What can I do to help him?"
            return True
        if unsure and _someone_else(message) and not phrased_as_question(text):
            # "It's about my mum. She is 74.": whose pain it is, nothing more yet; the intake asks where it hurts
            return True
        if not phrased_as_question(text) and self._has_a_complaint(text):
            # "I have a knot", "I've got knots", "I have a muscle knot" (guessed as what a knot is): someone telling
            # what they have, with nothing else yet; the intake asks where.
            return True
        if not found:
            return False
        if phrased_as_question(text):
            # An unsure guess that says where it hurts and what it is like (or a condition) is a description with
            # a question attached ("there's a sore spot in my lower back. What massage would you suggest?"): the intake
            # answers it. A question the classifier placed keeps its intent.
            # So is a question about someone else's case that says where and what, or where and a condition
            # ("A client (35F) ... C5/6 disc bulge ... just a neck knot. Should we go ahead with the booking?"): whose
            # pain it is and what it is come first, the booking after.
            # An unsure guess at a question about a knot where it hurts ("can u help w a knot in my trap", "whats the
            # best way to get rid of a knot in my upper trap?") is one too: the intake asks what else it needs.
            case = "body_region" in found and bool(found & DETAILS or "condition" in named)
            knot = unsure and "body_region" in found and self._names_a_complaint(text)
            return case and (unsure or _someone_else(message)) or knot
        if (unsure and "body_region" in found) or "condition" in named:
            # "had an L4-L5 fusion in May ... a tight knot just above the scar": a history and a pain fact
            return True
        return len(words) <= self._short or ("body_region" in found and bool(found & DETAILS))


def _outside_a_session(message: Message) -> bool:
    """The server says no step-by-step session is running (without a conversation, it says nothing)."""
    return conversation_says(message, GUIDED_SESSION) is False


def _someone_else(message: Message) -> bool:
    """The message is about someone other than the writer."""
    return any(e.get("entity") == "subject" and e.get("value") == "other" for e in message.get(ENTITIES, []))
