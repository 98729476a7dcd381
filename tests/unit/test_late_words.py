"""Signs typed late in a conversation, in answer to another question: read as signs, with their near misses.

Found by the blind late-flags set (tests/triage/late_flags_blind.yml): answers that add a sign ("about 2 weeks,
and ... I can't empty properly"), remarks in step-by-step mode, and the figures of speech and other people's
worries that must not count.
"""

from __future__ import annotations

import pytest

from knotcare.nlp.quantities import find_severities
from tests.unit.reading import affirmed


def test_pins_and_needles_in_one_leg_is_a_limb_sign_not_both_legs() -> None:
    flags = affirmed("my leg has gone pins and needles", "red_flag")
    assert "limb_numbness_tingling" in flags and "bilateral_leg_symptoms" not in flags


def test_speech_that_went_weird_and_slurry_asked_about_is_still_said() -> None:
    assert "neuro_head_signs" in affirmed("20 mins. my speech went weird and slurry for a minute earlier, is that "
                                          "related?", "red_flag")


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


def test_a_rating_that_opens_an_answer_stands_beside_a_later_time() -> None:
    text = "8, its bad enough i cant work or sleep properly and ive been off for a week"
    assert text[slice(*next(iter(find_severities(text))))] == "8"
    # a time right after the number takes it: "2, maybe 3 weeks" is a duration, not a rating
    assert not [text for s, e in find_severities("2, maybe 3 weeks") if "2, maybe 3 weeks"[s:e] == "2"]
