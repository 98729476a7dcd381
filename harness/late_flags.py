"""Red flags said late, labelled blind: does a sign typed at any stage of a conversation still win?

Each case (tests/triage/late_flags_blind.yml) is an ordinary opening; every question the assistant asks is
answered harmlessly (a dull ache, a week, 4/10, No to every screen question, a tennis ball, 10 minutes,
no trouble with the floor) until the case's stage is reached, where the case's message is typed instead.
After it, any intake question still open is answered harmlessly too, and the level the tracker holds is the
outcome. The stages run from the intake's first question to the check-in days after the routine:

region, quality, duration, severity: the intake's questions; tools, minutes, mobility: the plan's
preferences; after_plan: a remark once the routine is given; pain_before, guided_step, pain_after: the
step-by-step session; check_in: the answer to "how has it been since?" three days later (the stored plan is
moved back in the knowledge base, so a check-in case needs the servers' database URL).

A serious case (gold emergency, urgent or see_clinician) decided below the clinician levels is a miss, and a
dangerous one when gold is emergency or urgent; a benign case (gold self_care) sent to a clinician is a false
alarm.
"""

from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml
from sqlalchemy import update

from harness.vignettes import SERIOUS, Assistant
from knotcare import schema as tables
from knotcare.kb import KnowledgeBase
from knotcare.privacy import person_id
from knotcare.triage.engine import LEVELS, urgency

STAGES = ("region", "quality", "duration", "severity", "tools", "minutes", "mobility", "after_plan",
          "pain_before", "guided_step", "pain_after", "check_in")
#: The stage a question belongs to, by the slot it asks for.
STAGE_OF_SLOT = {"body_region": "region", "pain_quality": "quality", "pain_duration_days": "duration",
                 "pain_severity": "severity", "tools_available": "tools", "session_minutes": "minutes",
                 "limited_mobility": "mobility", "pain_before": "pain_before", "pain_after": "pain_after"}
#: The harmless answer to each question (buttons' payloads, as a person tapping them would send).
HARMLESS = {"body_region": '/describe_pain{"body_region":"upper_back"}',
            "pain_quality": '/describe_pain{"pain_quality":"dull_ache"}',
            "pain_duration_days": '/describe_pain{"duration":"1 week"}',
            "pain_severity": '/describe_pain{"severity":"4/10"}',
            "tools_available": '/inform_preferences{"tool":"tennis_ball"}',
            "session_minutes": '/inform_preferences{"minutes":"10"}',
            "limited_mobility": "/deny", "pain_before": "5", "pain_after": "3"}
INTAKE_SLOTS = ("body_region", "pain_quality", "pain_duration_days", "pain_severity")
CLINICIAN = SERIOUS + ("see_clinician",)
MAX_TURNS = 20


@dataclass(frozen=True)
class LateCase:
    """One case: the opening, the stage, the message typed there, and the level it must lead to."""

    id: str
    stage: str
    subject: str
    opener: str
    message: str
    gold: str
    flags: frozenset = frozenset()
    writer: str = "self"


@dataclass
class LateOutcome:
    """The level after the late message, with the transcript for anyone checking."""

    case: LateCase
    level: Optional[str]
    red_flags: frozenset
    transcript: List[str] = field(default_factory=list)
    error: str = ""

    @property
    def serious(self) -> bool:
        """Gold sends the person to a clinician."""
        return self.case.gold in CLINICIAN

    @property
    def missed(self) -> bool:
        """A serious case left below the clinician levels (a routine, gentle advice or no decision)."""
        return self.serious and self.level not in CLINICIAN

    @property
    def dangerous(self) -> bool:
        """An emergency or urgent case left below the clinician levels."""
        return self.case.gold in SERIOUS and self.missed

    @property
    def under(self) -> bool:
        """Decided less urgently than gold (or not at all)."""
        return self.level not in LEVELS or urgency(self.level) > urgency(self.case.gold)

    @property
    def false_alarm(self) -> bool:
        """A benign case sent to a clinician."""
        return not self.serious and self.level in CLINICIAN

    @property
    def flags_missed(self) -> frozenset:
        """The red flags the message names that were not read."""
        return self.case.flags - self.red_flags


def load_cases(path: Path) -> List[LateCase]:
    """The labelled cases in `path`; ValueError on an unknown stage or level, or a duplicate id."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    cases = [LateCase(str(r["id"]), str(r["stage"]), str(r.get("subject", "self")), str(r["opener"]),
                      str(r["message"]), str(r["gold"]), frozenset(r.get("flags") or ()),
                      str(r.get("writer", "self"))) for r in rows]
    if len({c.id for c in cases}) != len(cases):
        raise ValueError(f"{path}: duplicate case ids")
    for case in cases:
        if case.stage not in STAGES or case.gold not in LEVELS:
            raise ValueError(f"{path}: case {case.id}: unknown stage or level ({case.stage}, {case.gold})")
    return cases


def _stage(slots: Dict[str, Any], replies: Sequence[Dict[str, Any]]) -> Optional[str]:
    requested = slots.get("requested_slot")
    if requested:
        return STAGE_OF_SLOT.get(requested)
    if not slots.get("triage_level") and any('"body_region"' in b.get("payload", "")
                                             for r in replies for b in r.get("buttons") or ()):
        return "region"  # the greeting asks where it bothers them, with the regions' buttons
    if slots.get("guided_session") == "active":
        return "guided_step"
    if slots.get("routine_id") and not slots.get("guided_session"):
        return "after_plan"
    return None


def plan_given_days_ago(database_url: str, sender: str, days: int) -> None:
    """Move the sender's stored plans back `days` days, as if that time had passed (the servers read this database)."""
    kb = KnowledgeBase(database_url)
    try:
        with kb.engine.begin() as connection:
            connection.execute(update(tables.person_plans)
                               .where(tables.person_plans.c.person_id == person_id(sender))
                               .values(given_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)))
    finally:
        kb.dispose()


def run_case(assistant: Assistant, case: LateCase, sender: str) -> LateOutcome:
    """Hold the case's conversation up to its stage, type its message there, and read the level."""
    transcript: List[str] = []

    replies: List[Dict[str, Any]] = []

    def turn(text: str) -> Dict[str, Any]:
        transcript.append(f"> {text}")
        replies[:] = assistant.say(sender, text)
        transcript.extend(f"< {r.get('text', '')[:160]}" for r in replies)
        return assistant.slots(sender)

    def outcome(slots: Dict[str, Any], error: str = "") -> LateOutcome:
        return LateOutcome(case, slots.get("triage_level"), frozenset(slots.get("red_flags") or ()), transcript, error)

    slots = turn(case.opener)
    # Up to the stage: the intake's and the preferences' questions answered harmlessly, the guided session
    # started and stepped, the routine's check-in brought forward.
    for _ in range(MAX_TURNS):
        stage = _stage(slots, replies)
        if case.stage == "check_in" and stage == "after_plan":
            if not assistant.database_url:
                return outcome(slots, "a check-in case needs the servers' database URL")
            plan_given_days_ago(assistant.database_url, sender, 3)
            slots = turn("/session_start")
            break
        if stage == case.stage:
            break
        requested = slots.get("requested_slot")
        if requested and requested.startswith("screen_"):
            slots = turn("/deny")
        elif requested in HARMLESS:
            slots = turn(HARMLESS[requested])
        elif stage == "after_plan":
            slots = turn("/start_guided_session")
        elif stage == "guided_step":
            slots = turn("/step_stop" if case.stage == "pain_after" else "/step_next")
        else:
            return outcome(slots, f"stuck before {case.stage} (asked for {requested!r})")
    else:
        return outcome(slots, f"{case.stage} not reached")
    slots = turn(case.message)
    # An intake still open after the message goes on harmlessly to its decision.
    for _ in range(MAX_TURNS):
        requested = slots.get("requested_slot") or ""
        if slots.get("triage_level") or not (requested in INTAKE_SLOTS or requested.startswith("screen_")):
            break
        slots = turn("/deny" if requested.startswith("screen_") else HARMLESS[requested])
    return outcome(slots, "" if slots.get("triage_level") else "no decision")


def run_all(assistant: Assistant, cases: Sequence[LateCase], prefix: str = "late") -> List[LateOutcome]:
    """Every case held once, four conversations at a time, in the set's order."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda c: run_case(assistant, c, f"{prefix}-{uuid.uuid4().hex[:6]}-{c.id}"[:64]),
                                 cases))


def figures(outcomes: Sequence[LateOutcome]) -> Dict[str, Any]:
    """Per stage: serious cases caught and benign ones left alone; overall: dangerous misses, exact level."""
    per_stage: Dict[str, Dict[str, int]] = {}
    for stage in STAGES:
        group = [o for o in outcomes if o.case.stage == stage]
        serious = [o for o in group if o.serious]
        per_stage[stage] = {"caught": sum(not o.missed for o in serious), "serious": len(serious),
                            "left": sum(not o.false_alarm for o in group if not o.serious),
                            "benign": len(group) - len(serious)}
    flagged = [o for o in outcomes if o.case.flags]
    return {"per_stage": per_stage, "total": len(outcomes),
            "exact": sum(o.level == o.case.gold for o in outcomes),
            "dangerous": [o for o in outcomes if o.dangerous],
            "missed": [o for o in outcomes if o.missed],
            "false_alarms": [o for o in outcomes if o.false_alarm],
            "errors": [o for o in outcomes if o.error and o.error != "no decision"],
            "flags": (sum(not o.flags_missed for o in flagged), len(flagged))}
