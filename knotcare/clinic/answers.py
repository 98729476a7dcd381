"""The front desk's answers, written from the clinic profile (and, for hours, the current time)."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Dict, List

from knotcare.clinic.hours import Hours
from knotcare.clinic.profile import WEEKDAYS, ClinicProfile
from knotcare.clinic.when import When, read_when


def _clock(value: dt.time | dt.datetime) -> str:
    return value.strftime("%H:%M")


def _date(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"


def _spans(spans: tuple) -> str:
    return " and ".join(f"{_clock(o)}–{_clock(c)}" for o, c in spans)


def zone_note(profile: ClinicProfile) -> str:
    """"(times are London time)": whose clock the times are on."""
    return f"(times are {profile.timezone.split('/')[-1].replace('_', ' ')} time)"


def next_opening_text(hours: Hours, now: dt.datetime) -> str:
    """"We next open tomorrow at 08:00." (or that no opening is set)."""
    nxt = hours.next_opening(now)
    if nxt is None:
        return "We have no opening hours set for the coming months: please call us."
    local_now = hours.local(now)
    if nxt.date() == local_now.date():
        when = "today"
    elif nxt.date() == local_now.date() + dt.timedelta(days=1):
        when = "tomorrow"
    else:
        when = f"on {_date(nxt.date())}"
    return f"We next open {when} at {_clock(nxt)}."


def open_now(hours: Hours, now: dt.datetime) -> str:
    """"Are you open now?": yes until when, or no and when next."""
    span = hours.current_span(now)
    note = zone_note(hours.profile)
    if span is not None:
        return f"Yes, we're open right now, until {_clock(span.closes)} {note}."
    reason = hours.closed_reason(hours.local(now).date())
    closed = f"No, we're closed right now ({reason})." if reason else "No, we're closed right now."
    return f"{closed} {next_opening_text(hours, now)} {note}"


def day_hours(hours: Hours, day: dt.date, now: dt.datetime) -> str:
    """The hours of one date, or why it is closed and the next open day."""
    today = hours.local(now).date()
    if day == today:
        label = f"Today ({_date(day)})"
    elif day == today + dt.timedelta(days=1):
        label = f"Tomorrow ({_date(day)})"
    else:
        label = f"On {_date(day)}"
    spans = hours.hours_on(day)
    if spans:
        text = f"{label} we're open {_spans(spans)}."
        if day == today:
            text += " " + ("We're open right now." if hours.is_open(now) else next_opening_text(hours, now))
        return f"{text} {zone_note(hours.profile)}"
    reason = hours.closed_reason(day)
    if reason is not None:
        why = f" ({reason})" if reason else ""
        closed = f"We're closed on {_date(day)}{why}."
    else:
        closed = f"We're closed on {WEEKDAYS[day.weekday()].capitalize()}s."
    nxt = hours.next_open_day(day)
    if nxt is not None:
        closed += f" The next day we're open is {_date(nxt)}, {_spans(hours.hours_on(nxt))}."
    return f"{closed} {zone_note(hours.profile)}"


def week_hours(hours: Hours, now: dt.datetime) -> str:
    """The usual week, whether it is open now, and closed dates in the next 30 days."""
    lines = []
    for index, day in enumerate(WEEKDAYS):
        spans = hours.profile.hours.get(index, ())
        lines.append(f"{day.capitalize()}: {_spans(spans) if spans else 'closed'}")
    today = hours.local(now).date()
    soon = sorted(d for d in hours.profile.closed_dates if today <= d <= today + dt.timedelta(days=30))
    text = f"Our opening hours {zone_note(hours.profile)}:\n" + "\n".join(lines)
    if soon:
        text += "\nAlso closed: " + ", ".join(
            f"{_date(d)}" + (f" ({hours.profile.closed_dates[d]})" if hours.profile.closed_dates[d] else "")
            for d in soon) + "."
    text += "\n" + open_now(hours, now)
    return text


def opening_hours(profile: ClinicProfile, text: str, now: dt.datetime) -> str:
    """Answer an opening-hours question for the day its words mean."""
    hours = Hours(profile)
    when: When = read_when(text, hours.local(now).date())
    if when.kind == "now":
        return open_now(hours, now)
    if when.kind == "day" and when.day is not None:
        return day_hours(hours, when.day, now)
    if when.kind == "weekend" and when.day is not None:
        return day_hours(hours, when.day, now) + "\n" + day_hours(hours, when.day + dt.timedelta(days=1), now)
    return week_hours(hours, now)


def booking(profile: ClinicProfile) -> str:
    """How to book: the link and the phone number."""
    return (f"You can book online at {profile.booking_url} or call us on {profile.phone}. "
            "If you're not sure which appointment you need, a first assessment is the place to start.")


def prices(profile: ClinicProfile) -> str:
    """The price list."""
    if not profile.services:
        return f"Please call us on {profile.phone} for our prices."
    symbol = {"GBP": "£", "EUR": "€", "USD": "$"}.get(profile.currency, "")
    suffix = "" if symbol or not profile.currency else f" {profile.currency}"

    def money(value: float) -> str:
        return f"{symbol}{value:.0f}{suffix}" if value == int(value) else f"{symbol}{value:.2f}{suffix}"

    lines = [f"- {s.name} ({s.minutes} min): {money(s.price)}" for s in profile.services]
    return "Our prices:\n" + "\n".join(lines) + f"\nBook at {profile.booking_url}."


def location(profile: ClinicProfile) -> str:
    """The address and how to get there."""
    text = f"{profile.name} is at {profile.address}."
    return text + (f" {profile.directions}" if profile.directions else "")


def insurance(profile: ClinicProfile) -> str:
    """Insurers accepted, and what to check."""
    if not profile.insurance_accepted:
        return profile.insurance_note or f"Please call us on {profile.phone} about insurance."
    text = "We work with " + ", ".join(profile.insurance_accepted) + "."
    return text + (f" {profile.insurance_note}" if profile.insurance_note else "")


def cancellation(profile: ClinicProfile) -> str:
    """The cancellation policy."""
    return profile.cancellation or f"To cancel or move an appointment, call us on {profile.phone}."


def first_visit(profile: ClinicProfile) -> str:
    """What to bring and expect at a first visit."""
    return profile.first_visit or f"Call us on {profile.phone} and we'll tell you what to bring."


def therapists(profile: ClinicProfile) -> str:
    """Who works at the clinic, and what each focuses on."""
    if not profile.therapists:
        return f"Call us on {profile.phone} and we'll help you choose who to see."
    lines = [f"- {t.name}, {t.role}" + (f": {t.focus}" if t.focus else "") for t in profile.therapists]
    return "Our team:\n" + "\n".join(lines) + f"\nYou can choose who to see when you book at {profile.booking_url}."


def parking(profile: ClinicProfile) -> str:
    """Where to park."""
    return profile.parking or f"Call us on {profile.phone} and we'll tell you where to park."


def see_clinician_offer(profile: ClinicProfile) -> str:
    """Appended when triage says see_clinician: how to book here (any clinician will do)."""
    return (f"If you'd like to be seen here at {profile.name}, book at {profile.booking_url} or call "
            f"{profile.phone}. Any doctor or physiotherapist you trust is fine too.")


#: intent -> answer; hours also need the text and the time.
ANSWERS: Dict[str, Callable[[ClinicProfile], str]] = {
    "ask_booking": booking, "ask_prices": prices, "ask_location": location, "ask_insurance": insurance,
    "ask_cancellation": cancellation, "ask_first_visit": first_visit, "ask_therapists": therapists,
    "ask_parking": parking,
}


def answer(profile: ClinicProfile, topic: str, text: str, now: dt.datetime) -> List[str]:
    """The messages answering a clinic question (`topic` is the intent name)."""
    if topic == "ask_opening_hours":
        return [opening_hours(profile, text, now)]
    if topic in ANSWERS:
        return [ANSWERS[topic](profile)]
    return [booking(profile)]
