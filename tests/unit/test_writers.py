"""Whose pain it is, clinical words, everyday region words and parts we do not cover (the extractor alone).

Sentences are the issue's own examples and their near misses: what must count for the subject of the
conversation, and what must stay someone else's (family history, people mentioned in passing).
"""

from __future__ import annotations

from typing import Set

import pytest

from knotcare.nlp.extractor import default_extractor
from tests.unit.reading import affirmed


# ---------------------------------------------------------------- the subject
@pytest.mark.parametrize("text, flags", [
    ("My dad is 84, he has had severe back pain for an hour and he just fainted", {"sudden_severe_pain"}),
    ("My husband has a stiff neck, a high fever and the light hurts his eyes", {"neck_stiffness_fever_headache"}),
    ("my mum has lower back pain and she can't control her bladder", {"bladder_bowel_change"}),
    ("my son fell off his bike and now his neck hurts really badly", {"major_trauma"}),
    ("My husband is 60. He has a fever and a stiff neck", {"neck_stiffness_fever_headache"}),
    ("He has a fever and a stiff neck", {"neck_stiffness_fever_headache"}),
    ("I have a caller on the line, she says her legs have gone numb and her back is agony", {"bilateral_leg_symptoms"}),
    ("I have a caller who says her husband has a stiff neck and a temperature of 39",
     {"neck_stiffness_fever_headache"}),
    ("it's not me, it's my wife: her lower back is sore and she's been really confused today",
     {"reduced_consciousness"}),
])
def test_signs_of_the_person_written_about_count(text: str, flags: Set[str]) -> None:
    assert flags <= affirmed(text, "red_flag")
    assert affirmed(text, "subject") == {"other"}


@pytest.mark.parametrize("text", [
    "I have back pain, my dad had cancer",
    "my lower back aches and my wife has a fever",
    "I'm a patient at your clinic and my neck is stiff",
    "my lower back hurts and my wife says I should rest",
    "i've got a knot in my neck, it runs in the family",
])
def test_the_writers_own_pain_stays_theirs(text: str) -> None:
    assert affirmed(text, "subject") == set()
    assert affirmed(text, "condition") == set() and affirmed(text, "red_flag") == set()


def test_someone_else_named_inside_a_proxy_message_stays_theirs() -> None:
    text = "My husband is 60. He has a fever and a stiff neck. His mother had cancer."
    assert affirmed(text, "condition") == set()
    assert affirmed(text, "red_flag") == {"neck_stiffness_fever_headache"}


# ---------------------------------------------------------------- clinical words


def test_family_history_in_clinical_words_is_not_the_subjects() -> None:
    assert affirmed("45M LBP 2/52, FHx of cancer", "condition") == set()


# ---------------------------------------------------------------- everyday region words


def test_a_negation_denies_the_symptom_not_the_part_moved() -> None:
    assert affirmed("I can't turn my neck without a sharp pain", "pain_quality") == {"sharp"}
    assert affirmed("not my neck, my lower back", "body_region") == {"lower_back"}


# ---------------------------------------------------------------- parts we do not cover
@pytest.mark.parametrize("text, part", [
    ("my knee hurts", "knee"), ("my knee and lower back hurt", "knee"), ("sore hip", "hip"),
    ("my tummy aches", "abdomen"), ("pain in my wrist", "wrist"),
])
def test_parts_outside_the_regions_are_named_but_never_a_region(text: str, part: str) -> None:
    assert part in affirmed(text, "other_body_part")
    assert affirmed(text, "body_region") <= {"lower_back"}


# ---------------------------------------------------------------- look-alikes


def test_a_long_message_is_read_whole() -> None:
    filler = "I've been at my desk a lot and the knot near my shoulder blade is tight and achy. " * 12
    text = filler + "Since yesterday I can't control my bladder. " + filler
    assert "bladder_bowel_change" in affirmed(text, "red_flag")


def test_a_stiff_neck_then_a_fever_in_a_later_message_is_the_meningitis_emergency() -> None:
    from knotcare.kb.seed import load_content
    from knotcare.triage.engine import Facts, decide

    rules = load_content().rules
    for flag in ("fever", "light_sensitivity"):
        facts = Facts(region="neck", pain_quality="stiffness", red_flags=frozenset({flag}))
        assert decide(facts, rules).level == "emergency", flag
    assert decide(Facts(region="lower_back", pain_quality="stiffness", red_flags=frozenset({"fever"})),
                  rules).level == "urgent"


# ---------------------------------------------------------------- whose pain it is: the writer only speaking


def test_the_subjects_sign_counts_when_the_writer_only_says_they_do_not_know() -> None:
    text = "Tender along the left side of her neck, temp 38.9 this morning. I don't know what she's caught"
    assert affirmed(text, "subject") == {"other"}
    assert "fever" in affirmed(text, "red_flag")


@pytest.mark.parametrize("text, flag", [
    ("I think I have a fever and my neck is stiff, my son says I look pale", "neck_stiffness_fever_headache"),
    ("I hurt my back lifting and now I can't feel my legs, the physician said to come in", "bilateral_leg_symptoms"),
])
def test_the_writers_own_sign_is_never_lost(text: str, flag: str) -> None:
    assert affirmed(text, "subject") == set()
    assert flag in affirmed(text, "red_flag")


def test_a_front_desk_frame_before_the_quoted_words_stays() -> None:
    text = "Note from a client: my shoulder has been stiff for a week, can she come in?"
    assert affirmed(text, "subject") == {"other"}


def test_a_relatives_sign_said_with_what_can_i_do_stays_theirs() -> None:
    assert affirmed("what can I do to help my dad's stiff neck", "subject") == {"other"}


# ---------------------------------------------------------------- body words that name no region


def test_a_count_of_people_is_not_a_clinical_frame() -> None:
    from knotcare.nlp.quantities import find_frames

    assert list(find_frames("at least 4 of us had it")) == []
    assert list(find_frames("4 of my friends")) == []
    assert len(list(find_frames("45 yo f, neck pain"))) == 1


# ---------------------------------------------------------------- in passing, in a conversation about the writer


@pytest.mark.parametrize("text", [
    "my wife's laid up with a temperature",
    "my husband has a bad back too, he came off his bike",
    "he has a fever and a stiff neck too",
    "my dad is 84 and he fainted",
    "my son has had a temperature since yesterday",
])
def test_in_a_conversation_about_the_writers_pain_someone_in_passing_counts_for_nothing(text: str) -> None:
    # nothing of theirs is the writer's; their red flags are only kept aside, in case the writer turns to them
    read = default_extractor().affirmed(text, writer_in_pain=True)
    assert [m for m in read if not m.entity.startswith("passing_")] == []
    # the same words as a first message make that person the subject
    assert affirmed(text, "subject") == {"other"}


@pytest.mark.parametrize("told, turn, flags", [
    ("my wife is in bed with a fever, a stiff neck and the light hurts her eyes, so I'm on the sofa",
     "actually it's her I'm worried about, what should she do?", {"fever", "neck_stiffness_fever_headache"}),
    ("my brother's laid up too, says both his legs have gone numb and he hasn't been able to pee since yesterday",
     "ok im actually asking for him not me, is he ok to just rest it?", {"bilateral_leg_symptoms",
                                                                        "bladder_bowel_change"}),
    # named a message before, by pronouns alone
    ("he's 71 and he went down in the kitchen, passed out for a bit. anyway mine is more of an ache",
     "wait sorry, forget my back, what would you tell him?", {"neuro_head_signs"}),
])
def test_signs_told_in_passing_are_the_subjects_once_the_writer_turns_to_them(told: str, turn: str,
                                                                            flags: set) -> None:
    extractor = default_extractor()
    told_read = extractor.affirmed(told, writer_in_pain=True)
    assert not [m for m in told_read if m.entity == "red_flag"]  # not the writer's
    kept = frozenset(("red_flag", m.value) for m in told_read if m.entity == "passing_red_flag")
    assert flags <= {code for _, code in kept}
    turned = extractor.affirmed(turn, writer_in_pain=True, passing=kept)
    assert flags <= {m.value for m in turned if m.entity == "red_flag"}
    # a message that stays with the writer's own knot leaves them aside
    assert not [m for m in extractor.affirmed("mine is a dull ache, about a 4", writer_in_pain=True, passing=kept)
                if m.entity == "red_flag"]


@pytest.mark.parametrize("text, flag", [
    ("sorry it is for my wife, she has a fever and a stiff neck", "neck_stiffness_fever_headache"),
    ("caller says her son has a fever", "fever"),
    ("84M syncope", "neuro_head_signs"),
    ("sorry, I'm her husband, I typed what she said: she has a fever", "fever"),
    ("sorry, my mum has been ill, I have had a fever since yesterday too", "fever"),
])
def test_a_message_that_says_whose_it_is_still_counts(text: str, flag: str) -> None:
    assert flag in {m.value for m in default_extractor().affirmed(text, writer_in_pain=True) if m.entity == "red_flag"}


@pytest.mark.parametrize("text, whose", [
    ("forget mine, what should he do? he's 52", "other"),
    ("can you help me work out what she should do? she's 26", "other"),
    ("my question is about me. i've got a herniated disc at L4/5", "self"),
    ("oh wait I should say its my mum's, she's 45 and asked me to look it up for her", "other"),
    ("she's seeing the midwife tomorrow about hers. I want help with mine: a tight spot in my lower back", "self"),
])
def test_the_writer_turning_from_one_person_to_the_other_moves_the_subject(text: str, whose: str) -> None:
    assert {m.value for m in default_extractor().affirmed(text, writer_in_pain=whose == "other")
            if m.entity == "subject"} == {whose}


@pytest.mark.parametrize("text, flag", [
    ("hang on, the guy at the next desk just grabbed his back, says it feels like it's tearing, came out of nowhere",
     "sudden_severe_pain"),
    ("he's in his 60s, gone pale and he just passed out. what do I do", "neuro_head_signs"),
    ("my wife suddenly can't feel her legs, what should I do", "bilateral_leg_symptoms"),
])
def test_someone_elses_emergency_happening_now_is_never_only_in_passing(text: str, flag: str) -> None:
    read = default_extractor().affirmed(text, writer_in_pain=True)
    assert flag in {m.value for m in read if m.entity == "red_flag"}
    assert {m.value for m in read if m.entity == "subject"} == {"other"}


@pytest.mark.parametrize("text", [
    "my husband had a heart attack on sunday, chest pain down his arm, he's doing ok now",
    "my mate came off his motorbike at the weekend and smashed his collarbone",
    "my brother had meningitis as a kid so stiff necks scare me",
    "what do I do about my knot? my dad fainted last year",
])
def test_someone_elses_emergency_told_as_news_stays_in_passing(text: str) -> None:
    read = default_extractor().affirmed(text, writer_in_pain=True)
    assert [m for m in read if not m.entity.startswith("passing_")] == []


@pytest.mark.parametrize("text, age", [
    ("it's been nearly 2 weeks, achy, 4/10, 29M, office worker", "29M"),
    ("dull ache, 4/10, 34F, nothing else", "34F"),
])
def test_an_age_and_sex_in_shorthand_in_the_writers_own_conversation_is_the_writers(text: str, age: str) -> None:
    read = default_extractor().affirmed(text, writer_in_pain=True)
    assert not [m for m in read if m.entity == "subject"]
    assert [m.value for m in read if m.entity == "age"] == [age]


@pytest.mark.parametrize("text", ["45M c/o LBP 3/7", "a patient, 60F, with back pain", "my dad, 84M, fainted"])
def test_a_clinical_note_or_someone_named_with_their_age_and_sex_is_still_someone_else(text: str) -> None:
    assert {m.value for m in default_extractor().affirmed(text, writer_in_pain=True)
            if m.entity == "subject"} == {"other"}


def test_a_condition_told_in_passing_is_the_subjects_once_the_writer_turns_to_them() -> None:
    extractor = default_extractor()
    told = extractor.affirmed("my sister has one too in her upper back, she's 24 weeks pregnant", writer_in_pain=True)
    assert not [m for m in told if m.entity == "condition"]
    kept = frozenset((m.entity.removeprefix("passing_"), m.value) for m in told if m.entity.startswith("passing_"))
    assert ("condition", "pregnancy") in kept
    turned = extractor.affirmed("can you give advice for her instead?", writer_in_pain=True, passing=kept)
    assert "pregnancy" in {m.value for m in turned if m.entity == "condition"}
