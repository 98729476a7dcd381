"""Opening hours in the clinic's own time zone: open now?, hours on a date, the next opening.

Every function takes the current time as an argument (an aware datetime in any
zone) so tests and the actions decide what "now" is; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional, Tuple

from knotcare.clinic.profile import ClinicProfile

#: How far ahead to look for the next opening (a long holiday closure must still be found).
_SEARCH_DAYS = 400


@dataclass(frozen=True)
class Span:
    """One opening: from `opens` to `closes`, both aware datetimes in the clinic's zone."""

    opens: dt.datetime
    closes: dt.datetime

    def contains(self, moment: dt.datetime) -> bool:
        """True when `moment` (aware, any zone) falls inside the span (closing time excluded)."""
        return self.opens <= moment < self.closes


class Hours:
    """The opening-hours engine over one clinic profile."""

    def __init__(self, profile: ClinicProfile) -> None:
        self.profile = profile
        self.zone = profile.zone

    def local(self, moment: dt.datetime) -> dt.datetime:
        """`moment` in the clinic's zone; naive datetimes are refused (their zone would be a guess)."""
        if moment.tzinfo is None:
            raise ValueError("pass an aware datetime (with a time zone)")
        return moment.astimezone(self.zone)

    def closed_reason(self, day: dt.date) -> Optional[str]:
        """Why the clinic is closed on a listed closed date ("" when no reason is given), or None."""
        return self.profile.closed_dates.get(day)

    def hours_on(self, day: dt.date) -> Tuple[Tuple[dt.time, dt.time], ...]:
        """The (open, close) times of the openings that start on `day`; empty when closed."""
        if day in self.profile.closed_dates:
            return ()
        return self.profile.hours.get(day.weekday(), ())

    def spans_starting(self, day: dt.date) -> List[Span]:
        """The openings that start on `day`, as aware datetimes (a close at or before the open is next day)."""
        spans = []
        for opens, closes in self.hours_on(day):
            start = dt.datetime.combine(day, opens, tzinfo=self.zone)
            end_day = day + dt.timedelta(days=1) if closes <= opens else day
            end = dt.datetime.combine(end_day, closes, tzinfo=self.zone)
            spans.append(Span(start, end))
        return spans

    def current_span(self, now: dt.datetime) -> Optional[Span]:
        """The opening `now` falls in, or None when closed (yesterday's overnight opening counts)."""
        today = self.local(now).date()
        for day in (today - dt.timedelta(days=1), today):
            for span in self.spans_starting(day):
                if span.contains(now):
                    return span
        return None

    def is_open(self, now: dt.datetime) -> bool:
        """True when the clinic is open at `now`."""
        return self.current_span(now) is not None

    def next_opening(self, now: dt.datetime) -> Optional[dt.datetime]:
        """When the clinic next opens strictly after `now` (clinic time), or None if never in the next year."""
        today = self.local(now).date()
        for offset in range(_SEARCH_DAYS):
            for span in self.spans_starting(today + dt.timedelta(days=offset)):
                if span.opens > now:
                    return span.opens
        return None

    def next_open_day(self, after: dt.date) -> Optional[dt.date]:
        """The first date after `after` with any opening."""
        for offset in range(1, _SEARCH_DAYS):
            day = after + dt.timedelta(days=offset)
            if self.hours_on(day):
                return day
        return None
