"""Handing a conversation over to the clinic's staff: a ticket, a staff message, and what the person is told.

The use cases take a unit of work: the ticket is committed before Slack is called, so no transaction stays open
while Slack answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from knotcare.clinic import answers
from knotcare.clinic.hours import Hours
from knotcare.clinic.profile import ClinicProfile
from knotcare.clinic.slack import Posted, SlackSettings, delete_ticket_messages, post_ticket
from knotcare.clinic.tickets import Ticket, TicketRepository, reasons_for, summary_from_slots
from knotcare.content import Wording
from knotcare.kb.db import UnitOfWork


@dataclass(frozen=True)
class Handoff:
    """The outcome: the ticket, whether it is new, whether staff were messaged, and the reply."""

    ticket: Ticket
    new: bool
    notified: bool
    reply: str


def when_staff_answer(profile: ClinicProfile, now: dt.datetime, said: Wording) -> str:
    """When staff will see it: now (open) or from the next opening (closed)."""
    hours = Hours(profile)
    span = hours.current_span(now)
    if span is not None:
        return said("handoff_staff_open", clock=span.closes.strftime("%H:%M"))
    text = said("handoff_staff_closed", next_open=answers.next_opening_text(hours, now),
                zone_note=answers.zone_note(profile))
    return text + (f" {profile.staff_reply}" if profile.staff_reply else "")


def reply_text(profile: ClinicProfile, ticket: Ticket, new: bool, now: dt.datetime, said: Wording) -> str:
    """What the person is told: what happens next, and when."""
    when = when_staff_answer(profile, now, said)
    if not new:
        return said("handoff_already_with_team", name=profile.name, ticket=ticket.id, when=when, phone=profile.phone)
    return said("handoff_passed_to_team", name=profile.name, ticket=ticket.id, when=when, phone=profile.phone,
                booking_url=profile.booking_url)


async def hand_over(uow: UnitOfWork, profile: ClinicProfile, slack: SlackSettings, sender_id: str,
                    slots: Mapping[str, Any], reason: str, now: dt.datetime) -> Handoff:
    """Open a ticket (or find the open one), message staff once, and say what happens next."""
    repo = TicketRepository(uow.session)
    existing = repo.open_for(sender_id)
    if existing is not None:
        return Handoff(existing, False, False, reply_text(profile, existing, False, now, uow.messages.say))
    summary = summary_from_slots(slots)
    summary["reasons"] = reasons_for(uow.rules.all(), summary)
    ticket = repo.add(sender_id, reason, summary, now)
    uow.commit()
    posted = await notify_staff(uow, slack, ticket, profile.name)
    return Handoff(ticket, True, bool(posted.ts), reply_text(profile, ticket, True, now, uow.messages.say))


async def notify_staff(uow: UnitOfWork, slack: SlackSettings, ticket: Ticket, clinic_name: str) -> Posted:
    """Post the ticket to staff and record where it went, or why Slack did not take it."""
    posted = await post_ticket(slack, ticket, clinic_name)
    repo = TicketRepository(uow.session)
    if posted.ts:
        repo.set_slack_message(ticket.id, slack.channel, posted.ts)
    elif posted.error:
        repo.set_slack_error(ticket.id, posted.error)
    uow.commit()
    return posted


async def forget_staff_messages(uow: UnitOfWork, slack: SlackSettings, sender_id: str) -> int:
    """Delete the staff messages of a person's tickets (before their rows go, which say where they are)."""
    return await delete_ticket_messages(slack, TicketRepository(uow.session).of_person(sender_id))
