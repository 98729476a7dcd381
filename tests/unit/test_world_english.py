"""Second-language and regional English, long pasted notes and care records: the forms the blind "voices" set
(tests/nlu/blind_voices) showed missing, each pinned in general form (not its wording) with a near miss beside it."""

from __future__ import annotations

import pytest

from tests.unit.reading import affirmed, subject


@pytest.mark.parametrize("text, flag", [
    ("since this afternoon an inability to pass urine", "bladder_bowel_change"),
    ("she is unable to empty her bladder", "bladder_bowel_change"),
    ("c/o difficulty voiding since the morning", "bladder_bowel_change"),
    ("bladder scan showed 600 ml residual", "bladder_bowel_change"),
    ("night staff say he was found wet again", "bladder_bowel_change"),
    ("the resident wet herself twice today", "bladder_bowel_change"),
    ("reduced sensation perineum on examination", "saddle_numbness"),
    ("he says he can't feel the toilet seat", "saddle_numbness"),
    ("I don't sense well the buttocks", "saddle_numbness"),
    ("the two legs tingle since this morning", "bilateral_leg_symptoms"),
    ("my mother back hurting since she fall in the kitchen", "major_trauma"),
    ("he dropped off the ladder at work", "major_trauma"),
    ("the pain until I cannot sleep at night", "night_pain"),
    ("weight also drop 5kg this month", "unexplained_weight_loss"),
    ("my foot started slapping the floor and it's got noticeably worse", "progressive_weakness"),
])
def test_signs_in_second_language_and_care_record_wording(text: str, flag: str) -> None:
    assert flag in affirmed(text, "red_flag")


@pytest.mark.parametrize("text, flag", [
    ("no difficulty voiding, bladder fine", "bladder_bowel_change"),
    ("his shirt was wet from the rain", "bladder_bowel_change"),
    ("I feel well the buttocks, only the back hurts", "saddle_numbness"),
    ("my legs are tired after the gym", "bilateral_leg_symptoms"),
    ("I fall asleep on the sofa and wake up stiff", "major_trauma"),
    ("I can't sleep at night when I drink coffee", "night_pain"),
    ("my weight is the same as last year", "unexplained_weight_loss"),
])
def test_near_misses_of_those_signs(text: str, flag: str) -> None:
    assert flag not in affirmed(text, "red_flag")


@pytest.mark.parametrize("text, flag", [
    # the two sides of the pair in different sentences, with a denial of something else between them
    ("I'm 32 weeks pregnant. Back pain is nothing new for me. Today a tightening across my bump every ten minutes.",
     "pregnancy_warning"),
    ("A sudden, really bad pain in my side this morning. Not the usual knot. I was sick twice since.",
     "sudden_severe_pain"),
])
def test_a_pair_of_signs_across_a_long_message(text: str, flag: str) -> None:
    assert flag in affirmed(text, "red_flag")


@pytest.mark.parametrize("text, flag", [
    ("I'm 20 weeks pregnant. No bleeding or tightenings, just a stiff neck.", "pregnancy_warning"),
    ("I'm pregnant and my blood pressure is fine, only my neck aches.", "pregnancy_warning"),
    ("Severe neck pain since yesterday. No vomiting at all.", "sudden_severe_pain"),
])
def test_a_pair_whose_second_side_is_denied_is_not_read(text: str, flag: str) -> None:
    assert flag not in affirmed(text, "red_flag")


@pytest.mark.parametrize("text, region", [
    ("my waist has been paining me since Monday", "lower_back"),
    ("pain in her waist after carrying water", "lower_back"),
    ("strong pain in the loin for 5 days", "lower_back"),
])
def test_regions_in_regional_english(text: str, region: str) -> None:
    assert region in affirmed(text, "body_region")


@pytest.mark.parametrize("text", ["my waist size went up after the holidays", "a belt round my waist"])
def test_the_waist_as_a_measure_is_no_region(text: str) -> None:
    assert affirmed(text, "body_region") == set()


@pytest.mark.parametrize("text, flag", [
    ("I had fever last week, now it is fully gone. My upper back is stiff", "fever"),
    ("Two years ago I fell from my bike and broke my collarbone, all healed. Now my back is tight", "major_trauma"),
    ("broke my collarbone years ago, all healed, now my shoulder is tight", "shoulder_injury"),
])
def test_a_sign_told_as_long_over_is_not_affirmed(text: str, flag: str) -> None:
    assert flag not in affirmed(text, "red_flag")


@pytest.mark.parametrize("text, flag", [
    ("I had a fever last week, it is gone but now it came back", "fever"),
    ("I fell off a ladder yesterday and my back hurts", "major_trauma"),
    ("years ago my neck was fine, now I can't feel my legs", "bilateral_leg_symptoms"),
])
def test_a_sign_that_is_not_over_stays_affirmed(text: str, flag: str) -> None:
    assert flag in affirmed(text, "red_flag")



@pytest.mark.parametrize("text", [
    "my back is aching after transferring my patient, the lower part",
    "pain in the lower back since I lifted my daughter",
    "my late husband had a cancer of the spine; I myself have only a stiff neck",
    "I am not writing for anybody, I want to know which muscle makes pain from the nape to the eye",
])
def test_the_writer_who_handled_someone_or_names_the_dead_is_the_subject(text: str) -> None:
    assert subject(text) == "self"


@pytest.mark.parametrize("text", [
    "I was lifting my dad and he collapsed, now he can't feel his legs",
    "I'm not the patient, I'm writing for my mum: her neck hurts",
    "I have a patient who fell down the stairs",
])
def test_someone_else_is_still_the_subject_beside_those_words(text: str) -> None:
    assert subject(text) == "other"


@pytest.mark.parametrize("text, region", [
    ("a dull ache in the upper part of my back since this afternoon", "upper_back"),
    ("the top part of my back is tight", "upper_back"),
])
def test_a_part_of_the_back_named_before_it(text: str, region: str) -> None:
    assert affirmed(text, "body_region") == {region}


@pytest.mark.parametrize("text", [
    "pain in the hip and the knee of the right side, the back is good",
    "my boss is a pain in the neck lah, but my neck itself ok",
])
def test_a_region_said_to_be_good_is_no_region(text: str) -> None:
    assert affirmed(text, "body_region") == set()
