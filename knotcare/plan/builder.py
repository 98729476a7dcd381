"""Choose and tailor a routine, and say why. Plain Python: no Rasa, no database."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from knotcare.content import Routine, Step, Tool
from knotcare.kb.seed import said
from knotcare.plan.tailor import Preferences, tailor_steps
from knotcare.triage.engine import Decision, Facts


@dataclass(frozen=True)
class Plan:
    """A routine chosen for this person, the adjustments made, and the reasons."""

    routine: Routine
    reasons: Tuple[str, ...]
    adjustments: Tuple[str, ...] = field(default_factory=tuple)
    #: Set by tailoring (knotcare.plan.tailor): the steps, tools and length for this person.
    steps: Optional[Tuple[Step, ...]] = None
    tool_ids: Optional[Tuple[str, ...]] = None
    minutes: Optional[int] = None

    @property
    def plan_steps(self) -> Tuple[Step, ...]:
        """The steps to follow: tailored ones when tailored, else the routine's."""
        return self.steps if self.steps is not None else self.routine.steps

    def messages(self, tools: Dict[str, Tool]) -> List[str]:
        """The plan as a few chat messages: what and why, the steps, the dose and when to stop."""
        r = self.routine
        minutes = self.minutes if self.minutes is not None else r.minutes
        intro = said("plan_intro", title=r.title, minutes=minutes, reasons=" ".join(self.reasons))
        steps = "\n".join(f"{i}. {step_line(step)}" for i, step in enumerate(self.plan_steps, start=1))
        tool_names = [tools[t].name for t in (self.tool_ids if self.tool_ids is not None else r.tools) if t in tools]
        dose = [said("plan_tools", names=", ".join(tool_names)) if tool_names else "",
                said("plan_pressure", text=r.pressure), said("plan_how_often", text=r.frequency),
                said("plan_before", text=r.warm_up), said("plan_afterwards", text=r.aftercare)]
        dose += [said("plan_for_you", text=a) for a in self.adjustments]
        stop = said("plan_take_care", text=" ".join(r.cautions[:3])) if r.cautions else ""
        return [intro, steps, "\n".join(line for line in dose if line), stop] if stop else \
            [intro, steps, "\n".join(line for line in dose if line)]


def new_place(steps: Sequence[Step], number: int) -> Optional[str]:
    """Where the body goes for step `number` (1-based), when that differs from where the steps before left it
    (the first step always says where); None when it stays (`anywhere` stays where you are)."""
    place = steps[number - 1].place
    before = next((s.place for s in reversed(steps[:number - 1]) if s.place != "anywhere"), None)
    return place if place != "anywhere" and place != before else None


def step_line(step: Step) -> str:
    """One step with its dose in brackets ("hold 30–60 s, 3×, rest 60 s between")."""
    dose: List[str] = []
    if step.hold_min is not None:
        dose.append(said("step_hold", seconds=step.hold_min) if step.hold_min == step.hold_max else
                    said("step_hold_range", low=step.hold_min, high=step.hold_max))
    if step.repetitions:
        dose.append(said("step_repetitions", times=step.repetitions))
    if step.rest_seconds:
        dose.append(said("step_rest", seconds=step.rest_seconds))
    return step.text + (f" ({', '.join(dose)})" if dose else "")


def choose_routine(facts: Facts, routines: Sequence[Routine], muscles: Sequence[str] = ()) -> Optional[Routine]:
    """The best routine for the region: most named muscles covered, then made for this region first."""
    region = facts.region
    candidates = [r for r in routines if region in r.regions and not r.gentle]
    if not candidates:
        return None
    return sorted(
        candidates,
        key=lambda r: (-len(set(muscles) & set(r.muscles)), r.regions.index(region), r.id),
    )[0]


def build_plan(facts: Facts, decision: Decision, routines: Sequence[Routine], muscles: Sequence[str] = (),
               preferences: Optional[Preferences] = None, tools: Optional[Dict[str, Tool]] = None) -> Optional[Plan]:
    """A tailored plan for self-care, a gentle one for consult-first, none otherwise.

    With preferences (tools, time, mobility) and the tool catalogue, the plan is also fitted to them.
    """
    plan = _build_plan(facts, decision, routines, muscles)
    if plan is None or preferences is None:
        return plan
    return tailor(plan, preferences, tools or {}, facts)


def region_words(region: Optional[str]) -> str:
    """The region as a person would say it ("your lower back"), from the reviewed messages."""
    return said(f"region_words_{region or 'unknown'}")


def _build_plan(facts: Facts, decision: Decision, routines: Sequence[Routine],
                muscles: Sequence[str] = ()) -> Optional[Plan]:
    if decision.level == "consult_first":
        gentle = next((r for r in routines if r.gentle and (facts.region in r.regions or not facts.region)), None)
        if gentle is None:
            return None
        reasons = (said("plan_gentle_why"),)
        return Plan(gentle, reasons)
    if decision.level != "self_care":
        return None
    routine = choose_routine(facts, routines, muscles)
    if routine is None:
        return None
    why = [said("plan_why_region", where=region_words(facts.region), why=routine.why[0].lower() + routine.why[1:])]
    covered = [m.replace("_", " ") for m in muscles if m in routine.muscles]
    if covered:
        why.append(said("plan_why_muscles", muscles=", ".join(covered)))
    if facts.pain_quality:
        why.append(said("plan_why_quality", feels=said(f"quality_words_{facts.pain_quality}")))
    return Plan(routine, tuple(why), tuple(_adjustments(facts)))


def _adjustments(facts: Facts) -> List[str]:
    """Changes to the standard dose for this person, each with its reason."""
    out: List[str] = []
    if facts.severity is not None and facts.severity >= 6:
        out.append(said("plan_dose_painful", severity=facts.severity))
    elif facts.severity is not None and facts.severity <= 3:
        out.append(said("plan_dose_mild", severity=facts.severity))
    if facts.duration_days is not None and facts.duration_days >= 28:
        out.append(said("plan_dose_stubborn"))
    elif facts.duration_days is not None and facts.duration_days <= 2:
        out.append(said("plan_dose_new"))
    if facts.pain_quality == "stiffness":
        out.append(said("plan_dose_stiff"))
    return out


def tailor(plan: Plan, preferences: Preferences, tools: Mapping[str, Tool], facts: Optional[Facts] = None
           ) -> Plan:
    """The plan with its steps, tools and length fitted to the person, the reasons added to its adjustments."""
    r = plan.routine
    result = tailor_steps(
        r.steps, r.tools, r.minutes, r.gentle, preferences, tools,
        conditions=facts.conditions if facts else frozenset(),
        severity=facts.severity if facts else None, duration_days=facts.duration_days if facts else None)
    return dataclasses.replace(plan, steps=result.steps, tool_ids=result.tool_ids, minutes=result.minutes,
                               adjustments=tuple(plan.adjustments) + result.reasons)
