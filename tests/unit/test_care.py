"""The care use case on a fake unit of work (in memory, the reviewed content): decision first, plan second."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import pytest

from knotcare.care import decide_care
from knotcare.plan import Preferences
from knotcare.triage import Facts


@dataclass
class FakeRepository:
    """Answers `all()` from a list, as the SQL repositories do from their tables."""

    items: Sequence[Any]

    def all(self) -> list:
        return list(self.items)


class FakeUnitOfWork:
    """Only the repositories the use case reads."""

    def __init__(self, content) -> None:
        self.rules = FakeRepository(content.rules)
        self.routines = FakeRepository(content.routines)
        self.tools = FakeRepository(content.tools)


@pytest.fixture()
def uow(content) -> FakeUnitOfWork:
    return FakeUnitOfWork(content)


KNOT = dict(region="upper_back", pain_quality="dull_ache", duration_days=21, severity=4, age=35)


def test_self_care_comes_with_a_plan_and_the_tool_catalogue(uow) -> None:
    care = decide_care(uow, Facts(**KNOT))
    assert care.decision.level == "self_care"
    assert care.plan is not None and care.plan_follows
    assert set(care.plan.routine.tools) <= set(care.tools)


def test_a_red_flag_wins_over_any_plan(uow) -> None:
    care = decide_care(uow, Facts(**KNOT, red_flags=frozenset({"saddle_numbness"})),
                       preferences=Preferences(minutes=20))
    assert care.decision.level == "emergency"
    assert care.plan is None and not care.plan_follows


def test_preferences_fit_the_plan_to_the_person(uow) -> None:
    plain = decide_care(uow, Facts(**KNOT)).plan
    short = decide_care(uow, Facts(**KNOT), preferences=Preferences(minutes=3)).plan
    assert plain is not None and short is not None
    assert short.routine.id == plain.routine.id
    assert short.minutes is not None and short.minutes < plain.routine.minutes


def test_consult_first_gets_the_gentle_plan(uow) -> None:
    care = decide_care(uow, Facts(**KNOT, conditions=frozenset({"pregnancy"})))
    assert care.decision.level == "consult_first"
    assert care.plan is not None and care.plan.routine.gentle


class Unreadable:
    """A repository the use case must not read."""

    def all(self) -> list:
        raise AssertionError("read although no routine may follow")


def test_a_serious_decision_reads_no_routines_or_tools(uow) -> None:
    uow.routines = uow.tools = Unreadable()
    care = decide_care(uow, Facts(**KNOT, red_flags=frozenset({"saddle_numbness"})))
    assert care.decision.level == "emergency" and care.tools == {}
