"""Front desks, clinicians, young and distressed writers, and people who correct themselves: the forms the blind
"roles" set (tests/nlu/blind_roles) showed missing, each pinned in general form with a near miss beside it."""

from __future__ import annotations

import pytest

from tests.unit.reading import affirmed


def test_a_neck_too_stiff_to_bend_is_stiffness() -> None:
    assert "stiffness" in affirmed("she says she can't bend it forward", "pain_quality")
    assert "stiffness" not in affirmed("she can bend it forward now", "pain_quality")


@pytest.mark.parametrize("text, taken_back, kept", [
    ("My lower back - no wait, it's more the middle of my back", "lower_back", "mid_back"),
    ("My husband's neck is stiff - actually no, he says it's his shoulders", "neck", "shoulders"),
    ("Upper back. No - shoulders. The tops of them", "upper_back", "shoulders"),
    ("My mum's neck - sorry, it's her upper back", "neck", "upper_back"),
])
def test_a_region_taken_back_is_not_said(text: str, taken_back: str, kept: str) -> None:
    regions = affirmed(text, "body_region")
    assert kept in regions and taken_back not in regions
