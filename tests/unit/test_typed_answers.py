"""Typed answers to a yes/no question (knotcare.nlp.answers): the forms the blind screen-answer set
(tests/nlu/blind_screen_answers) showed, each with a near miss beside it."""

from __future__ import annotations

import pytest

from knotcare.nlp.answers import Answer, number_said, read_answer


@pytest.mark.parametrize("text, answer", [
    ("nope, just woke up with it", Answer.NO),
    ("no, it came on after a long day at my desk", Answer.NO),
    ("nah all good", Answer.NO),
    ("neither, I'm in my thirties", Answer.NO),
    ("denies trauma, denies chest pain or SOB", Answer.NO),
    ("neuro intact, no radicular symptoms", Answer.NO),
    ("apyrexial, weight stable, no night pain", Answer.NO),
    ("it doesn't go anywhere", Answer.NO),
    ("he says no", Answer.NO),
    ("no but I've had a fever", Answer.NO),  # the fever is read by the extractor, and wins
    ("yh goes all the way down to my foot", Answer.YES),
    ("ya things keep going blurry n double", Answer.YES),
    ("she says yes, both her legs went numb", Answer.YES),
    ("I think so, my legs have felt weird", Answer.YES),
    ("yes kind of", Answer.YES),  # a yes with a doubt stays a yes
    ("not sure", Answer.UNSURE),
    ("I'd have to ask her", Answer.UNSURE),
    ("no wait, yes, I did slip in the shower", Answer.UNSURE),
    ("no... well actually yes, once", Answer.UNSURE),
    ("i dont really know what you mean by travel", Answer.UNSURE),
])
def test_a_typed_answer_reads_as_it_opens(text: str, answer: Answer) -> None:
    assert read_answer(text) is answer


@pytest.mark.parametrize("text", [
    "why do you need to know?",
    "I don't think I can feel my legs",  # not an answer word: the sign is read by the extractor
    "can I book an appointment?",
    "noticed it yesterday",  # "no" inside a word is not a no
    "",
])
def test_what_opens_with_no_answer_is_none(text: str) -> None:
    assert read_answer(text) is None


@pytest.mark.parametrize("text, age", [("she's 84", 84), ("my son is 14", 14), ("no, I'm young. well, 62 is young", 62),
                                       ("I'm 49 - 50 next month", None), ("4/10", None), ("no", None), ("200", None)])
def test_a_number_said_in_answer_to_the_age_question(text: str, age) -> None:
    assert number_said(text) == age
