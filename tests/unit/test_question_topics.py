"""Question topics: the reviewed patterns (data/patterns/question_topics.yml) and the question router."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.fact_extractor import KnotcareFactExtractor
from components.question_router import KNOT_QUESTIONS, QuestionRouter
from knotcare.config import ROOT
from knotcare.kb.seed import load_content
from knotcare.nlp.extractor import GENERAL_TOPIC

BLIND = ROOT / "tests" / "nlu" / "question_topics.yml"


def routed(text: str, intent: str) -> Message:
    """The message after the extractor and the router, with `intent` as the classifier's guess."""
    message = Message(data={TEXT: text})
    KnotcareFactExtractor(KnotcareFactExtractor.get_default_config()).process([message])
    message.set(INTENT, {"name": intent, "confidence": 0.7})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.7}])
    QuestionRouter(QuestionRouter.get_default_config()).process([message])
    return message


def topics(message: Message) -> List[str]:
    return [e["value"] for e in message.get(ENTITIES) if e["entity"] == "question_topic"]


@pytest.mark.parametrize("text, topic", [
    ("what's the difference between active and latent knots?", "ask_active_latent"),
    ("why does a knot in my shoulder give me a headache", "ask_referred_pain"),
    ("is self massage even worth it", "ask_benefits"),
    ("why does leaning on a ball make a knot ease off", "ask_how_it_works"),
    ("what should I NOT do", "ask_mistakes"),
    ("what if I'm pregnant?", "ask_pregnancy"),
    ("how soon will I feel a difference", "ask_how_soon"),
    ("when should I see a physio instead", "ask_see_professional"),
    ("which strechs after", "ask_stretches"),
    ("do I breathe normally during the hold", "ask_breathing"),
    ("how do I stop them coming back", "ask_maintenance"),
])
def test_a_fallback_guess_that_names_a_topic_becomes_that_question(text: str, topic: str) -> None:
    message = routed(text, "nlu_fallback")
    assert message.get(INTENT)["name"] == "ask_question"
    assert topics(message)[0] == topic
    # the classifier's guess stays in the ranking, after the routed intent
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["ask_question", "nlu_fallback"]


def test_two_topics_in_one_question_keep_their_order() -> None:
    assert topics(routed("which stretches, and how should I breathe?", "ask_question")) == [
        "ask_stretches", "ask_breathing"]


def test_a_guess_of_another_question_that_names_a_topic_becomes_that_question() -> None:
    message = routed("what stretches should I do after", "ask_frequency")
    assert message.get(INTENT)["name"] == "ask_question"
    assert topics(message) == ["ask_stretches"]


def test_pregnancy_in_a_question_about_tools() -> None:
    message = routed("can I use a massage gun while pregnant", "ask_percussion_gun")
    assert message.get(INTENT)["name"] == "ask_question"
    assert topics(message) == ["ask_pregnancy"]
    # and the condition is still read for the intake
    assert any(e["entity"] == "condition" for e in message.get(ENTITIES))


def test_a_routine_request_asked_as_a_question_about_a_topic() -> None:
    message = routed("what stretches should I do for knots?", "request_routine")
    assert message.get(INTENT)["name"] == "ask_question" and topics(message) == ["ask_stretches"]


def test_a_description_asked_as_a_question() -> None:
    message = routed("is it safe to press on a knot in my upper back while pregnant?", "describe_pain")
    assert message.get(INTENT)["name"] == "ask_question" and topics(message) == ["ask_pregnancy"]
    # the facts stay for the intake that follows the answer
    assert any(e["entity"] == "body_region" for e in message.get(ENTITIES))


@pytest.mark.parametrize("intent", ["ask_progress", "report_better"])
def test_a_how_soon_question_guessed_as_progress_or_a_check_in_answer(intent: str) -> None:
    message = routed("how long until I feel better", intent)
    assert message.get(INTENT)["name"] == "ask_question" and topics(message) == ["ask_how_soon"]


@pytest.mark.parametrize("text, intent", [
    # words that only look like a topic leave the question alone
    ("how long until I move on to the next knot", "ask_hold_time"),
    ("when do I let go of the pressure", "ask_hold_time"),
    ("is a theracane worth it", "ask_tools"),
    ("is a massage gun worth it for knots", "ask_percussion_gun"),
    ("should I be worried about soreness after rolling", "ask_soreness"),
    ("how firm should the pressure be", "ask_pressure"),
    # other intents
    ("how am i doing?", "ask_progress"),
    ("am i getting better?", "ask_progress"),
    ("feeling better today", "report_better"),
    ("it's no better, about the same", "report_no_change"),
    ("my knot keeps coming back, give me a routine", "request_routine"),
    ("I'm pregnant and my lower back is killing me", "describe_pain"),
    ("can I come back tomorrow to book a physio", "ask_booking"),
    ("can I get a stretching routine?", "request_routine"),
])
def test_other_intents_and_words_that_only_look_like_a_topic_are_left_alone(text: str, intent: str) -> None:
    message = routed(text, intent)
    assert message.get(INTENT)["name"] == intent, topics(message)
    assert topics(message) == []


@pytest.mark.parametrize("text", [
    "No chest pain or breathing problems, just a knot in my upper back from carrying a heavy backpack",
    "not pregnant, just a knot in my lower back",
])
def test_a_topic_a_statement_denies_is_not_asked(text: str) -> None:
    assert topics(routed(text, "nlu_fallback")) == []


@pytest.mark.parametrize("text, topic", [
    ("what should I NOT do", "ask_mistakes"),
    ("asking for my wife: can she stretch while pregnant?", "ask_pregnancy"),
    ("what if I'm pregnant?", "ask_pregnancy"),
    # a negation inside a question does not deny the topic
    ("why dont i feel the pain where the knot actualy is", "ask_referred_pain"),
    ("Should I worry about silent trigger points if they don't hurt on their own?", "ask_active_latent"),
    ("I don't get it, why would squeezing a sore spot make it less sore", "ask_how_it_works"),
])
def test_a_topic_is_asked_whatever_the_mood_but_denial(text: str, topic: str) -> None:
    assert topic in topics(routed(text, "nlu_fallback"))


def test_a_question_with_no_topic_keeps_the_shared_intent() -> None:
    message = routed("can I ask you something about knots", "ask_question")
    assert message.get(INTENT)["name"] == "ask_question" and topics(message) == []


def test_every_topic_has_an_answer_and_a_button_and_every_answer_is_reachable() -> None:
    content = load_content()
    answers = {a.topic for a in content.answers}
    spec = yaml.safe_load((ROOT / "data" / "patterns" / "question_topics.yml").read_text())
    pattern_topics = set(spec["values"])
    assert pattern_topics <= answers
    # every answer is reached by an intent of its own, by a topic, or (the general answer) by a question about
    # people in general; never two of these
    assert answers == set(KNOT_QUESTIONS) | pattern_topics | {GENERAL_TOPIC}
    assert GENERAL_TOPIC not in set(KNOT_QUESTIONS) | pattern_topics
    assert not set(KNOT_QUESTIONS) & pattern_topics
    menu = next(m for m in content.messages if m.key == "question_menu")
    assert {f'/ask_question{{"question_topic":"{t}"}}' for t in pattern_topics} <= {b["payload"] for b in menu.buttons}


def test_knot_questions_are_the_domains_question_intents() -> None:
    domain = yaml.safe_load((ROOT / "domain" / "core.yml").read_text())
    assert {i for i in domain["intents"] if i in KNOT_QUESTIONS} == set(KNOT_QUESTIONS)
    assert "ask_question" in domain["intents"] and "question_topic" in domain["entities"]


def blind_set() -> dict:
    return yaml.safe_load(Path(BLIND).read_text())


def test_topics_of_the_held_out_questions() -> None:
    """Questions written by someone who never saw the patterns: the topic read is the one asked (>= 95%).

    First run, before any pattern was changed for them: 75/96 (see the README).
    """
    data = blind_set()
    total = right = 0
    misses = []
    for topic, texts in data["topics"].items():
        if topic in KNOT_QUESTIONS:
            continue  # an intent of its own: the classifier's (tests/e2e/test_questions.py)
        for text in texts:
            total += 1
            found = topics(routed(text, "ask_question"))
            if topic in found:
                right += 1
            else:
                misses.append((topic, found, text))
    assert right / total >= 0.95, misses


@pytest.mark.parametrize("intent", ["describe_pain", "request_routine"])
def test_a_question_about_people_in_general_gets_the_general_answer_not_an_intake(intent: str) -> None:
    message = routed("Pharmacist here: why do so many customers have tight lower backs?", intent)
    assert message.get(INTENT)["name"] == "ask_question" and topics(message) == [GENERAL_TOPIC]
    assert not [e for e in message.get(ENTITIES) if e["entity"] == "body_region"]


@pytest.mark.parametrize("intent", ["ask_hold_time", "ask_prices"])
def test_a_knot_or_clinic_question_about_people_in_general_keeps_its_own_answer(intent: str) -> None:
    message = routed("As a physio, how long should clients hold pressure on a knot?", intent)
    assert message.get(INTENT)["name"] == intent and topics(message) == []


@pytest.mark.parametrize("text, guess, intent", [
    ("when should I see a physio instead of doing it myself", "ask_therapists", "ask_question"),
    ("when do I need to see a doctor rather than DIY?", "ask_booking", "ask_question"),
    ("is there a physio I could see?", "ask_therapists", "ask_therapists"),
    ("should I see a physio or a massage therapist at your clinic?", "ask_therapists", "ask_therapists"),
])
def test_when_to_see_someone_guessed_as_a_clinic_question_is_advice(text: str, guess: str, intent: str) -> None:
    assert routed(text, guess).get(INTENT)["name"] == intent
