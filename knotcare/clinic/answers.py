"""The front desk's answers, written from the clinic profile (and, for hours, the current time)."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Dict, List

from knotcare.clinic.hours import Hours
from knotcare.clinic.profile import WEEKDAYS, ClinicProfile
from knotcare.clinic.when import When, read_when
from knotcare.kb.seed import said


def _clock(value: dt.time | dt.datetime) -> str:
    return value.strftime("%H:%M")


def _date(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"


def _spans(spans: tuple) -> str:
    return " and ".join(f"{_clock(o)}–{_clock(c)}" for o, c in spans)


def zone_note(profile: ClinicProfile) -> str:
    """"(times are London time)": whose clock the times are on."""
    return said("clinic_zone_note", zone=profile.timezone.split("/")[-1].replace("_", " "))


def next_opening_text(hours: Hours, now: dt.datetime) -> str:
    """"We next open tomorrow at 08:00." (or that no opening is set)."""
    nxt = hours.next_opening(now)
    if nxt is None:
        return said("clinic_no_hours_set")
    local_now = hours.local(now)
    if nxt.date() == local_now.date():
        when = said("clinic_today")
    elif nxt.date() == local_now.date() + dt.timedelta(days=1):
        when = said("clinic_tomorrow")
    else:
        when = said("clinic_on_date", date=_date(nxt.date()))
    return said("clinic_next_open", when=when, clock=_clock(nxt))


def open_now(hours: Hours, now: dt.datetime) -> str:
    """"Are you open now?": yes until when, or no and when next."""
    span = hours.current_span(now)
    note = zone_note(hours.profile)
    if span is not None:
        return said("clinic_open_now", clock=_clock(span.closes), zone_note=note)
    reason = hours.closed_reason(hours.local(now).date())
    closed = said("clinic_closed_now_because", reason=reason) if reason else said("clinic_closed_now")
    return f"{closed} {next_opening_text(hours, now)} {note}"


def day_hours(hours: Hours, day: dt.date, now: dt.datetime) -> str:
    """The hours of one date, or why it is closed and the next open day."""
    today = hours.local(now).date()
    if day == today:
        label = said("clinic_day_today", date=_date(day))
    elif day == today + dt.timedelta(days=1):
        label = said("clinic_day_tomorrow", date=_date(day))
    else:
        label = said("clinic_day_on", date=_date(day))
    spans = hours.hours_on(day)
    if spans:
        text = said("clinic_day_open", label=label, spans=_spans(spans))
        if day == today:
            text += " " + (said("clinic_open_right_now") if hours.is_open(now) else next_opening_text(hours, now))
        return f"{text} {zone_note(hours.profile)}"
    reason = hours.closed_reason(day)
    if reason is not None:
        why = f" ({reason})" if reason else ""
        closed = said("clinic_closed_on_date", date=_date(day), why=why)
    else:
        closed = said("clinic_closed_on_weekday", weekday=WEEKDAYS[day.weekday()].capitalize())
    nxt = hours.next_open_day(day)
    if nxt is not None:
        closed += " " + said("clinic_next_open_day", date=_date(nxt), spans=_spans(hours.hours_on(nxt)))
    return f"{closed} {zone_note(hours.profile)}"


def week_hours(hours: Hours, now: dt.datetime) -> str:
    """The usual week, whether it is open now, and closed dates in the next 30 days."""
    lines = []
    for index, day in enumerate(WEEKDAYS):
        spans = hours.profile.hours.get(index, ())
        lines.append(said("clinic_week_day", day=day.capitalize(),
                          spans=_spans(spans) if spans else said("clinic_week_closed")))
    today = hours.local(now).date()
    soon = sorted(d for d in hours.profile.closed_dates if today <= d <= today + dt.timedelta(days=30))
    text = said("clinic_week_intro", zone_note=zone_note(hours.profile)) + "\n" + "\n".join(lines)
    if soon:
        text += "\n" + said("clinic_also_closed", dates=", ".join(
            _date(d) + (f" ({hours.profile.closed_dates[d]})" if hours.profile.closed_dates[d] else "") for d in soon))
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
    return said("clinic_booking", booking_url=profile.booking_url, phone=profile.phone)


def prices(profile: ClinicProfile) -> str:
    """The price list."""
    if not profile.services:
        return said("clinic_prices_call", phone=profile.phone)
    symbol = {"GBP": "£", "EUR": "€", "USD": "$"}.get(profile.currency, "")
    suffix = "" if symbol or not profile.currency else f" {profile.currency}"

    def money(value: float) -> str:
        return f"{symbol}{value:.0f}{suffix}" if value == int(value) else f"{symbol}{value:.2f}{suffix}"

    lines = [f"- {s.name} ({s.minutes} min): {money(s.price)}" for s in profile.services]
    return said("clinic_prices", lines="\n".join(lines), booking_url=profile.booking_url)


def location(profile: ClinicProfile) -> str:
    """The address and how to get there."""
    text = said("clinic_location", name=profile.name, address=profile.address)
    return text + (f" {profile.directions}" if profile.directions else "")


def insurance(profile: ClinicProfile) -> str:
    """Insurers accepted, and what to check."""
    if not profile.insurance_accepted:
        return profile.insurance_note or said("clinic_insurance_call", phone=profile.phone)
    text = said("clinic_insurance", insurers=", ".join(profile.insurance_accepted))
    return text + (f" {profile.insurance_note}" if profile.insurance_note else "")


def cancellation(profile: ClinicProfile) -> str:
    """The cancellation policy."""
    return profile.cancellation or said("clinic_cancellation_call", phone=profile.phone)


def first_visit(profile: ClinicProfile) -> str:
    """What to bring and expect at a first visit."""
    return profile.first_visit or said("clinic_first_visit_call", phone=profile.phone)


def therapists(profile: ClinicProfile) -> str:
    """Who works at the clinic, and what each focuses on."""
    if not profile.therapists:
        return said("clinic_therapists_call", phone=profile.phone)
    lines = [f"- {t.name}, {t.role}" + (f": {t.focus}" if t.focus else "") for t in profile.therapists]
    return said("clinic_therapists", lines="\n".join(lines), booking_url=profile.booking_url)


def parking(profile: ClinicProfile) -> str:
    """Where to park."""
    return profile.parking or said("clinic_parking_call", phone=profile.phone)


def see_clinician_offer(profile: ClinicProfile) -> str:
    """Appended when triage says see_clinician: how to book here (any clinician will do)."""
    return said("clinic_see_clinician_offer", name=profile.name, booking_url=profile.booking_url, phone=profile.phone)


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
