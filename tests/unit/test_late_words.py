"""Signs typed late in a conversation, in answer to another question: read as signs, with their near misses.

Found by the blind late-flags set (tests/triage/late_flags_blind.yml): answers that add a sign ("about 2 weeks,
and ... I can't empty properly"), remarks in step-by-step mode, and the figures of speech and other people's
worries that must not count.
"""

from __future__ import annotations

import pytest

from knotcare.nlp.quantities import find_severities
from tests.unit.reading import affirmed


@pytest.mark.parametrize("text", [
    "since yesterday ive had trouble getting started when i pee",
    "it feels like i cant empty properly",
    "she's not emptying fully",
    "i havent peed since last night even though ive been drinking loads",
    "he hasnt been for a pee since yesterday",
    "she hasn't had a wee all day",
])
def test_hesitancy_incomplete_emptying_and_retention_are_bladder_changes(text: str) -> None:
    assert "bladder_bowel_change" in affirmed(text, "red_flag")


@pytest.mark.parametrize("text", [
    "i haven't been to the toilet since this morning",
    "the foam roller can't empty properly",
    "no trouble peeing and i empty fine",
])
def test_ordinary_toilet_words_are_not_bladder_changes(text: str) -> None:
    assert "bladder_bowel_change" not in affirmed(text, "red_flag")


@pytest.mark.parametrize("text", [
    "stop, both my legs have gone pins and needles and feel heavy",
    "my legs are all pins and needles",
])
def test_pins_and_needles_in_both_legs(text: str) -> None:
    assert "bilateral_leg_symptoms" in affirmed(text, "red_flag")


def test_pins_and_needles_in_one_leg_is_a_limb_sign_not_both_legs() -> None:
    flags = affirmed("my leg has gone pins and needles", "red_flag")
    assert "limb_numbness_tingling" in flags and "bilateral_leg_symptoms" not in flags


def test_speech_that_went_weird_and_slurry_asked_about_is_still_said() -> None:
    assert "neuro_head_signs" in affirmed("20 mins. my speech went weird and slurry for a minute earlier, is that "
                                          "related?", "red_flag")


@pytest.mark.parametrize("text", [
    "about 4 weeks, and for the last 3 weeks ive rolled it on a ball every single day and its not changed at all",
    "been doing this from youtube for 3 weeks before i found you and nothings changed",
    "2 weeks of rolling and nothing's changed",
])
def test_weeks_of_self_care_without_change(text: str) -> None:
    assert "no_improvement" in affirmed(text, "red_flag")


@pytest.mark.parametrize("text", [
    "3 weeks of stretching and it has improved loads",
    "i've been stretching for weeks and it's eased a lot",
])
def test_weeks_of_self_care_that_helped(text: str) -> None:
    assert "no_improvement" not in affirmed(text, "red_flag")


@pytest.mark.parametrize("text", [
    "my shoulder hurts most when i lift my arm out to the side",
    "it's sore putting my coat on",
    "it hurts to raise her arm",
])
def test_pain_on_lifting_the_arm_is_the_shoulder_joint(text: str) -> None:
    assert "shoulder_joint_signs" in affirmed(text, "red_flag")


def test_a_neck_knot_sore_when_the_arm_moves_is_not_the_shoulder_joint() -> None:
    assert "shoulder_joint_signs" not in affirmed("neck knot is sore when i move my arm a lot", "red_flag")


def test_passing_out_laughing_is_a_figure_of_speech() -> None:
    assert not affirmed("Repeat. the cat sat on my face during that one, i nearly passed out laughing", "red_flag")
    assert "neuro_head_signs" in affirmed("i nearly passed out from the pain", "red_flag")


@pytest.mark.parametrize("text", [
    "she asks could it be her heart? no chest pain or anything, she's just worried since her dad had a heart attack",
    "she says 4. her son's off school with a temperature so we might get interrupted",
    "she has a sore back and her son has a fever",
])
def test_her_relatives_signs_are_not_hers(text: str) -> None:
    assert not affirmed(text, "red_flag")


@pytest.mark.parametrize("text, flag", [
    ("Caller says her son has a fever and a stiff neck", "neck_stiffness_fever_headache"),
    ("I have a caller, her husband collapsed", "neuro_head_signs"),
    ("my mum is 70 and she has chest pain, her dad had a heart attack at 60", "chest_pain"),
])
def test_a_callers_relative_is_the_patient_and_the_relative_named_first_is_the_subject(text: str, flag: str) -> None:
    assert flag in affirmed(text, "red_flag")


def test_a_rating_that_opens_an_answer_stands_beside_a_later_time() -> None:
    text = "8, its bad enough i cant work or sleep properly and ive been off for a week"
    assert text[slice(*next(iter(find_severities(text))))] == "8"
    # a time right after the number takes it: "2, maybe 3 weeks" is a duration, not a rating
    assert not [text for s, e in find_severities("2, maybe 3 weeks") if "2, maybe 3 weeks"[s:e] == "2"]
