"""How people type a first message or an answer: the forms the blind openers and published-style vignettes showed
missing, each pinned in general form with a near miss beside it (the extractor and the rating finder alone)."""

from __future__ import annotations

from typing import List

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


# ---------------------------------------------------------------- whose pain it is


def test_twenty_forty_is_eyesight_not_a_gestation() -> None:
    assert affirmed("my son had an eye exam and he had 20/40 in one eye", "condition") == set()
    assert affirmed("G2P1 at 30/40, 2/7 LBP", "condition") == {"pregnancy"}


def test_inflammatory_features_send_long_standing_pain_to_a_clinician(content) -> None:
    from knotcare.triage.engine import Facts, decide

    def level(days: int) -> str:
        facts = Facts(region="lower_back", duration_days=days, red_flags=frozenset({"inflammatory_features"}))
        return decide(facts, content.rules).level

    assert level(120) == "see_clinician" and level(14) == "self_care"
