"""Questions over the REST channel: every seed topic answered, in and out of the forms, with the trained model."""

from __future__ import annotations

import uuid
from typing import Dict

import pytest
import yaml

from knotcare.config import ROOT
from knotcare.kb.seed import load_content
from tests.e2e.conftest import Servers, all_text, asked_during_the_intake, buttons

pytestmark = pytest.mark.e2e

ANSWERS: Dict[str, str] = {a.topic: a.text for a in load_content().answers}
BLIND = yaml.safe_load((ROOT / "tests" / "nlu" / "question_topics.yml").read_text())


def new_sender() -> str:
    return f"e2e-q-{uuid.uuid4().hex[:8]}"


def opening(topic: str) -> str:
    """The first sentence of a topic's answer: enough to tell which answer came."""
    return ANSWERS[topic].split(". ")[0]


@pytest.mark.parametrize("topic, text", [
    ("ask_active_latent", "what's the difference between active and latent knots?"),
    ("ask_referred_pain", "why does a knot in my shoulder give me a headache"),
    ("ask_benefits", "is self massage even worth doing"),
    ("ask_how_it_works", "how does pressing on a knot actually work"),
    ("ask_mistakes", "what are the common mistakes people make"),
    ("ask_pregnancy", "is it safe to use a massage ball while pregnant?"),
    ("ask_how_soon", "how long until I feel better"),
    ("ask_see_professional", "when should I see a physio instead of doing it myself"),
    ("ask_stretches", "what stretches should I do afterwards"),
    ("ask_breathing", "how should I breathe during a hold"),
    ("ask_maintenance", "how do I stop knots coming back"),
    ("ask_tools", "what should I look for when buying a foam roller"),
])
def test_each_seed_question_gets_its_answer(servers: Servers, topic: str, text: str) -> None:
    replies = servers.say(new_sender(), text)
    assert opening(topic) in all_text(replies), replies


def test_held_out_questions_end_to_end(servers: Servers) -> None:
    """The blind questions through the whole stack: the reply holds the topic's answer (>= 90%)."""
    total = right = 0
    misses = []
    for topic, texts in BLIND["topics"].items():
        for text in texts:
            total += 1
            replies = servers.say(new_sender(), text)
            if opening(topic) in all_text(replies):
                right += 1
            else:
                misses.append((topic, text, all_text(replies)[:80]))
    # The figure for the README, whatever the outcome.
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "questions_e2e.txt").write_text(
        f"{right}/{total} blind questions answered with their topic's answer\n"
        + "".join(f"miss {topic}: {text!r} -> {reply!r}\n" for topic, text, reply in misses))
    assert right / total >= 0.9, (right, total, misses)


def test_the_fallback_offers_the_common_questions(servers: Servers) -> None:
    sender = new_sender()
    # what a message the classifier is unsure of becomes (which one is the model's call, so named directly)
    replies = servers.say(sender, "/nlu_fallback")
    assert "/ask_question" in buttons(replies), replies
    replies = servers.say(sender, "/ask_question")
    offered = buttons(replies)
    assert '/ask_question{"question_topic":"ask_stretches"}' in offered and "/ask_tools" in offered, replies
    replies = servers.say(sender, '/ask_question{"question_topic":"ask_stretches"}')
    assert opening("ask_stretches") in all_text(replies)


def test_two_topics_in_one_message_get_both_answers(servers: Servers) -> None:
    text = all_text(servers.say(new_sender(), "which stretches should I do, and how should I breathe while holding?"))
    assert opening("ask_stretches") in text and opening("ask_breathing") in text


def test_a_topic_question_in_the_middle_of_the_intake(servers: Servers) -> None:
    text = asked_during_the_intake(servers, new_sender(), "I've got a knot in my neck", "what stretches help with it?",
                                   "neck")
    assert opening("ask_stretches") in text
    assert "Chin tucks" in text  # the note for the neck


def test_pregnancy_question_with_a_knot_answers_then_screens(servers: Servers) -> None:
    """The answer comes, then the intake for the knot they named; the pregnancy is on record for the decision."""
    sender = new_sender()
    replies = servers.say(sender, "is it safe to press on a knot in my upper back while pregnant?")
    assert opening("ask_pregnancy") in all_text(replies)
    slots = servers.slots(sender)
    assert slots["body_region"] == "upper_back" and "pregnancy" in (slots["conditions"] or [])
    assert slots["requested_slot"] is not None  # the intake started


def test_a_red_flag_with_a_question_wins(servers: Servers) -> None:
    replies = servers.say(new_sender(), "what stretches should I do? my legs have both gone numb since this morning")
    text = all_text(replies).lower()
    assert "emergency" in text or "999" in text or "911" in text or "112" in text, replies
