"""How a person is doing: the safety rules for a check-in, and a short summary. Plain Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from knotcare.content import Wording
from knotcare.progress.model import Entry, PlanRecord

#: Clearly worse this long after a session is not ordinary post-massage soreness (24-48 h).
WORSE_AFTER_HOURS = 48
#: No better after about three weeks of self-care: a clinician should look at it.
NO_IMPROVEMENT_DAYS = 21
#: Answers to "how has it been?"
ANSWERS = ("better", "same", "worse")
#: Reminder kinds. Rasa 3.6 uses a reminder's name as the scheduler's job id and replaces a job of the same id,
#: so each name carries the person (pseudonymously): one person's check-in never replaces another's.
CHECK_IN = "knotcare_check_in"
HOLD = "knotcare_hold"
#: The intent the check-in reminder brings.
CHECK_IN_INTENT = "EXTERNAL_check_in"


def reminder_name(kind: str, person_id: str) -> str:
    """The reminder's name (and so its job id) for this kind and this (pseudonymous) person."""
    return f"{kind}_{person_id}"


@dataclass(frozen=True)
class CheckInOutcome:
    """The red-flag codes a check-in raises (none, or the contract's follow-up codes) and what to say."""

    red_flags: Tuple[str, ...]
    message_key: str


def assess_check_in(answer: str, now: dt.datetime, last_activity_at: Optional[dt.datetime],
                    first_plan_at: Optional[dt.datetime]) -> CheckInOutcome:
    """Apply the follow-up safety rules to an answer ("better", "same" or "worse").

    `last_activity_at` is the last session (or, without one, the last plan given); `first_plan_at` is when
    self-care started.
    """
    if answer not in ANSWERS:
        raise ValueError(f"unknown check-in answer {answer!r}")
    flags = []
    if answer == "worse" and last_activity_at is not None and \
            now - last_activity_at >= dt.timedelta(hours=WORSE_AFTER_HOURS):
        flags.append("worse_after_self_care")
    if answer in ("same", "worse") and first_plan_at is not None and \
            now - first_plan_at >= dt.timedelta(days=NO_IMPROVEMENT_DAYS):
        flags.append("no_improvement")
    if flags:
        return CheckInOutcome(tuple(flags), "check_in_see_clinician")
    return CheckInOutcome((), {"better": "check_in_better", "same": "check_in_same",
                               "worse": "check_in_worse_early"}[answer])


def last_activity(plans: Sequence[PlanRecord], entries: Sequence[Entry]) -> Optional[dt.datetime]:
    """When the person last did (or was given) something: the latest session or plan."""
    times = [p.given_at for p in plans] + [e.finished_at or e.started_at for e in entries if e.kind == "session"]
    return max(times) if times else None


def summary(plans: Sequence[PlanRecord], entries: Sequence[Entry], now: dt.datetime, said: Wording) -> str:
    """A few sentences on the stored sessions, in the reviewed messages `said` fills in: how many, pain before and
    after, the latest one."""
    sessions = [e for e in entries if e.kind == "session" and e.pain_before is not None and e.pain_after is not None]
    if not sessions:
        if plans:
            return said("progress_no_sessions", ago=_ago((now - plans[0].given_at).days, said))
        return said("progress_nothing_yet")
    first, last = sessions[0], sessions[-1]
    before = sum(s.pain_before for s in sessions) / len(sessions)  # type: ignore[misc]
    after = sum(s.pain_after for s in sessions) / len(sessions)  # type: ignore[misc]
    text = said("progress_one_session" if len(sessions) == 1 else "progress_sessions", count=len(sessions),
                first=f"{first.started_at:%d %b}", ago=_ago((now - first.started_at).days, said),
                before=f"{before:.1f}", after=f"{after:.1f}", last_before=last.pain_before, last_after=last.pain_after)
    if len(sessions) >= 2:
        change = last.pain_before - first.pain_before  # type: ignore[operator]
        trend = "lower" if change < 0 else "higher" if change > 0 else "same"
        text += " " + said(f"progress_trend_{trend}", first=first.pain_before, last=last.pain_before)
    return text


def _ago(days: int, said: Wording) -> str:
    return said("ago_today") if days <= 0 else said("ago_yesterday") if days == 1 else said("ago_days", days=days)
