"""Tailoring does what it says: tools, time, mobility and conditions change the plan, with reasons."""

from __future__ import annotations

from typing import Optional

import pytest

from knotcare.plan import Preferences, build_plan
from knotcare.plan.tailor import nearest_session_minutes
from knotcare.triage.engine import Decision, Facts

SELF_CARE = Decision("self_care", ("self_care_default",))
CONSULT = Decision("consult_first", ("osteoporosis",))


@pytest.fixture(scope="module")
def tools(content):
    return {t.id: t for t in content.tools}


def plan_for(content, tools, region: str, preferences: Optional[Preferences], decision: Decision = SELF_CARE,
             **facts):
    return build_plan(Facts(region=region, **facts), decision, content.routines, preferences=preferences,
                      tools=tools)


def steps_text(plan) -> str:
    return "\n".join(s.text for s in plan.plan_steps)


def test_no_preferences_leaves_the_routine_as_reviewed(content, tools) -> None:
    plan = plan_for(content, tools, "upper_back", None)
    assert plan.plan_steps == plan.routine.steps and plan.minutes is None


def test_only_tools_the_person_has_are_used(content, tools) -> None:
    for region in ("neck", "shoulders", "upper_back", "mid_back", "lower_back"):
        for have in ({"fingertips"}, {"tennis_ball"}, {"cane_massager"}, {"foam_roller", "massage_ball"}):
            plan = plan_for(content, tools, region, Preferences(frozenset(have), None, None))
            used = {s.tool for s in plan.plan_steps if s.tool}
            assert used <= have | {"fingertips"}, (region, have, used)
            # A substitute is always a tool the reviewed routine lists (never a ball on the front of the neck).
            assert used <= set(plan.routine.tools) | {"fingertips"}, (region, have, used)


def test_a_missing_roller_becomes_the_ball_you_have_with_a_reason(content, tools) -> None:
    plan = plan_for(content, tools, "mid_back", Preferences(frozenset({"tennis_ball"}), None, None))
    assert plan.routine.id == "mid_back_foam_roller"  # the routine (routine_id) stays; its tools change
    assert "foam_roller" not in {s.tool for s in plan.plan_steps}
    assert "tennis_ball" in plan.tool_ids
    assert any("tennis ball but no foam roller" in a for a in plan.adjustments)
    assert "Instead of the foam roller, use your tennis ball" in steps_text(plan)


def test_hands_only_in_the_mid_back_is_stretches_with_the_cheapest_tool_named(content, tools) -> None:
    plan = plan_for(content, tools, "mid_back", Preferences(frozenset({"fingertips"}), None, None))
    assert not any(s.kind in ("press", "roll") for s in plan.plan_steps)
    assert any(s.kind == "stretch" for s in plan.plan_steps)
    assert any("tennis ball in a long sock" in a for a in plan.adjustments)


def test_three_minutes_is_one_spot_one_hold_one_stretch(content, tools) -> None:
    plan = plan_for(content, tools, "shoulders", Preferences(None, 3, None))
    kinds = [s.kind for s in plan.plan_steps]
    assert kinds == ["find", "press", "stretch"]
    press = plan.plan_steps[1]
    assert press.hold_min == press.hold_max == 30 and not press.repetitions
    assert plan.minutes == 3
    assert any(a.startswith("You said you have 3 minutes") for a in plan.adjustments)
    assert "(about 3 minutes)" in plan.messages(tools)[0]


def test_twenty_minutes_means_more_spots_never_more_on_one(content, tools) -> None:
    plan = plan_for(content, tools, "upper_back", Preferences(None, 20, None), severity=4, duration_days=14)
    assert plan.minutes == 20 and plan.plan_steps == plan.routine.steps
    assert any("5 minutes on any one spot" in a for a in plan.adjustments)


def test_twenty_minutes_is_capped_when_it_is_severe_or_new(content, tools) -> None:
    plan = plan_for(content, tools, "upper_back", Preferences(None, 20, None), severity=7)
    assert plan.minutes == 10 and any("about 10" in a for a in plan.adjustments)


def test_ten_minutes_keeps_the_full_routine(content, tools) -> None:
    plan = plan_for(content, tools, "lower_back", Preferences(None, 10, None))
    assert plan.plan_steps == plan.routine.steps and plan.minutes == 10


def test_limited_mobility_keeps_everything_off_the_floor_and_wall(content, tools) -> None:
    for region in ("upper_back", "mid_back", "lower_back"):
        plan = plan_for(content, tools, region, Preferences(frozenset({"cane_massager", "tennis_ball"}), None, True))
        text = steps_text(plan).lower()
        for word in ("floor", "kneel", "wall", "hands and knees"):
            assert word not in text, (region, word)
        assert any("done sitting" in a for a in plan.adjustments)
        assert any(s.kind in ("press", "roll") for s in plan.plan_steps), region


@pytest.mark.parametrize("have", [{"fingertips"}, {"foam_roller"}, {"cane_massager", "foam_roller"}])
def test_a_plan_said_to_be_done_sitting_has_no_step_on_the_floor_or_a_wall(content, tools, have) -> None:
    """The places steps declare (routines.yml `place`), not words in their text: "lift your hips ... roll slowly"
    on a roller is on the floor though it never says so."""
    for region in ("upper_back", "mid_back", "lower_back"):
        plan = plan_for(content, tools, region, Preferences(frozenset(have), None, True))
        assert [s.text[:40] for s in plan.plan_steps if s.place in ("floor", "wall")] == [], (region, have)
        text = steps_text(plan).lower()
        for words in ("lift your hips", "roll slowly", "over the roller", "lean into the ball"):
            assert words not in text, (region, have, words)


def test_steps_that_need_a_tool_the_person_lacks_are_left_out(content, tools) -> None:
    plan = plan_for(content, tools, "mid_back", Preferences(frozenset({"fingertips"}), None, None))
    assert "roller" not in steps_text(plan).lower()  # "relax over the roller" too: it declares its tool


def test_limited_mobility_without_a_long_tool_uses_a_helper(content, tools) -> None:
    plan = plan_for(content, tools, "lower_back", Preferences(frozenset({"fingertips"}), None, True))
    assert "ask someone you trust" in steps_text(plan)
    assert any("helper" in a for a in plan.adjustments)


def test_the_gentle_routine_stays_gentle_whatever_the_person_has(content, tools) -> None:
    plan = plan_for(content, tools, "mid_back", Preferences(frozenset({"foam_roller", "percussion_device"}), 20, False),
                    decision=CONSULT, conditions=frozenset({"osteoporosis"}))
    assert plan.routine.gentle
    assert {s.tool for s in plan.plan_steps if s.tool} <= {"fingertips"}
    assert plan.minutes == 10
    said = " ".join(plan.adjustments)
    assert "only your fingertips" in said and "massage gun aside" in said


def test_a_massage_gun_is_for_warming_up_only(content, tools) -> None:
    preferences = Preferences(frozenset({"percussion_device", "massage_ball"}), 10, False)
    plan = plan_for(content, tools, "upper_back", preferences)
    assert "percussion_device" not in {s.tool for s in plan.plan_steps}
    assert any("warm the muscles up" in a for a in plan.adjustments)


@pytest.mark.parametrize("said, offered", [(1, 3), (5, 3), (7, 10), (10, 10), (15, 10), (16, 20), (45, 20)])
def test_time_rounds_to_an_offered_length(said: int, offered: int) -> None:
    assert nearest_session_minutes(said) == offered
