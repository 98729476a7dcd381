"""The clinic profile and the opening-hours engine: time zones, closed dates, midnight, DST."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from knotcare.clinic.answers import answer, opening_hours
from knotcare.clinic.hours import Hours
from knotcare.clinic.profile import ProfileError, load_profile, parse_profile
from knotcare.clinic.when import read_when

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
UTC = dt.timezone.utc

BASE = {
    "name": "Test Clinic", "phone": "+44 1", "booking_url": "https://example.test/book", "address": "1 Road",
    "timezone": "Europe/London",
    "hours": {"monday": [["08:00", "18:00"]], "tuesday": [["08:00", "20:00"]], "wednesday": [["08:00", "18:00"]],
              "thursday": [["08:00", "20:00"]], "friday": [["08:00", "17:00"]], "saturday": [["09:00", "13:00"]],
              "sunday": []},
    "closed_dates": [{"date": "2026-12-25", "reason": "Christmas Day"}, "2026-12-26"],
}


def profile(**changes):
    return parse_profile({**BASE, **changes})


def test_the_shipped_profile_is_valid() -> None:
    clinic = load_profile(environ={})
    assert clinic.name and clinic.booking_url.startswith("https://") and clinic.therapists
    assert clinic.hours[6] == ()  # closed on Sundays


def test_environment_overrides_single_values(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(yaml.safe_dump(BASE))
    clinic = load_profile(environ={"KNOTCARE_CLINIC_FILE": str(path), "KNOTCARE_CLINIC_PHONE": "+1 555 0100",
                                   "KNOTCARE_CLINIC_TIMEZONE": "America/New_York"})
    assert (clinic.name, clinic.phone, clinic.timezone) == ("Test Clinic", "+1 555 0100", "America/New_York")


@pytest.mark.parametrize("change, words", [
    ({"timezone": "Mars/Olympus"}, "IANA"),
    ({"hours": {"funday": []}}, "unknown weekday"),
    ({"hours": {"monday": [["8am", "6pm"]]}}, "not a time"),
    ({"hours": {"monday": [["08:00", "08:00"]]}}, "same time"),
    ({"booking_url": "call us"}, "web address"),
    ({"phone": ""}, "missing phone"),
    ({"closed_dates": ["25/12/2026"]}, "not a date"),
])
def test_a_bad_profile_says_what_is_wrong(change, words) -> None:
    with pytest.raises(ProfileError, match=words):
        profile(**change)


def test_open_now_is_read_in_the_clinics_zone_whatever_the_callers_zone() -> None:
    hours = Hours(profile())
    # Monday 23 Nov 2026, 17:30 in London (GMT) is 12:30 in New York and 02:30 Tuesday in Tokyo.
    moment = dt.datetime(2026, 11, 23, 17, 30, tzinfo=LONDON)
    for zone in (LONDON, NEW_YORK, TOKYO, UTC):
        assert hours.is_open(moment.astimezone(zone))
    assert not hours.is_open(dt.datetime(2026, 11, 23, 13, 30, tzinfo=NEW_YORK))  # 18:30 London
    assert hours.next_opening(dt.datetime(2026, 11, 23, 13, 30, tzinfo=NEW_YORK)) == \
        dt.datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)


def test_closing_time_is_exclusive_and_opening_inclusive() -> None:
    hours = Hours(profile())
    assert hours.is_open(dt.datetime(2026, 11, 23, 8, 0, tzinfo=LONDON))
    assert not hours.is_open(dt.datetime(2026, 11, 23, 18, 0, tzinfo=LONDON))
    assert not hours.is_open(dt.datetime(2026, 11, 23, 7, 59, 59, tzinfo=LONDON))


def test_summer_time_moves_the_utc_hours() -> None:
    hours = Hours(profile())
    # July: London is UTC+1, so 07:30 UTC is 08:30 local (open); in November 07:30 UTC is 07:30 (closed).
    assert hours.is_open(dt.datetime(2026, 7, 6, 7, 30, tzinfo=UTC))
    assert not hours.is_open(dt.datetime(2026, 11, 23, 7, 30, tzinfo=UTC))


def test_closed_dates_win_over_the_weekday() -> None:
    hours = Hours(profile())
    christmas = dt.date(2026, 12, 25)  # a Friday
    assert hours.hours_on(christmas) == () and hours.closed_reason(christmas) == "Christmas Day"
    assert hours.closed_reason(dt.date(2026, 12, 26)) == ""  # listed without a reason
    assert not hours.is_open(dt.datetime(2026, 12, 25, 10, 0, tzinfo=LONDON))
    # Closed Fri 25 and Sat 26, Sunday as usual: next opening Monday 28 at 08:00.
    assert hours.next_opening(dt.datetime(2026, 12, 24, 18, 0, tzinfo=LONDON)) == \
        dt.datetime(2026, 12, 28, 8, 0, tzinfo=LONDON)


def test_overnight_hours_run_past_midnight() -> None:
    late = profile(hours={"friday": [["18:00", "02:00"]], "saturday": [["10:00", "24:00"]]})
    hours = Hours(late)
    assert hours.is_open(dt.datetime(2026, 11, 27, 23, 59, tzinfo=LONDON))
    assert hours.is_open(dt.datetime(2026, 11, 28, 0, 0, tzinfo=LONDON))  # Saturday, still Friday's opening
    assert hours.is_open(dt.datetime(2026, 11, 28, 1, 59, tzinfo=LONDON))
    assert not hours.is_open(dt.datetime(2026, 11, 28, 2, 0, tzinfo=LONDON))
    # "24:00" closes at midnight at the end of Saturday.
    assert hours.is_open(dt.datetime(2026, 11, 28, 23, 59, tzinfo=LONDON))
    assert not hours.is_open(dt.datetime(2026, 11, 29, 0, 0, tzinfo=LONDON))
    assert hours.current_span(dt.datetime(2026, 11, 28, 1, 0, tzinfo=LONDON)).closes == \
        dt.datetime(2026, 11, 28, 2, 0, tzinfo=LONDON)


def test_a_closed_date_cancels_the_overnight_opening_that_starts_on_it() -> None:
    hours = Hours(profile(hours={"friday": [["18:00", "02:00"]]}, closed_dates=["2026-11-27"]))
    assert not hours.is_open(dt.datetime(2026, 11, 28, 1, 0, tzinfo=LONDON))


def test_a_clinic_in_tokyo_answered_from_london() -> None:
    hours = Hours(profile(timezone="Asia/Tokyo"))
    # Monday 09:00 in Tokyo is Monday 00:00 in London (GMT): open.
    assert hours.is_open(dt.datetime(2026, 11, 23, 0, 0, tzinfo=LONDON))
    # Sunday 23:30 in London is Monday 08:30 in Tokyo: open; Sunday 22:30 London is 07:30 Tokyo: not yet.
    assert hours.is_open(dt.datetime(2026, 11, 22, 23, 30, tzinfo=LONDON))
    assert not hours.is_open(dt.datetime(2026, 11, 22, 22, 30, tzinfo=LONDON))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        Hours(profile()).is_open(dt.datetime(2026, 11, 23, 10, 0))


@pytest.mark.parametrize("text, kind, day", [
    ("are you open now", "now", None),
    ("r u open?", "now", None),
    ("open on saturday?", "day", dt.date(2026, 11, 28)),
    ("when do you open tomorrow", "day", dt.date(2026, 11, 24)),
    ("open tmrw?", "day", dt.date(2026, 11, 24)),
    ("are you open today", "day", dt.date(2026, 11, 23)),
    ("what time do you shut on monday", "day", dt.date(2026, 11, 23)),
    ("open on christmas day?", "day", dt.date(2026, 12, 25)),
    ("do you open at weekends", "weekend", dt.date(2026, 11, 28)),
    ("what are your opening hours", "week", None),
])
def test_reading_the_day_a_question_means(text, kind, day) -> None:
    when = read_when(text, dt.date(2026, 11, 23))  # a Monday
    assert (when.kind, when.day) == (kind, day)


def test_answers_say_the_computed_hours() -> None:
    clinic = profile()
    monday_evening = dt.datetime(2026, 11, 23, 19, 0, tzinfo=LONDON)
    assert "No, we're closed right now" in opening_hours(clinic, "are you open now?", monday_evening)
    assert "next open tomorrow at 08:00" in opening_hours(clinic, "are you open now?", monday_evening)
    assert "until 20:00" in opening_hours(clinic, "open now?", dt.datetime(2026, 11, 24, 19, 0, tzinfo=LONDON))
    assert "09:00–13:00" in opening_hours(clinic, "are you open on saturday", monday_evening)
    assert "Tomorrow (Tuesday 24 November) we're open 08:00–20:00" in \
        opening_hours(clinic, "when do you open tomorrow", monday_evening)
    sunday = opening_hours(clinic, "open sunday?", monday_evening)
    assert "closed on Sundays" in sunday and "Monday 30 November" in sunday
    xmas = opening_hours(clinic, "are you open on christmas day", monday_evening)
    assert "closed on Friday 25 December (Christmas Day)" in xmas and "Monday 28 December" in xmas
    week = opening_hours(clinic, "what are your hours", monday_evening)
    assert "Sunday: closed" in week and "Saturday: 09:00–13:00" in week


def test_other_answers_come_from_the_profile() -> None:
    clinic = load_profile(environ={})
    now = dt.datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert clinic.booking_url in answer(clinic, "ask_booking", "", now)[0]
    assert clinic.phone in answer(clinic, "ask_booking", "", now)[0]
    assert "£75" in answer(clinic, "ask_prices", "", now)[0]
    assert clinic.address in answer(clinic, "ask_location", "", now)[0]
    assert "Bupa" in answer(clinic, "ask_insurance", "", now)[0]
    assert "24 hours" in answer(clinic, "ask_cancellation", "", now)[0]
    assert "health form" in answer(clinic, "ask_first_visit", "", now)[0]
    assert all(t.name in answer(clinic, "ask_therapists", "", now)[0] for t in clinic.therapists)
    assert "car park" in answer(clinic, "ask_parking", "", now)[0]
