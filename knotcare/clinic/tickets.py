"""Handoff tickets: the summary staff read, stored in SQL (a personal table), opened and closed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence
from urllib.parse import quote

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from knotcare import schema as t
from knotcare.privacy import person_id
from knotcare.triage.engine import Rule
from knotcare.triage.screen import SCREEN

#: The red-flag screen's slots and what each question covered, in staff's words.
SCREEN_SLOTS = {slot: question.covers for slot, question in SCREEN.items()}


def conversation_path(sender_id: str) -> str:
    """The Rasa HTTP API path of a conversation's tracker (add the server and `?token=` to open it)."""
    return f"/conversations/{quote(sender_id, safe='')}/tracker"


def summary_from_slots(slots: Mapping[str, Any]) -> Dict[str, Any]:
    """The structured summary staff read, from the conversation's slots (facts only, never message texts)."""
    def answer(value: Any) -> str:
        return "yes" if value is True else "no" if value is False else "not asked"

    return {
        "region": slots.get("body_region"),
        "pain_quality": slots.get("pain_quality"),
        "duration_days": slots.get("pain_duration_days"),
        "severity": slots.get("pain_severity"),
        "red_flags": list(slots.get("red_flags") or []),
        "screen": {name: answer(slots.get(name)) for name in SCREEN_SLOTS},
        "conditions": list(slots.get("conditions") or []),
        "routine_tried": slots.get("routine_id"),
        "triage_level": slots.get("triage_level"),
        "subject": slots.get("subject") or "self",
        "writer": slots.get("writer"),
        "age": slots.get("age"),
        "triage_rule_ids": list(slots.get("triage_rule_ids") or []),
        "triage_rules_version": slots.get("triage_rules_version"),
    }


def reasons_for(rules: Sequence[Rule], summary: Mapping[str, Any]) -> List[str]:
    """The decision's reasons in plain words (its deciding rules' messages, worded for the subject)."""
    ids = set(summary.get("triage_rule_ids") or ())
    level = summary.get("triage_level")
    return [rule.message_for(summary.get("subject")) for rule in rules if rule.id in ids and rule.level == level]


#: Control characters (a terminal's escape sequences among them) never reach a screen from a summary.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: The longest value a summary line shows: canonical codes are far shorter, so more is not ours.
MAX_SHOWN = 60


def shown(value: Any) -> str:
    """One value of a summary or a ticket as it may be shown: no control characters, at most MAX_SHOWN long."""
    text = CONTROL.sub(" ", str(value))
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def summary_lines(summary: Mapping[str, Any]) -> List[str]:
    """The summary as short lines for a person to read (CLI and Slack)."""
    def show(value: Any) -> str:
        if value in (None, [], ""):
            return "—"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return ", ".join(map(shown, value)) if isinstance(value, list) else shown(value)

    screen = summary.get("screen") or {}
    asked = [f"{SCREEN_SLOTS.get(k, shown(k))}: {shown(v)}" for k, v in screen.items() if v != "not asked"]
    return [
        f"Region: {show(summary.get('region'))}",
        f"Pain: {show(summary.get('pain_quality'))}",
        f"Duration (days): {show(summary.get('duration_days'))}",
        f"Severity (0-10): {show(summary.get('severity'))}",
        f"Red flags: {show(summary.get('red_flags'))}",
        f"Red-flag screen: {'; '.join(asked) if asked else 'not asked'}",
        f"Conditions: {show(summary.get('conditions'))}",
        f"Routine tried: {show(summary.get('routine_tried'))}",
        f"Triage level: {show(summary.get('triage_level'))}",
        f"Whose pain: {'someone the writer asks for' if summary.get('subject') == 'other' else 'the writer'}"
        + (f" ({shown(summary['writer']).replace('_', ' ')})" if summary.get("writer") else ""),
        f"Rules: {show(summary.get('triage_rule_ids'))} (version {show(summary.get('triage_rules_version'))})",
    ] + [f"Why: {CONTROL.sub(' ', str(reason))}" for reason in summary.get("reasons") or ()]


@dataclass(frozen=True)
class Ticket:
    """One handoff ticket."""

    id: int
    person_id: str
    conversation: str
    reason: str
    status: str
    summary: Dict[str, Any]
    created_at: dt.datetime
    closed_at: Optional[dt.datetime] = None
    closed_by: Optional[str] = None
    slack_channel: Optional[str] = None
    slack_ts: Optional[str] = None
    slack_error: Optional[str] = None


def _ticket(row: Mapping[str, Any]) -> Ticket:
    return Ticket(**{key: row[key] for key in Ticket.__dataclass_fields__})


class TicketRepository:
    """Queries on handoff tickets, inside a unit of work's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def open_for(self, sender_id: str) -> Optional[Ticket]:
        """The conversation's open ticket, if there is one."""
        row = self.session.execute(
            select(t.handoff_tickets).where(t.handoff_tickets.c.person_id == person_id(sender_id),
                                            t.handoff_tickets.c.status == "open")
            .order_by(t.handoff_tickets.c.id.desc()).limit(1)
        ).mappings().first()
        return _ticket(row) if row else None

    def add(self, sender_id: str, reason: str, summary: Dict[str, Any], now: dt.datetime) -> Ticket:
        """Open a ticket for a conversation."""
        values: Dict[str, Any] = {"person_id": person_id(sender_id), "conversation": conversation_path(sender_id),
                                  "reason": reason, "status": "open", "summary": summary, "created_at": now}
        result = self.session.execute(insert(t.handoff_tickets).values(**values))
        return Ticket(id=int(result.inserted_primary_key[0]), **values)

    def get(self, ticket_id: int) -> Optional[Ticket]:
        """One ticket by number."""
        row = self.session.execute(
            select(t.handoff_tickets).where(t.handoff_tickets.c.id == ticket_id)).mappings().first()
        return _ticket(row) if row else None

    def list(self, status: Optional[str] = None) -> List[Ticket]:
        """Tickets, newest first; only one status when given."""
        statement = select(t.handoff_tickets).order_by(t.handoff_tickets.c.id.desc())
        if status:
            statement = statement.where(t.handoff_tickets.c.status == status)
        return [_ticket(row) for row in self.session.execute(statement).mappings()]

    def since(self, when: dt.datetime) -> List[Ticket]:
        """Tickets opened at or after `when`, oldest first (what an export picks up)."""
        statement = select(t.handoff_tickets).where(t.handoff_tickets.c.created_at >= when) \
            .order_by(t.handoff_tickets.c.id)
        return [_ticket(row) for row in self.session.execute(statement).mappings()]

    def of_person(self, sender_id: str) -> List[Ticket]:
        """Every ticket of one conversation's person."""
        statement = select(t.handoff_tickets).where(t.handoff_tickets.c.person_id == person_id(sender_id))
        return [_ticket(row) for row in self.session.execute(statement).mappings()]

    def unsent(self) -> List[Ticket]:
        """Open tickets whose staff message Slack did not take, oldest first."""
        statement = select(t.handoff_tickets).where(t.handoff_tickets.c.status == "open",
                                                    t.handoff_tickets.c.slack_error.is_not(None)) \
            .order_by(t.handoff_tickets.c.id)
        return [_ticket(row) for row in self.session.execute(statement).mappings()]

    def set_slack_message(self, ticket_id: int, channel: str, ts: str) -> None:
        """Remember where the staff message went, so it can be updated when the ticket closes."""
        self.session.execute(update(t.handoff_tickets).where(t.handoff_tickets.c.id == ticket_id)
                             .values(slack_channel=channel, slack_ts=ts, slack_error=None))

    def set_slack_error(self, ticket_id: int, error: str) -> None:
        """Remember that Slack did not take the staff message, and why."""
        self.session.execute(update(t.handoff_tickets).where(t.handoff_tickets.c.id == ticket_id)
                             .values(slack_error=error[:60]))

    def close(self, ticket_id: int, by: str, now: dt.datetime) -> Optional[Ticket]:
        """Close a ticket (closing a closed one changes nothing); None if there is no such ticket."""
        self.session.execute(
            update(t.handoff_tickets)
            .where(t.handoff_tickets.c.id == ticket_id, t.handoff_tickets.c.status == "open")
            .values(status="closed", closed_at=now, closed_by=by[:120])
        )
        return self.get(ticket_id)
