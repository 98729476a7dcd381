"""The triage engine: deterministic, reports every rule, the most urgent decides."""

from __future__ import annotations

import re
import shutil

import pytest

from knotcare.config import DATA_DIR
from knotcare.kb.seed import ContentError, load_rules
from knotcare.triage.engine import LEVELS, Facts, Rule, decide, validate_rule

RULES = [
    Rule("ces", "emergency", {"red_flags_any": ["bladder_bowel_change", "saddle_numbness"]}, "Go now.", "NHS"),
    Rule("fever", "urgent", {"red_flags_any": ["fever"]}, "Today.", "NHS"),
    Rule("nerve", "see_clinician", {"pain_quality_any": ["tingling", "burning"]}, "Soon.", "NHS"),
    Rule("severe", "see_clinician", {"severity_min": 8}, "Soon.", "NHS"),
    Rule("pregnant", "consult_first", {"conditions_any": ["pregnancy"]}, "Ask first.", "seed"),
    Rule("old", "urgent", {"age_min": 50, "duration_days_max": 42}, "New pain over 50.", "NHS"),
    Rule("default", "self_care", {}, "Fine.", "seeds"),
]


def test_no_flags_is_self_care() -> None:
    decision = decide(Facts(region="neck", pain_quality="dull_ache", duration_days=21, severity=5), RULES)
    assert decision.level == "self_care" and decision.rule_ids == ("default",)


def test_most_urgent_decides_and_every_match_is_reported() -> None:
    facts = Facts(region="lower_back", red_flags=frozenset({"fever", "saddle_numbness"}),
                  conditions=frozenset({"pregnancy"}), severity=9)
    decision = decide(facts, RULES)
    assert decision.level == "emergency"
    assert decision.rule_ids == ("ces", "fever", "severe", "pregnant", "default")
    assert decision.messages == ["Go now."]


def test_unknown_age_never_matches_an_age_rule() -> None:
    assert "old" not in decide(Facts(duration_days=3), RULES).rule_ids
    assert decide(Facts(duration_days=3, age=61), RULES).level == "urgent"


def test_no_rule_at_all_is_not_self_care() -> None:
    assert decide(Facts(), [r for r in RULES if r.id != "default"]).level == "see_clinician"


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError):
        validate_rule(Rule("x", "later", {}, "", ""))
    with pytest.raises(ValueError):
        validate_rule(Rule("x", "urgent", {"moon_phase": "full"}, "", ""))


def test_facts_accept_contract_slot_names() -> None:
    facts = Facts.from_mapping({"body_region": "neck", "pain_duration_days": 14, "pain_severity": 6.0,
                                "red_flags": ["fever"]})
    assert facts == Facts(region="neck", duration_days=14.0, severity=6, red_flags=frozenset({"fever"}))


# The reviewed rule file itself.

EMERGENCY_CODES = ["bladder_bowel_change", "saddle_numbness", "bilateral_leg_symptoms", "chest_pain",
                   "neuro_head_signs", "neck_stiffness_fever_headache", "sudden_severe_pain", "high_energy_injury"]
URGENT_CODES = ["fever", "unexplained_weight_loss", "night_pain", "immunosuppression_or_iv_drugs",
                "coordination_change", "major_trauma"]
SEE_CLINICIAN_CODES = ["limb_weakness", "limb_numbness_tingling", "worse_after_self_care", "no_improvement",
                       "rash_with_pain", "inflammatory_back_pain"]


@pytest.mark.parametrize("code", EMERGENCY_CODES)
def test_each_emergency_code_is_an_emergency(content, code: str) -> None:
    assert decide(Facts(region="lower_back", red_flags=frozenset({code})), content.rules).level == "emergency"


@pytest.mark.parametrize("code", URGENT_CODES)
def test_each_urgent_code_is_urgent(content, code: str) -> None:
    assert decide(Facts(region="neck", red_flags=frozenset({code})), content.rules).level == "urgent"


@pytest.mark.parametrize("code", SEE_CLINICIAN_CODES)
def test_each_see_clinician_code(content, code: str) -> None:
    assert decide(Facts(region="neck", red_flags=frozenset({code})), content.rules).level == "see_clinician"


@pytest.mark.parametrize("sign", ["limb_weakness", "progressive_weakness", "coordination_change"])
def test_an_injury_with_weakness_is_an_emergency(content, sign: str) -> None:
    """A fall or a tackle alone is same day; with a weak or clumsy limb it may have reached the cord."""
    facts = Facts(region="neck", red_flags=frozenset({"major_trauma", sign}))
    assert decide(facts, content.rules).level == "emergency"
    assert "injury_with_nerve_signs" in decide(facts, content.rules).rule_ids


def test_an_injury_with_tingling_alone_is_same_day(content) -> None:
    """Pins and needles after a slip onto the back are a nerve to check today, not a cord injury on their own."""
    facts = Facts(region="lower_back", red_flags=frozenset({"major_trauma", "limb_numbness_tingling"}))
    assert decide(facts, content.rules).level == "urgent"


def test_a_neck_injury_with_a_numb_arm_is_an_emergency(content) -> None:
    """After a blow or a fall onto the neck, a numb arm may be the cord (the Canadian C-spine rule's high risk)."""
    facts = Facts(region="neck", red_flags=frozenset({"major_trauma", "limb_numbness_tingling"}))
    assert decide(facts, content.rules).level == "emergency"
    assert "neck_injury_with_numbness" in decide(facts, content.rules).rule_ids


def test_a_numb_hand_after_an_injury_to_the_upper_back_is_an_emergency(content) -> None:
    """Someone landing on the upper back, then a tingling hand: the nerves there or the cord; lower down, a numb leg
    after a fall is seen the same day (the fracture rule) unless it is both legs or weakness."""
    facts = Facts(region="upper_back", red_flags=frozenset({"major_trauma", "limb_numbness_tingling"}))
    assert decide(facts, content.rules).level == "emergency"
    assert "upper_back_injury_with_numbness" in decide(facts, content.rules).rule_ids
    lower = Facts(region="lower_back", red_flags=frozenset({"major_trauma", "limb_numbness_tingling"}))
    assert decide(lower, content.rules).level == "urgent"


@pytest.mark.parametrize("condition", ["pregnancy", "osteoporosis", "herniated_disc", "spinal_surgery",
                                       "blood_thinners"])
def test_consult_first_conditions(content, condition: str) -> None:
    facts = Facts(region="upper_back", pain_quality="dull_ache", severity=4, conditions=frozenset({condition}))
    assert decide(facts, content.rules).level == "consult_first"


@pytest.mark.parametrize("quality", ["shooting", "burning", "tingling", "numbness"])
def test_nerve_like_pain_goes_to_a_clinician_unless_ruled_out(content, quality: str) -> None:
    assert decide(Facts(region="neck", pain_quality=quality, severity=4), content.rules).level == "see_clinician"
    asked = decide(Facts(region="neck", pain_quality=quality, severity=4, pain_radiates=True), content.rules)
    assert asked.level == "see_clinician"


@pytest.mark.parametrize("quality", ["shooting", "burning", "tingling"])
def test_nerve_like_pain_that_does_not_travel_can_be_a_knot(content, quality: str) -> None:
    facts = Facts(region="neck", pain_quality=quality, severity=4, duration_days=60, pain_radiates=False)
    assert decide(facts, content.rules).level == "self_care"


def test_numbness_always_goes_to_a_clinician(content) -> None:
    facts = Facts(region="neck", pain_quality="numbness", severity=4, duration_days=60, pain_radiates=False)
    assert decide(facts, content.rules).level == "see_clinician"


@pytest.mark.parametrize("age,level", [(67, "urgent"), (17, "urgent"), (35, "self_care")])
def test_new_pain_by_age(content, age: int, level: str) -> None:
    facts = Facts(region="lower_back", pain_quality="dull_ache", severity=4, duration_days=7, age=age)
    assert decide(facts, content.rules).level == level


def test_a_yes_to_the_age_question_is_urgent(content) -> None:
    facts = Facts(region="neck", pain_quality="stiffness", severity=3, red_flags=frozenset({"new_pain_age_risk"}))
    assert decide(facts, content.rules).level == "urgent"


def test_a_plain_knot_is_self_care(content) -> None:
    facts = Facts(region="upper_back", pain_quality="dull_ache", duration_days=21, severity=5)
    decision = decide(facts, content.rules)
    assert decision.level == "self_care" and decision.rule_ids


def test_every_rule_has_a_source_and_a_message(content) -> None:
    for rule in content.rules:
        assert rule.level in LEVELS and rule.source.strip() and rule.message.strip(), rule.id


def test_reasons_are_worded_for_whose_pain_it_is() -> None:
    rule = Rule("night", "see_clinician", {}, "It wakes you.", "NHS", "It wakes them.")
    decision = decide(Facts(), [rule])
    assert decision.messages_for("self") == ["It wakes you."]
    assert decision.messages_for("other") == ["It wakes them."]
    assert Rule("x", "urgent", {}, "Call now.", "NHS").message_for("other") == "Call now."


def test_proxy_wordings_speak_of_the_person_not_to_them(content) -> None:
    # "you" in a proxy wording may only be the writer reporting ("you said", "you've told me").
    for rule in content.rules:
        if rule.message_for_other:
            text = re.sub(r"\b[Yy]ou(?: said|'ve told me)\b", "", rule.message_for_other)
            assert not re.search(r"\byour?\b", text, re.I), rule.id


def test_a_rule_saying_you_without_a_proxy_wording_is_refused(tmp_path) -> None:
    (tmp_path / "kb").mkdir()
    shutil.copy(DATA_DIR / "kb" / "triage_rules.yml", tmp_path / "kb" / "triage_rules.yml")
    path = tmp_path / "kb" / "triage_rules.yml"
    path.write_text(path.read_text().replace("message_for_other:", "unused_note:", 1))
    with pytest.raises(ContentError, match="message_for_other"):
        load_rules(tmp_path)
