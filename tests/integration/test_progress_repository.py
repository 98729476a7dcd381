"""The progress repository on real SQLite and PostgreSQL: plans, sessions, check-ins, forgetting."""

from __future__ import annotations

import datetime as dt

import pytest

from knotcare.kb import KnowledgeBase
from knotcare.kb.seed import seed
from knotcare.progress import Entry, PlanRecord

T0 = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(params=["sqlite", "postgres"])
def kb(request) -> KnowledgeBase:
    return request.getfixturevalue(f"{request.param}_kb")


def test_plans_and_entries_round_trip_in_order_and_in_utc(kb: KnowledgeBase) -> None:
    with kb.unit_of_work() as uow:
        uow.progress.add_plan(PlanRecord("p1", "neck_side", "self_care", T0 + dt.timedelta(days=2),
                                         {"tools_available": ["fingertips"], "session_minutes": 3.0}))
        uow.progress.add_plan(PlanRecord("p1", "neck_base_of_skull", "self_care", T0))
        uow.progress.add_plan(PlanRecord("p2", "shoulders_top", "self_care", T0))
        uow.progress.add_entry(Entry("p1", "session", T0 + dt.timedelta(days=1), "neck_side",
                                     T0 + dt.timedelta(days=1, minutes=9), 6, 3))
        uow.progress.add_entry(Entry("p1", "check_in", T0 + dt.timedelta(days=3), "neck_side", notes="better"))
        uow.commit()
    with kb.unit_of_work() as uow:
        plans = uow.progress.plans("p1")
        assert [p.routine_id for p in plans] == ["neck_base_of_skull", "neck_side"]
        assert plans[-1].given_at == T0 + dt.timedelta(days=2) and plans[-1].given_at.tzinfo is not None
        assert plans[-1].preferences == {"tools_available": ["fingertips"], "session_minutes": 3.0}
        assert uow.progress.last_plan("p1").routine_id == "neck_side"
        assert uow.progress.last_plan("nobody") is None
        sessions = uow.progress.entries("p1", kind="session")
        assert [(s.pain_before, s.pain_after) for s in sessions] == [(6, 3)]
        assert sessions[0].finished_at - sessions[0].started_at == dt.timedelta(minutes=9)
        assert [e.kind for e in uow.progress.entries("p1")] == ["session", "check_in"]


def test_forget_deletes_one_person_only(kb: KnowledgeBase) -> None:
    with kb.unit_of_work() as uow:
        for pid in ("a", "b"):
            uow.progress.add_plan(PlanRecord(pid, "neck_side", "self_care", T0))
            uow.progress.add_entry(Entry(pid, "session", T0, "neck_side", T0, 5, 4))
        uow.commit()
    with kb.unit_of_work() as uow:
        assert uow.progress.forget("a") == 2
        uow.commit()
    with kb.unit_of_work() as uow:
        assert not uow.progress.plans("a") and not uow.progress.entries("a")
        assert len(uow.progress.plans("b")) == 1 and len(uow.progress.entries("b")) == 1


def test_a_rollback_keeps_nothing_and_reseeding_keeps_history(kb: KnowledgeBase, content) -> None:
    with pytest.raises(RuntimeError):
        with kb.unit_of_work() as uow:
            uow.progress.add_plan(PlanRecord("r", "neck_side", "self_care", T0))
            raise RuntimeError("boom")
    with kb.unit_of_work() as uow:
        assert uow.progress.plans("r") == []
        uow.progress.add_plan(PlanRecord("r", "neck_side", "self_care", T0))
        uow.commit()
    seed(kb, content)  # new reviewed content must never delete a person's history
    with kb.unit_of_work() as uow:
        assert len(uow.progress.plans("r")) == 1


def test_a_pending_check_in_is_kept_moved_by_a_new_plan_and_taken_once(kb: KnowledgeBase) -> None:
    from knotcare.progress.model import PendingCheckIn

    with kb.unit_of_work() as uow:
        uow.progress.arm_check_in(PendingCheckIn("pc1", "telegram:1", T0 + dt.timedelta(days=2)))
        uow.progress.arm_check_in(PendingCheckIn("pc2", "slack:T1:U2", T0 + dt.timedelta(days=1), "D0DM"))
        # A new plan for the same person moves their check-in; there is still one.
        uow.progress.arm_check_in(PendingCheckIn("pc1", "telegram:1", T0 + dt.timedelta(days=4)))
        uow.commit()
    with kb.unit_of_work() as uow:
        assert [c for c in uow.progress.pending_check_ins() if c.person_id.startswith("pc")] == [
            PendingCheckIn("pc2", "slack:T1:U2", T0 + dt.timedelta(days=1), "D0DM"),
            PendingCheckIn("pc1", "telegram:1", T0 + dt.timedelta(days=4))]
        assert uow.progress.take_check_in("pc1") is True
        uow.commit()
    with kb.unit_of_work() as uow:
        # A second instance firing the same check-in finds it taken.
        assert uow.progress.take_check_in("pc1") is False
        assert uow.progress.forget("pc2") == 1
        uow.commit()
        assert [c for c in uow.progress.pending_check_ins() if c.person_id.startswith("pc")] == []
