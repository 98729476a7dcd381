"""The care use case: decide what to do on the facts, and the plan that goes with the decision.

Every place that answers with a decision or a plan (the decision itself, the plan after the preferences, the
step-by-step session) goes through `decide_care`, so a red flag read at any point wins over any routine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

from knotcare.content import Tool
from knotcare.kb.db import UnitOfWork
from knotcare.plan import Plan, Preferences, build_plan
from knotcare.triage import Decision, Facts, decide

#: The levels that come with a routine: tailored for self-care, the gentle one for consult-first.
PLAN_LEVELS = ("self_care", "consult_first")


@dataclass(frozen=True)
class Care:
    """A decision, the plan it allows (if any) and the tool catalogue the plan names its tools from (empty when
    no plan may follow)."""

    decision: Decision
    plan: Optional[Plan]
    tools: Mapping[str, Tool]

    @property
    def plan_follows(self) -> bool:
        """A routine comes with this decision."""
        return self.plan is not None and self.decision.level in PLAN_LEVELS


def decide_care(uow: UnitOfWork, facts: Facts, muscles: Sequence[str] = (),
                preferences: Optional[Preferences] = None) -> Care:
    """Decide on `facts` with the reviewed rules and build the plan the decision allows, fitted to `preferences`
    (tools, time, mobility) when the person gave them."""
    decision = decide(facts, uow.rules.all())
    if decision.level not in PLAN_LEVELS:
        # Routines and tools are read only when a routine may follow: most serious decisions need neither.
        return Care(decision, None, {})
    tools = {tool.id: tool for tool in uow.tools.all()}
    plan = build_plan(facts, decision, uow.routines.all(), muscles, preferences, tools)
    return Care(decision, plan, tools)
