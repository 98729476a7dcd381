"""The step-by-step mode's use case (knotcare.plan.guide), on plain steps: which step comes, whether the body moves,
how long the hold is."""

from __future__ import annotations

from knotcare.content import Step
from knotcare.plan.guide import NEXT, REPEAT, STOP, next_move

STEPS = [Step("find", "find the knot", place="wall"), Step("press", "lean in", hold_min=30, hold_max=60),
         Step("stretch", "twist", hold_min=20, place="chair")]


def test_a_session_starts_at_the_first_step_and_says_where_to_be() -> None:
    move = next_move(STEPS, 0, active=False)
    assert (move.kind, move.number, move.total, move.place, move.starts) == ("step", 1, 3, "wall", True)
    assert next_move(STEPS, 2, active=False, asked=NEXT).number == 1  # a new session whatever was asked


def test_next_moves_on_with_the_hold_and_the_place_only_when_it_changes() -> None:
    second = next_move(STEPS, 1, active=True, asked=NEXT)
    assert (second.number, second.place, second.hold, second.starts) == (2, None, 60, False)
    third = next_move(STEPS, 2, active=True, asked=NEXT)
    assert (third.number, third.place, third.hold) == (3, "chair", 20)


def test_repeat_stays_and_leaves_the_body_where_it_is() -> None:
    move = next_move(STEPS, 3, active=True, asked=REPEAT)
    assert (move.number, move.place) == (3, None)


def test_stop_stops_and_past_the_last_step_is_done() -> None:
    assert next_move(STEPS, 2, active=True, asked=STOP).kind == "stopped"
    done = next_move(STEPS, 3, active=True, asked=NEXT)
    assert (done.kind, done.number) == ("done", 3)
