"""How people type a first message or an answer: the forms the blind openers and published-style vignettes showed
missing, each pinned in general form with a near miss beside it (the extractor and the rating finder alone)."""

from __future__ import annotations

from typing import List, Set

import pytest

from knotcare.nlp import quantities
from tests.unit.reading import affirmed


def ratings(text: str) -> List[int]:
    return [quantities.severity_to_int(text[s:e]) for s, e in quantities.find_severities(text)]


# ---------------------------------------------------------------- ratings in answers
@pytest.mark.parametrize("text, value", [
    ("he says 3", 3), ("she said 4", 4), ("6 when training", 6), ("7, it was 3 before", 7),
    ("about 6 when it tightens", 6), ("not stated, maybe 4", 4), ("7 on the stairs, 4 now", 4),
])
def test_a_rating_answered_with_words_around_it(text: str, value: int) -> None:
    assert ratings(text)[-1] == value


@pytest.mark.parametrize("text", ["2 weeks", "2, maybe 3 weeks", "1 or 2 days", "2-3 weeks", "I have 2 kids",
                                  "3 knots in my neck", "12 hours a week"])
def test_numbers_that_are_not_ratings(text: str) -> None:
    assert ratings(text) == []


# ---------------------------------------------------------------- red flags in everyday words
@pytest.mark.parametrize("text, flag", [
    ("I got a squeezing feeling in my chest on the stairs", "chest_pain"),
    ("neck is stiff and i saw double for a few seconds", "neuro_head_signs"),
    ("her lower back pain now goes down both legs", "bilateral_leg_symptoms"),
    ("my back hurts when i cough and my left leg goes all tingly", "cough_strain_leg_pain"),
    ("slipped on black ice, landed right on my tailbone", "major_trauma"),
    ("got kneed in the back playing footy", "major_trauma"),
    ("took a stick to the lower back at hockey", "major_trauma"),
    ("her knee gave way on the stairs and she fell, now her lower back hurts", "major_trauma"),
    ("my left arm is weak and its getting worse day by day", "progressive_weakness"),
    ("She's 32 weeks with our first, her back tightens up every 10 minutes and there was some blood",
     "pregnancy_warning"),
    ("pain in the middle of her back, now its in the top of her stomach too and shes been sick twice",
     "abdominal_signs"),
    ("3 weeks of the foam roller and stretches every day, honestly zero change", "no_improvement"),
    ("it's way worse than before I started, I can barely turn my head", "worse_after_self_care"),
    ("hypothetically if someone couldnt feel their bum on the loo seat? (its me, since this morning)",
     "saddle_numbness"),
    ("stiff for 4 months, worst first thing and takes ages to loosen up", "inflammatory_features"),
    ("6 months of low back pain. Morning stiffness about 1 h", "inflammatory_features"),
])
def test_red_flags_said_plainly(text: str, flag: str) -> None:
    assert flag in affirmed(text, "red_flag")


@pytest.mark.parametrize("text", [
    "I don't have a fever or any weight loss, just a nagging lower back ache",
    "what should I do if my legs go numb? asking cos my back's a bit sore",
    "I fell asleep on the sofa and woke with a stiff neck",
    "i fell in love with foam rolling",
    "hypothetically if someone couldnt feel their bum on the loo seat, is that bad?",
    "my neck is a bit stiff in the morning but it loosens up after a shower",
    "stiff in the morning for about 2 weeks now",
])
def test_near_misses_affirm_no_red_flag(text: str) -> None:
    assert affirmed(text, "red_flag") == set()


# ---------------------------------------------------------------- regions
@pytest.mark.parametrize("text, regions", [
    ("my back is stiff, middle part, from sitting on the floor", {"mid_back"}),
    ("bit of a stiff back after a day on the tools, lower part mainly", {"lower_back"}),
    ("my back's gone again, the low bit", {"lower_back"}),
    ("my upper back is killing me", {"upper_back"}),
    ("a knot between my shoulder blade and my spine", {"upper_back"}),
    ("my back hurts, and the lower part of my leg", {"back"}),
    ("pain in my buttock when I sit, my back is totally fine", set()),
    ("whats the weather like in your neck of the woods", set()),
    ("thanks for having my back", set()),
    ("can my company shoulder the cost of a massage chair?", set()),
    ("neck pain from a new pillow, cant look over my right shoulder", {"neck"}),
])
def test_regions_as_people_say_them(text: str, regions: Set[str]) -> None:
    assert affirmed(text, "body_region") == regions


# ---------------------------------------------------------------- whose pain it is
@pytest.mark.parametrize("text", [
    "I'm a carer. The man I look after has back pain and has been incontinent today",
    "friend of mine has a really tight right trap, he's a drummer",
    "it's my grandad I'm asking for, he's 79",
    "Hi, I'm writing about my husband. He's 47 and has had a bad back for years",
    "my mums bunion is killing her, any tips?",
    "My mother was just diagnosed with breast cancer. She is 84 years old",
    "What should I do with this man who complained of left neck fullness?",
    "41-year-old man with a lump in his neck. I think it's a muscle spasm",
    "my husband did his back in bending down to tie his boot, lower back, he's being a baby about it",
])
def test_someone_else(text: str) -> None:
    assert affirmed(text, "subject") == {"other"}


@pytest.mark.parametrize("text", [
    "pulled something lifting a sofa with my brother, lower back on the left",
    "bad neck from looking down at my phone, my mate says its text neck",
    "QL on the left side is super tight after driving 6 hrs to my mums, no leg pain",
    "36M, lower back knot for about a week after moving my sisters sofa, worse when i cough",
    "47M here. tender knot at the top of my right buttock. My dad had a disc operation years ago",
    "My dad had cancer.",
])
def test_the_writer(text: str) -> None:
    assert affirmed(text, "subject") == set()


def test_twenty_forty_is_eyesight_not_a_gestation() -> None:
    assert affirmed("my son had an eye exam and he had 20/40 in one eye", "condition") == set()
    assert affirmed("G2P1 at 30/40, 2/7 LBP", "condition") == {"pregnancy"}


def test_inflammatory_features_send_long_standing_pain_to_a_clinician(content) -> None:
    from knotcare.triage.engine import Facts, decide

    def level(days: int) -> str:
        facts = Facts(region="lower_back", duration_days=days, red_flags=frozenset({"inflammatory_features"}))
        return decide(facts, content.rules).level

    assert level(120) == "see_clinician" and level(14) == "self_care"


# ---------------------------------------------------------------- the chat-app messages' first run (blind_texts)
@pytest.mark.parametrize("text", [
    "my back seems really stiff this morning", "her back's been sore for days", "back still hurts a bit",
    "got a tight back from the drive home", "backache from gardening", "my sons back is bad after football",
    "is it normal for your back to feel this tight after a run?",
])
def test_a_back_said_with_what_is_wrong_with_it(text: str) -> None:
    assert affirmed(text, "body_region") == {"back"}


@pytest.mark.parametrize("text", [
    "back to work on monday", "I came back from holiday yesterday", "we went back and forth", "get off my back",
    "my back garden needs weeding", "I turned my back for a second", "flat on my back all weekend watching tv, bliss",
    "back again with another question",
])
def test_back_the_adverb_or_a_figure_of_speech_is_no_region(text: str) -> None:
    assert affirmed(text, "body_region") == set()


@pytest.mark.parametrize("text, flag", [
    ("I had a temperature on monday, all gone now", "fever"),
    ("was in a motorbike accident years ago, fully healed", "major_trauma"),
    ("used to get tingling in my hand", "limb_numbness_tingling"),
    ("chest pain last year but that stopped ages ago", "chest_pain"),
])
def test_a_red_flag_told_as_over_is_not_affirmed(text: str, flag: str) -> None:
    assert flag not in affirmed(text, "red_flag")


@pytest.mark.parametrize("text, flag", [
    ("I had a fever, it went away but came back today", "fever"),
    ("my legs went numb and the feeling went away", "bilateral_leg_symptoms"),
    ("fell off a ladder years ago and now I can't feel my legs", "bilateral_leg_symptoms"),
    ("fell off a ladder yesterday", "major_trauma"),
    ("I can't control my bladder, it's gone now", "bladder_bowel_change"),
])
def test_a_red_flag_that_is_not_over_stays_affirmed(text: str, flag: str) -> None:
    assert flag in affirmed(text, "red_flag")


@pytest.mark.parametrize("text, flags", [
    ("his neck is rigid and he's burning up", {"neck_stiffness_fever_headache"}),
    ("stiff neck and she can't stand the light", {"neck_stiffness_fever_headache"}),
    ("my right hand is weak, worse every day", {"limb_weakness", "progressive_weakness"}),
    ("his foot drops when he walks", {"limb_weakness"}),
    ("used my hypervolt on it two days ago and it's much worse now", {"worse_after_self_care"}),
])
def test_signs_in_chat_words(text: str, flags: Set[str]) -> None:
    assert flags <= affirmed(text, "red_flag")


@pytest.mark.parametrize("text", [
    "sis's neck is stiff from her new pillow", "can you help my husband? lower back tight from golf",
    "reception: lady on the phone with a stiff neck, can we help?",
])
def test_someone_else_in_chat_words(text: str) -> None:
    assert "other" in affirmed(text, "subject")


@pytest.mark.parametrize("text", [
    "my dad had the same in his neck and it went in a week, mine's been two weeks",
    "my wife's shoulders were tight after the course, mines just a bit stiff",
])
def test_the_writer_with_their_own_beside_someone_elses(text: str) -> None:
    assert "other" not in affirmed(text, "subject")
