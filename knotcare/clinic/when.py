"""Which day a question about opening hours means: "now", "today", "tomorrow", "on saturday", "christmas".

Rule-based on purpose: the words are few and fixed, and a wrong day is worse
than no day (the answer then gives the whole week).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional, Tuple

_WEEKDAYS = {
    "monday": 0, "mon": 0, "mondays": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "tuesdays": 1,
    "wednesday": 2, "wed": 2, "weds": 2, "wednesdays": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "thursdays": 3,
    "friday": 4, "fri": 4, "fridays": 4,
    "saturday": 5, "sat": 5, "saturdays": 5,
    "sunday": 6, "sun": 6, "sundays": 6,
}
_NOW = re.compile(r"\b(now|right now|rn|at the moment|atm|currently|still open|at this time)\b")
_TODAY = re.compile(r"\b(today|tonight|this (morning|afternoon|evening))\b")
_TOMORROW = re.compile(r"\b(tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|2moro)\b")
_WEEKEND = re.compile(r"\b(weekends?)\b")
_FIXED = {"christmas day": (12, 25), "christmas eve": (12, 24), "christmas": (12, 25), "boxing day": (12, 26),
          "new year's day": (1, 1), "new years day": (1, 1), "new year's eve": (12, 31), "new years eve": (12, 31)}


@dataclass(frozen=True)
class When:
    """What the question asks about: `now`, one `day` (with the date), the `weekend`, or the `week`."""

    kind: str
    day: Optional[dt.date] = None
    word: str = ""


def _next_weekday(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def _fixed_date(today: dt.date, month_day: Tuple[int, int]) -> dt.date:
    month, day = month_day
    this_year = dt.date(today.year, month, day)
    return this_year if this_year >= today else dt.date(today.year + 1, month, day)


def read_when(text: str, today: dt.date) -> When:
    """Read the day a question means, relative to `today` (the clinic's local date)."""
    lowered = text.lower().replace("’", "'")
    for phrase, month_day in _FIXED.items():
        if phrase in lowered:
            return When("day", _fixed_date(today, month_day), phrase)
    if _TOMORROW.search(lowered):
        return When("day", today + dt.timedelta(days=1), "tomorrow")
    for token in re.findall(r"[a-z]+", lowered):
        if token in _WEEKDAYS:
            return When("day", _next_weekday(today, _WEEKDAYS[token]), token)
    if _WEEKEND.search(lowered):
        return When("weekend", _next_weekday(today, 5), "weekend")
    if _TODAY.search(lowered):
        return When("day", today, "today")
    if _NOW.search(lowered) or re.search(r"\bopen\b\W*$", lowered) and not re.search(r"\bhours?\b", lowered):
        return When("now")
    return When("week")
