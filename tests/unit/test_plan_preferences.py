"""Answers in people's own words become tools, minutes, mobility and pain ratings."""

from __future__ import annotations

import pytest

from knotcare.plan.preferences import is_skip, parse_minutes, parse_mobility, parse_pain, parse_tools


@pytest.mark.parametrize("text, tools", [
    ("just my hands", ["fingertips"]),
    ("nothing really", ["fingertips"]),
    ("i dont have anything", ["fingertips"]),
    ("i have a tennis ball and a foam roller", ["tennis_ball", "foam_roller"]),
    ("a lacrosse ball", ["massage_ball"]),
    ("my hands and a theracane", ["cane_massager"]),
    ("got a massage gun", ["percussion_device"]),
    ('/inform_preferences{"tool":"handheld_massager"}', ["handheld_massager"]),
    ("about 10 minutes", None),
])
def test_tools(text: str, tools) -> None:
    assert parse_tools(text) == tools


@pytest.mark.parametrize("text, bare_ok, minutes", [
    ("10 mins", False, 10), ("about 20 minutes", False, 20), ("not much time", False, 3),
    ("half an hour", False, 20), ("ten minutes", False, 10), ("20", True, 20), ("20", False, None),
    ("a tennis ball", True, None),
])
def test_minutes(text: str, bare_ok: bool, minutes) -> None:
    assert parse_minutes(text, bare_ok) == minutes


@pytest.mark.parametrize("text, limited", [
    ("i can't get down on the floor", True), ("bad knees", True), ("i use a wheelchair", True),
    ("no problem", False), ("floor is fine", False), ("a tennis ball", None),
])
def test_mobility(text: str, limited) -> None:
    assert parse_mobility(text) is limited


def test_skip_and_pain() -> None:
    assert is_skip("skip") and is_skip("just give me the routine") and not is_skip("i skipped lunch, neck hurts")
    assert [parse_pain(t) for t in ("5", "about a 6", "4/10", "three", "11", "no idea")] == [5, 6, 4, 3, None, None]
