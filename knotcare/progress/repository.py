"""The progress repository: plans given, sessions and check-ins, per pseudonymous person."""

from __future__ import annotations

from typing import List, Optional

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from knotcare import schema as t
from knotcare.progress.model import Entry, PendingCheckIn, PlanRecord, as_utc, utcnow


class ProgressRepository:
    """Reads and writes one person's follow-up data inside a unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_plan(self, plan: PlanRecord) -> None:
        """Record that a plan was given."""
        self.session.execute(insert(t.person_plans).values(
            person_id=plan.person_id, routine_id=plan.routine_id, triage_level=plan.triage_level,
            given_at=plan.given_at, preferences=dict(plan.preferences)))

    def plans(self, person_id: str) -> List[PlanRecord]:
        """Every plan given to the person, oldest first."""
        rows = self.session.execute(
            select(t.person_plans).where(t.person_plans.c.person_id == person_id)
            .order_by(t.person_plans.c.given_at, t.person_plans.c.id)).mappings()
        return [PlanRecord(r["person_id"], r["routine_id"], r["triage_level"], as_utc(r["given_at"]),
                           dict(r["preferences"] or {})) for r in rows]

    def last_plan(self, person_id: str) -> Optional[PlanRecord]:
        """The most recent plan, or None."""
        plans = self.plans(person_id)
        return plans[-1] if plans else None

    def add_entry(self, entry: Entry) -> None:
        """Record a session or a check-in."""
        self.session.execute(insert(t.progress_entries).values(
            person_id=entry.person_id, kind=entry.kind, routine_id=entry.routine_id, started_at=entry.started_at,
            finished_at=entry.finished_at, pain_before=entry.pain_before, pain_after=entry.pain_after,
            notes=entry.notes))

    def entries(self, person_id: str, kind: Optional[str] = None) -> List[Entry]:
        """The person's sessions and check-ins (or one kind), oldest first."""
        query = select(t.progress_entries).where(t.progress_entries.c.person_id == person_id)
        if kind:
            query = query.where(t.progress_entries.c.kind == kind)
        rows = self.session.execute(query.order_by(t.progress_entries.c.started_at, t.progress_entries.c.id))
        return [Entry(r["person_id"], r["kind"], as_utc(r["started_at"]), r["routine_id"], as_utc(r["finished_at"]),
                      r["pain_before"], r["pain_after"], r["notes"] or "") for r in rows.mappings()]

    def arm_check_in(self, check_in: PendingCheckIn) -> None:
        """Keep the person's next check-in (one per person: a new plan moves it)."""
        self.session.execute(delete(t.pending_check_ins).where(t.pending_check_ins.c.person_id == check_in.person_id))
        self.session.execute(insert(t.pending_check_ins).values(
            person_id=check_in.person_id, conversation=check_in.conversation, reply_to=check_in.reply_to,
            due_at=check_in.due_at, created_at=utcnow()))

    def pending_check_ins(self) -> List[PendingCheckIn]:
        """Every check-in still to be asked, soonest first."""
        rows = self.session.execute(select(t.pending_check_ins).order_by(t.pending_check_ins.c.due_at)).mappings()
        return [PendingCheckIn(r["person_id"], r["conversation"], as_utc(r["due_at"]), r["reply_to"]) for r in rows]

    def take_check_in(self, person_id: str) -> bool:
        """Remove the person's pending check-in; True for the one caller that removed it (so it is asked once,
        however many Rasa instances re-armed it)."""
        deleted = self.session.execute(delete(t.pending_check_ins)
                                       .where(t.pending_check_ins.c.person_id == person_id)).rowcount
        return bool(deleted)

    def forget(self, person_id: str) -> int:
        """Delete everything stored about the person; the number of rows deleted."""
        deleted = 0
        for table in (t.progress_entries, t.person_plans, t.pending_check_ins):
            deleted += self.session.execute(delete(table).where(table.c.person_id == person_id)).rowcount or 0
        return deleted
