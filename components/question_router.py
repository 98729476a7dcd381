"""Which question was asked: the classifier says "a question", the reviewed topic patterns say which.

Nine common questions have intents of their own (`ask_hold_time`, ...). The other
topics in data/kb/answers.yml (active versus latent knots, referred pain,
pregnancy, stretches, ...) share one intent, `ask_question`, which the classifier is
never trained on: twelve more classes made it worse at the nine (held-out macro-F1
0.958 -> 0.943 with a ResponseSelector), and so did one `ask_question` class with a
dozen examples per topic (0.938), while the topic of such a question is plain in its
words ("stretch", "pregnant", "keep them from coming back"). Rasa's validator notes
that `ask_question` has no NLU examples; that is by design.

So the fact extractor reads `question_topic` mentions from data/patterns/question_topics.yml,
and this component, after the classifiers, makes a question about knots whose words
name such a topic an `ask_question`: a guess of one of the nine question intents, of
`ask_question` itself, a fallback or out of scope ("what stretches should I do?" may be
guessed as `ask_frequency`; the stretches answer is the one asked for). A description
of pain or a routine request is re-routed only when it is asked as a question ("is it
safe to press on a knot in my upper back while pregnant?"): the answer comes, and the
intake still starts for the knot it names (actions/questions.py). Everything else
keeps its intent, and its topic words are dropped: "my knot keeps coming back, give me
a routine" stays a routine request, "I'm pregnant and my back hurts" a description of
pain (whose intake then screens it), a clinic question the clinic's. The patterns are
written to name a topic only when it is the question ("how long until I feel better",
not "how long until I move on to the next knot"). The action answers every topic
named, in order.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.red_flag_router import route_intent
from components.rule_component import RuleComponent
from knotcare.nlp.phrasing import phrased_as_question

KNOT_QUESTIONS = [
    "ask_what_is_trigger_point", "ask_causes", "ask_hold_time", "ask_pressure", "ask_frequency", "ask_tools",
    "ask_soreness", "ask_percussion_gun", "ask_heat_cold",
]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class QuestionRouter(RuleComponent):
    """Routes a question about knots whose words name a topic to `ask_question`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`intent`: the shared question intent; `entity`: the topic entity; `from_intents`: what may be re-routed;
        `when_asked`: what may be re-routed when it is phrased as a question and names no routine (`routine_words`)."""
        return {"intent": "ask_question", "entity": "question_topic",
                "from_intents": KNOT_QUESTIONS + ["ask_question", "nlu_fallback", "out_of_scope"],
                # "how long until I feel better?" can be guessed as "feeling better" (a check-in's answer) or as
                # "am I getting better?" (ask_progress)
                "when_asked": ["describe_pain", "request_routine", "ask_progress", "report_better",
                               "report_no_change", "report_worse"],
                # "can I get a stretching routine?" asks for a routine, not about stretches
                "routine_words": ["routine", "routines", "plan", "program", "programme", "regime", "regimen"],
                # a question about people in general (the fact extractor's `ask_general`): asked of no one's pain, so
                # never the start of an intake, whatever the classifier guessed of it
                "general_topic": "ask_general",
                "general_from": ["describe_pain", "request_routine"],
                # "when should I see a physio instead of doing it myself?" guessed as a question about the clinic's
                # team: a "when" question about seeing someone asks for advice, never for the team or a booking
                "when_from": ["ask_therapists", "ask_booking", "ask_first_visit"],
                "when_topics": ["ask_see_professional"]}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._intent = config["intent"]
        self._entity = config["entity"]
        self._from = frozenset(config["from_intents"])
        self._when_asked = frozenset(config["when_asked"])
        self._routine_words = frozenset(config["routine_words"])
        self._general_topic = config["general_topic"]
        self._general_from = frozenset(config["general_from"])
        self._when_from = frozenset(config.get("when_from", ()))
        self._when_topics = frozenset(config.get("when_topics", ()))


    def process(self, messages: List[Message]) -> List[Message]:
        """Re-route each question about knots that names a topic; drop the topics of anything else."""
        for message in messages:
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
            entities = message.get(ENTITIES, [])
            if not any(e.get("entity") == self._entity for e in entities):
                continue
            others = [e for e in entities if e.get("entity") != self._entity]
            topics = [e for e in entities if e.get("entity") == self._entity]
            if all(e.get("value") == self._general_topic for e in topics):
                # the general answer only in place of an intake; a knot question about people in general ("how long
                # should clients hold pressure?") has its own answer, and a clinic question the clinic's
                asked = current in self._general_from
            else:
                asked = current in self._from or (current in self._when_asked and self._is_asked(message)) or (
                    current in self._when_from and all(e.get("value") in self._when_topics for e in topics)
                    and (message.get(TEXT) or "").strip().lower().startswith("when "))
            if asked and current != self._intent:
                route_intent(message, self._intent)
            # Otherwise the classifier's intent stands, and a topic word in it means nothing ("come back tomorrow").
            message.set(ENTITIES, others + (topics if asked else []), add_to_output=True)
        return messages

    def _is_asked(self, message: Message) -> bool:
        """Phrased as a question (knotcare.nlp.phrasing, as for the answer router), not asking for a routine."""
        text = (message.get(TEXT) or "").lower()
        return phrased_as_question(text) and not self._routine_words.intersection(text.replace("?", " ").split())
