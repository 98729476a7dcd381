"""The reviewed content: complete routines, consistent references, messages the actions need."""

from __future__ import annotations

from knotcare.content import REGIONS


def test_a_routine_for_each_region(content) -> None:
    for region in REGIONS:
        assert any(region in r.regions and not r.gentle for r in content.routines), region
    assert any(r.gentle for r in content.routines)


def test_every_routine_is_complete(content) -> None:
    for routine in content.routines:
        assert routine.steps and routine.cautions and routine.source and routine.why, routine.id
        assert routine.pressure and routine.frequency and routine.tools, routine.id
        assert any(s.hold_min for s in routine.steps), f"{routine.id}: no hold time"
        for step in routine.steps:
            if step.hold_min is not None:
                assert 0 < step.hold_min <= step.hold_max <= 300, (routine.id, step.text)


def test_holds_near_the_spine_are_shorter(content) -> None:
    lower = next(r for r in content.routines if r.id == "lower_back_beside_spine")
    presses = [s for s in lower.steps if s.kind == "press" and s.hold_max]
    assert presses and max(s.hold_max for s in presses) <= 40


def test_answers_for_every_question_intent(content) -> None:
    from components.question_router import KNOT_QUESTIONS

    topics = {a.topic for a in content.answers}
    assert set(KNOT_QUESTIONS) <= topics


def test_yes_no_questions_use_the_contract_payloads(content) -> None:
    for message in content.messages:
        if message.key.startswith("ask_screen_"):
            assert {b["payload"] for b in message.buttons} == {"/affirm", "/deny"}, message.key
