"""Repositories: the only place that builds queries. They return plain content objects."""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from knotcare import schema as t
from knotcare.content import FOR_OTHER, Answer, Message, Referral, Routine, Step, Tool
from knotcare.triage.engine import Rule


class _Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _rows(self, statement) -> List:  # type: ignore[no-untyped-def]
        return list(self.session.execute(statement).mappings())


class RoutineRepository(_Repository):
    """Routines with their regions, muscles, tools, steps and cautions."""

    def get(self, routine_id: str) -> Optional[Routine]:
        """One routine by id, or None."""
        found = self._load(select(t.routines).where(t.routines.c.id == routine_id))
        return found[0] if found else None

    def for_region(self, region: str, gentle: bool = False) -> List[Routine]:
        """Routines for a region (gentle ones only when asked), in id order."""
        ids = select(t.routine_regions.c.routine_id).where(t.routine_regions.c.region == region)
        return self._load(
            select(t.routines)
            .where(t.routines.c.id.in_(ids), t.routines.c.gentle == gentle)
            .order_by(t.routines.c.id)
        )

    def all(self) -> List[Routine]:
        """Every routine, in id order."""
        return self._load(select(t.routines).order_by(t.routines.c.id))

    def _load(self, statement) -> List[Routine]:  # type: ignore[no-untyped-def]
        heads = self._rows(statement)
        if not heads:
            return []
        ids = [row["id"] for row in heads]
        regions = self._grouped(t.routine_regions, "region", ids, t.routine_regions.c.position)
        muscles = self._grouped(t.routine_muscles, "muscle", ids, t.routine_muscles.c.position)
        tools = self._grouped(t.routine_tools, "tool_id", ids, t.routine_tools.c.position)
        cautions = self._grouped(t.routine_cautions, "text", ids, t.routine_cautions.c.position)
        steps: Dict[str, List[Step]] = {}
        for row in self._rows(
            select(t.routine_steps).where(t.routine_steps.c.routine_id.in_(ids)).order_by(t.routine_steps.c.position)
        ):
            steps.setdefault(row["routine_id"], []).append(
                Step(row["kind"], row["text"], row["tool_id"], row["hold_seconds_min"], row["hold_seconds_max"],
                     row["repetitions"], row["rest_seconds"], row["place"])
            )
        return [
            Routine(
                id=row["id"], title=row["title"], regions=tuple(regions.get(row["id"], ())),
                muscles=tuple(muscles.get(row["id"], ())), tools=tuple(tools.get(row["id"], ())),
                steps=tuple(steps.get(row["id"], ())), cautions=tuple(cautions.get(row["id"], ())),
                minutes=row["minutes"], pressure=row["pressure"], frequency=row["frequency"],
                warm_up=row["warm_up"], aftercare=row["aftercare"], why=row["why"], source=row["source"],
                gentle=bool(row["gentle"]), notes=row["notes"] or "",
            )
            for row in heads
        ]

    def _grouped(self, table, column: str, ids: Sequence[str], order) -> Dict[str, List[str]]:  # type: ignore[no-untyped-def]
        grouped: Dict[str, List[str]] = {}
        for row in self._rows(select(table).where(table.c.routine_id.in_(ids)).order_by(order)):
            grouped.setdefault(row["routine_id"], []).append(row[column])
        return grouped

    def add(self, routine: Routine) -> None:
        """Insert a routine and its parts (seeding)."""
        self.session.execute(insert(t.routines).values(
            id=routine.id, title=routine.title, gentle=routine.gentle, minutes=routine.minutes,
            pressure=routine.pressure, frequency=routine.frequency, warm_up=routine.warm_up,
            aftercare=routine.aftercare, why=routine.why, notes=routine.notes, source=routine.source,
        ))
        rid = routine.id
        self._insert_many(t.routine_regions, [{"routine_id": rid, "region": r, "position": i}
                                              for i, r in enumerate(routine.regions)])
        self._insert_many(t.routine_muscles, [{"routine_id": rid, "muscle": m, "position": i}
                                              for i, m in enumerate(routine.muscles)])
        self._insert_many(t.routine_tools, [{"routine_id": rid, "tool_id": tool, "position": i}
                                            for i, tool in enumerate(routine.tools)])
        self._insert_many(t.routine_cautions, [{"routine_id": rid, "position": i, "text": c}
                                               for i, c in enumerate(routine.cautions)])
        self._insert_many(t.routine_steps, [
            {"routine_id": rid, "position": i, "kind": s.kind, "text": s.text, "tool_id": s.tool,
             "hold_seconds_min": s.hold_min, "hold_seconds_max": s.hold_max, "repetitions": s.repetitions,
             "rest_seconds": s.rest_seconds, "place": s.place}
            for i, s in enumerate(routine.steps)
        ])

    def _insert_many(self, table, rows: List[dict]) -> None:  # type: ignore[no-untyped-def]
        if rows:
            self.session.execute(insert(table), rows)


class ToolRepository(_Repository):
    """Self-massage tools."""

    def get(self, tool_id: str) -> Optional[Tool]:
        """One tool by id, or None."""
        rows = self._rows(select(t.tools).where(t.tools.c.id == tool_id))
        return self._tool(rows[0]) if rows else None

    def all(self) -> List[Tool]:
        """Every tool, in id order."""
        return [self._tool(r) for r in self._rows(select(t.tools).order_by(t.tools.c.id))]

    @staticmethod
    def _tool(row) -> Tool:  # type: ignore[no-untyped-def]
        return Tool(row["id"], row["name"], row["good_for"], row["how_to_use"], row["buying_tips"],
                    tuple(row["cautions"] or ()), row["source"])

    def add(self, tool: Tool) -> None:
        """Insert a tool (seeding)."""
        self.session.execute(insert(t.tools).values(
            id=tool.id, name=tool.name, good_for=tool.good_for, how_to_use=tool.how_to_use,
            buying_tips=tool.buying_tips, cautions=list(tool.cautions), source=tool.source,
        ))


class TriageRuleRepository(_Repository):
    """Triage rules in their reviewed order."""

    def all(self) -> List[Rule]:
        """Every rule, in the order of the reviewed file."""
        return [
            Rule(r["id"], r["level"], dict(r["conditions"] or {}), r["message"], r["source"],
                 r["message_for_other"] or "")
            for r in self._rows(select(t.triage_rules).order_by(t.triage_rules.c.position))
        ]

    def add_all(self, rules: Iterable[Rule]) -> None:
        """Insert rules, keeping their order (seeding)."""
        rows = [{"id": r.id, "position": i, "level": r.level, "conditions": dict(r.when), "message": r.message,
                 "source": r.source, "message_for_other": r.message_for_other} for i, r in enumerate(rules)]
        if rows:
            self.session.execute(insert(t.triage_rules), rows)


class AnswerRepository(_Repository):
    """Answers to common questions, by topic (the intent name)."""

    def get(self, topic: str) -> Optional[Answer]:
        """The answer for a topic, or None."""
        rows = self._rows(select(t.answers).where(t.answers.c.topic == topic))
        if not rows:
            return None
        row = rows[0]
        return Answer(row["topic"], row["text"], row["source"], dict(row["region_notes"] or {}))

    def topics(self) -> List[str]:
        """Every topic with an answer."""
        return [r["topic"] for r in self._rows(select(t.answers.c.topic).order_by(t.answers.c.topic))]

    def add(self, answer: Answer) -> None:
        """Insert an answer (seeding)."""
        self.session.execute(insert(t.answers).values(
            topic=answer.topic, text=answer.text, region_notes=dict(answer.region_notes), source=answer.source))


class ReferralRepository(_Repository):
    """Referral patterns: which muscles commonly send pain where."""

    def for_muscle(self, muscle: str) -> Optional[Referral]:
        """The referral pattern of one muscle, or None."""
        rows = self._rows(select(t.referrals).where(t.referrals.c.muscle == muscle))
        return self._referral(rows[0]) if rows else None

    def all(self) -> List[Referral]:
        """Every referral pattern."""
        return [self._referral(r) for r in self._rows(select(t.referrals).order_by(t.referrals.c.id))]

    @staticmethod
    def _referral(row) -> Referral:  # type: ignore[no-untyped-def]
        return Referral(row["muscle"], tuple(row["pain_areas"]), tuple(row["regions"]), tuple(row["routine_ids"]),
                        row["note"], row["source"])

    def add(self, referral: Referral) -> None:
        """Insert a referral pattern (seeding)."""
        self.session.execute(insert(t.referrals).values(
            muscle=referral.muscle, pain_areas=list(referral.pain_areas), regions=list(referral.regions),
            routine_ids=list(referral.routine_ids), note=referral.note, source=referral.source))


class MessageRepository(_Repository):
    """What actions say, by key."""

    def get(self, key: str) -> Message:
        """The message for a key; a missing key is a content error, so it raises KeyError."""
        rows = self._rows(select(t.messages).where(t.messages.c.key == key))
        if not rows:
            raise KeyError(f"no message {key!r} in the knowledge base")
        return Message(rows[0]["key"], rows[0]["text"], tuple(rows[0]["buttons"] or ()))

    def say(self, key: str, **values: object) -> str:
        """The message's text with its placeholders filled in (a `Wording` for the domain's use cases)."""
        return self.get(key).format(**values)

    def for_subject(self, key: str, subject: Optional[str]) -> Message:
        """The message worded for the conversation's subject: its `_for_other` variant when the writer asks for
        someone else and the message has one, else the message itself."""
        if subject == "other":
            rows = self._rows(select(t.messages).where(t.messages.c.key == key + FOR_OTHER))
            if rows:
                return Message(key, rows[0]["text"], tuple(rows[0]["buttons"] or ()))
        return self.get(key)

    def add(self, message: Message) -> None:
        """Insert a message (seeding)."""
        self.session.execute(insert(t.messages).values(key=message.key, text=message.text,
                                                       buttons=[dict(b) for b in message.buttons]))


class MetaRepository(_Repository):
    """Small key/value facts about the knowledge base itself (what was seeded, when)."""

    def get(self, key: str) -> Optional[str]:
        """A value, or None."""
        rows = self._rows(select(t.kb_meta.c.value).where(t.kb_meta.c.key == key))
        return rows[0]["value"] if rows else None

    def set(self, key: str, value: str) -> None:
        """Set a value (replacing any earlier one)."""
        self.session.execute(delete(t.kb_meta).where(t.kb_meta.c.key == key))
        self.session.execute(insert(t.kb_meta).values(key=key, value=value))

    def clear_content(self) -> None:
        """Delete all reviewed content (before a fresh seed), children first."""
        for table in t.CONTENT_TABLES:
            self.session.execute(delete(table))
