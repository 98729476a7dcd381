"""The spaCy rule extractor: canonical values, regions only where they belong, and context."""

from __future__ import annotations

from typing import List, Tuple

import pytest

from knotcare.nlp.extractor import AFFIRMED, NEGATED, default_extractor


def found(text: str, entity: str) -> List[str]:
    return [m.value for m in default_extractor().affirmed(text) if m.entity == entity]


def statuses(text: str, entity: str) -> List[Tuple[str, str]]:
    return [(m.value, m.status) for m in default_extractor().extract(text) if m.entity == entity]


@pytest.mark.parametrize("text, region", [
    ("knot under my right shoulder blade, dull ache, 3 weeks, about 5/10", "upper_back"),
    ("actually it's my lower back", "lower_back"),
    ("my nek is killing me", "neck"),
    ("the base of my skull aches", "neck"),
    ("tops of my shoulders are tight", "shoulders"),
    ("between my shoulder blades", "upper_back"),
    ("mid-back stiffness", "mid_back"),
    ("middle of my back", "mid_back"),
    ("lumbar pain", "lower_back"),
    ("my back hurts", "back"),
    ("sore lowerback", "lower_back"),
])
def test_regions_get_canonical_values(text: str, region: str) -> None:
    assert found(text, "body_region") == [region]


@pytest.mark.parametrize("text", [
    "my knee hurts", "pain in my chest", "my foot is sore", "the back of my knee", "the pain came back",
    "i went back to work", "my hip aches", "headache at my temple", "my arm is sore",
])
def test_parts_outside_the_five_regions_are_never_regions(text: str) -> None:
    assert found(text, "body_region") == []


@pytest.mark.parametrize("text, muscle", [
    ("my traps are tight", "upper_trapezius"), ("levator scapulae knot", "levator_scapulae"),
    ("QL is angry", "quadratus_lumborum"), ("rhomboid knot", "rhomboids"), ("glute med", "gluteus_medius"),
])
def test_muscles(text: str, muscle: str) -> None:
    assert found(text, "muscle") == [muscle]


@pytest.mark.parametrize("text, quality", [
    ("dull ache", "dull_ache"), ("it's more burning", "burning"), ("pins and needles", "tingling"),
    ("stabbing pain", "sharp"), ("feels stiff", "stiffness"), ("tender to touch", "tenderness"),
    ("throbbing", "throbbing"), ("shooting", "shooting"), ("kinda numb", "numbness"),
])
def test_pain_qualities(text: str, quality: str) -> None:
    assert found(text, "pain_quality") == [quality]


def test_negated_quality_is_not_affirmed() -> None:
    assert statuses("no tingling but my traps are tight", "pain_quality") == [
        ("tingling", NEGATED), ("stiffness", AFFIRMED)]


def test_correction_with_not_keeps_the_new_region() -> None:
    assert found("not my neck, my lower back", "body_region") == ["lower_back"]


def test_one_message_holds_every_fact() -> None:
    mentions = default_extractor().affirmed("knot under my right shoulder blade, dull ache, 3 weeks, about 5/10")
    assert {(m.entity, m.value) for m in mentions} == {
        ("body_region", "upper_back"), ("pain_quality", "dull_ache"), ("duration", "3 weeks"),
        ("severity", "about 5/10"),
    } or {(m.entity, m.value) for m in mentions} == {
        ("body_region", "upper_back"), ("pain_quality", "dull_ache"), ("duration", "3 weeks"), ("severity", "5/10"),
    }


def test_empty_and_odd_text_is_harmless() -> None:
    extractor = default_extractor()
    for text in ["", "   ", "😀😀", "<script>alert(1)</script>", "\x00\x01", "a" * 10000, "¿Dónde está el baño?"]:
        assert isinstance(extractor.extract(text), list)


@pytest.mark.parametrize("text,code,status", [
    ("fever? no", "fever", "negated"),
    ("fever: no, sweats: none", "fever", "negated"),
    ("any fever? nope, just the ache", "fever", "negated"),
    ("bladder problems? no. numbness in my legs? yes", "bladder_bowel_change", "negated"),
    ("fever, no numbness", "fever", "affirmed"),  # the "no" belongs to the numbness
    ("fever no", "fever", "affirmed"),  # no separator: not a checklist answer, keep it
])
def test_checklist_answers_after_the_mention(text: str, code: str, status: str) -> None:
    mentions = [m for m in default_extractor().extract(text) if m.value == code]
    assert mentions and mentions[0].status == status


def test_a_family_history_said_after_the_mention_is_someone_elses() -> None:
    mentions = [m for m in default_extractor().extract("cancer runs in my family") if m.entity == "condition"]
    assert mentions and mentions[0].status == "other_person"


@pytest.mark.parametrize("text, codes", [
    # waking at night with pain that eases once moving: possible inflammatory back pain, not night pain
    ("worst in the early hours, wakes me around 4am, but loosens up once i get moving", ["inflammatory_back_pain"]),
    ("moving around helps but it wakes me up at 4 am every night", ["inflammatory_back_pain"]),
    # not eased by moving: night pain stays
    ("it wakes me at night and doesn't ease when i move around", ["night_pain"]),
    # morning stiffness alone is ordinary
    ("i wake up stiff but it loosens up once i get moving", []),
    ("stiff after a night's sleep but better once i get going", []),
])
def test_pain_eased_by_moving_is_not_night_pain(text: str, codes: List[str]) -> None:
    assert sorted(set(found(text, "red_flag"))) == codes


def test_a_negated_pattern_cancels_nothing() -> None:
    # "no night pain": neither code is affirmed
    assert found("no night pain, it loosens up when i move", "red_flag") == []


@pytest.mark.parametrize("text, expected", [
    # written for someone else: their pronouns are the writer's, so their emergency counts
    ("My father is sixty-seven. Writing for him. He suddenly got a really severe pain in the middle of his back "
     "and then he passed out", [("body_region", "mid_back"), ("red_flag", "sudden_severe_pain")]),
    ("asking for a friend: she has a knot in her neck and her legs are numb",
     [("body_region", "neck"), ("red_flag", "bilateral_leg_symptoms")]),
    # not written for anyone: someone else's symptom stays theirs
    ("my dad passed out yesterday, my neck is stiff", [("body_region", "neck")]),
    # an answer for someone else still names the region
    ("middle of his back", [("body_region", "mid_back")]),
    ("her shoulder blades", [("body_region", "upper_back")]),
    # a figure of speech is not a negation
    ("not gonna lie i shoot up (gear) and my back has been agony",
     [("red_flag", "immunosuppression_or_iv_drugs"), ("body_region", "back")]),
])
def test_written_for_someone_else(text: str, expected: List[Tuple[str, str]]) -> None:
    mentions = [(m.entity, m.value) for m in default_extractor().affirmed(text)
                if m.entity in ("body_region", "red_flag", "condition")]
    assert sorted(mentions) == sorted(expected)


@pytest.mark.parametrize("text", ["had an L4-L5 fusion in May", "my c5/c6 fused last year", "i had a fusion in 2019"])
def test_spinal_levels_and_fusions_are_spinal_surgery(text: str) -> None:
    assert found(text, "condition") == ["spinal_surgery"]


@pytest.mark.parametrize("text, code", [
    # a red flag whose words overlap another's is not hidden by it
    ("an hour of heavy chest pain going down my left arm, clammy and sick", "chest_pain"),
    ("he has a pain across his chest going into his arm", "chest_pain"),
    # a weak limb getting weaker is progressing
    ("my right leg has been getting weaker all week", "progressive_weakness"),
    ("her hand's grip keeps getting weaker", "progressive_weakness"),
])
def test_an_overlapping_red_flag_is_kept(text: str, code: str) -> None:
    assert code in {m.value for m in default_extractor().extract(text) if m.entity == "red_flag"}
