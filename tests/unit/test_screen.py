"""Which screen questions the intake asks, and in which order."""

from __future__ import annotations

import yaml

from knotcare.config import ROOT
from knotcare.triage.screen import SCREEN, SCREEN_CODES, screens_for, screens_for_region


def test_every_intake_asks_the_regions_screen_with_the_general_question_last() -> None:
    for region in ("neck", "shoulders", "upper_back", "mid_back", "lower_back", None):
        screens = screens_for(region, "dull_ache", 90, None)
        assert screens == screens_for_region(region) and screens[-1] == "screen_general"


def test_lower_back_starts_with_cauda_equina_and_neck_with_brain_signs() -> None:
    assert screens_for("lower_back")[0] == "screen_cauda_equina"
    assert screens_for("neck")[0] == "screen_head_neuro"


def test_nerve_like_pain_adds_the_travel_question_before_the_limb_question() -> None:
    screens = screens_for("neck", "burning", 90)
    assert screens.index("screen_radiating") == screens.index("screen_nerve") - 1
    assert "screen_radiating" not in screens_for("neck", "stiffness", 90)


def test_new_pain_without_an_age_adds_the_age_question() -> None:
    assert "screen_age" in screens_for("mid_back", "dull_ache", 10, None)
    assert "screen_age" not in screens_for("mid_back", "dull_ache", 10, 35)
    assert "screen_age" not in screens_for("mid_back", "dull_ache", 100, None)
    assert "screen_age" not in screens_for("mid_back", "dull_ache", None, None)


def test_every_screen_question_has_codes() -> None:
    assert all(SCREEN_CODES.values())


def test_the_domain_declares_each_screen_question_as_the_one_list_says() -> None:
    """knotcare.triage.screen.SCREEN is the one list: domain/core.yml's screen slots (yes/no from affirm and deny
    while that question is open), the intake form's entries and the ask actions must be the same, in order."""
    domain = yaml.safe_load((ROOT / "domain" / "core.yml").read_text(encoding="utf-8"))
    asked = [slot for slot in domain["forms"]["pain_intake_form"]["required_slots"] if slot.startswith("screen_")]
    assert asked == list(SCREEN)
    slots = {name: slot for name, slot in domain["slots"].items() if name in SCREEN or name.startswith("screen_")}
    assert set(slots) - {"screen_first"} == set(SCREEN)
    for name in SCREEN:
        mappings = slots[name]["mappings"]
        assert slots[name]["type"] == "bool"
        assert {(m["intent"], m["value"]) for m in mappings} == {("affirm", True), ("deny", False)}
        assert all(m["conditions"] == [{"active_loop": "pain_intake_form", "requested_slot": name}] for m in mappings)
        assert f"action_ask_{name}" in domain["actions"]
