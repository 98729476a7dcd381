"""The plan builder: the right routine for the region, tailored, with its reasons."""

from __future__ import annotations

import pytest

from knotcare.plan import build_plan, choose_routine
from knotcare.triage.engine import Decision, Facts

SELF_CARE = Decision("self_care", ("self_care_default",))


@pytest.mark.parametrize("region, routine_id", [
    ("neck", "neck_base_of_skull"), ("shoulders", "shoulders_top"), ("upper_back", "upper_back_ball_on_wall"),
    ("mid_back", "mid_back_foam_roller"), ("lower_back", "lower_back_beside_spine"),
])
def test_region_picks_its_routine(content, region: str, routine_id: str) -> None:
    assert choose_routine(Facts(region=region), content.routines).id == routine_id


def test_named_muscle_steers_the_choice(content) -> None:
    routine = choose_routine(Facts(region="neck"), content.routines, muscles=["levator_scapulae"])
    assert routine.id == "neck_side"


def test_plan_says_why_and_tailors_the_dose(content) -> None:
    facts = Facts(region="lower_back", pain_quality="dull_ache", duration_days=60, severity=7)
    plan = build_plan(facts, SELF_CARE, content.routines)
    assert plan.routine.id == "lower_back_beside_spine"
    assert "lower back" in plan.reasons[0]
    assert any("7/10" in a for a in plan.adjustments) and any("month" in a for a in plan.adjustments)
    tools = {t.id: t for t in content.tools}
    messages = plan.messages(tools)
    assert "Why this one" in messages[0] and "hold" in messages[1]


@pytest.mark.parametrize("level", ["emergency", "urgent", "see_clinician"])
def test_no_routine_when_a_clinician_is_needed(content, level: str) -> None:
    assert build_plan(Facts(region="neck"), Decision(level, ("x",)), content.routines) is None


def test_consult_first_gets_only_the_gentle_routine(content) -> None:
    plan = build_plan(Facts(region="neck", conditions=frozenset({"pregnancy"})),
                      Decision("consult_first", ("pregnancy",)), content.routines)
    assert plan.routine.gentle


def test_new_place_says_where_the_body_goes_only_when_it_changes() -> None:
    from knotcare.content import Step
    from knotcare.plan import new_place

    steps = [Step("find", "a", place="wall"), Step("press", "b", place="anywhere"), Step("press", "c", place="wall"),
             Step("stretch", "d", place="chair"), Step("breathe", "e")]
    assert [new_place(steps, n) for n in range(1, 6)] == ["wall", None, None, "chair", None]
    assert new_place([Step("breathe", "x")], 1) is None  # "anywhere" first: wherever you are
