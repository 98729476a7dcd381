"""Durations and pain ratings: find them in text and turn them into numbers.

Regular expressions rather than spaCy patterns here: the forms are numeric
("6/10", "3wks", "2-3 weeks") and spaCy's tokenizer keeps some of them whole.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Collection, Iterator, Optional, Tuple

Span = Tuple[int, int]

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
    "several": 4, "a half": 0.5, "half a": 0.5, "half": 0.5,
}
_UNIT_DAYS = {
    "hour": 1 / 24, "hr": 1 / 24, "h": 1 / 24,
    "day": 1, "d": 1, "dy": 1,
    "week": 7, "wk": 7, "w": 7,
    "fortnight": 14,
    "month": 30, "mo": 30, "mth": 30, "mnth": 30, "mon": 30,
    "year": 365, "yr": 365, "y": 365,
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_NUM = r"(?:\d+(?:\.\d+)?|a couple of|couple of|a couple|a few|few|several|half an?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# with the typos people make ("3 weaks", "2 monts")
_UNIT = r"(?:hours?|hrs?|days?|dys?|weeks?|weaks?|weeeks?|wks?|fortnights?|months?|monts?|mos|mths?|mnths?|years?|yrs?)"
# One-letter units ("3d", "2w") only straight after digits, or "and" would read as "an d".
# Not before "/": "7/10 w/ movement" is "with".
_SHORT = r"(?:\d+(?:\.\d+)?\s?(?:d|w|y|h|mo)(?!/))"
_QUANTITY = re.compile(
    rf"(?:\b|(?<=\bx))(?:(?:about|around|roughly|almost|nearly|over|like|maybe|approx\.?|approximately|just over|"
    rf"just under|more than|less than|at least)\s+)?"
    rf"(?:(?:\b{_NUM}\s*(?:-|to|or)\s*)?(?:\b|(?<=\bx)){_NUM}\s*(?:and a half\s+)?{_UNIT}|(?:\b|(?<=\bx)){_SHORT})\b"
    rf"(?:\s+ago\b)?(?:\s+now\b)?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?:since\s+(?:yesterday|last night|this morning|today|last week|last month|last year|the weekend|"
    r"(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|christmas|new year)"
    r"|(?:started|began|begun)\s+(?:yesterday|today|this morning|last night|last week|last month|last year)"
    r"|(?:for|since)\s+(?:ages|ever|forever|years|months|weeks|days|a while|a long time|a long while)"
    r"|forever|yesterday|last night|this morning)\b",
    re.IGNORECASE,
)
_RELATIVE_DAYS = {
    "yesterday": 1, "last night": 1, "this morning": 0, "today": 0, "last week": 7, "last month": 30,
    "last year": 365, "the weekend": 3, "christmas": 60, "new year": 60, "ages": 365, "ever": 365,
    "forever": 365, "years": 730, "months": 90, "weeks": 21, "days": 3, "a while": 14,
    "a long time": 180, "a long while": 180,
}


#: After a quantity, what makes it no history of the pain: a rate ("10 hours a day at a desk", "3 days a week") or a
#: state ("7 months pregnant").
_NOT_HOW_LONG = re.compile(
    r"\s*(?:(?:a|an|per|each|every)\s+(?:day|night|week|shift|month|year|session)\b"
    r"|-?\s*(?:pregnant|gestation|postpartum|post-?partum|overdue)\b)",
    re.IGNORECASE,
)
#: "my 3 month old", "a 6 week old": a person's age ("this flare-up is only 4 days old" is how long it has lasted).
_AN_AGE = re.compile(r"\b(?:my|our|his|her|their|your|a|the)\s+$", re.IGNORECASE)
_OLD = re.compile(r"-?\s*old\b", re.IGNORECASE)
_DAYS_OF_WEEK = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)"
#: When it began, told by the day ("started last Wednesday", "since a gym session on Saturday", "since he helped us
#: move at the weekend"): the day is the duration's phrase.
_STARTED_ON = re.compile(
    rf"\b(?:since|started|starting|began|begun|came on|kicked off|flared up|set in)\b[^.!?;]{{0,45}}?"
    rf"\b(?:on|at|over|last|this past)\s+(?:the\s+)?(?P<day>{_DAYS_OF_WEEK})\b"
    rf"|\b(?P<last>last\s+{_DAYS_OF_WEEK})\b",
    re.IGNORECASE,
)
#: "since the start of the month", "since the beginning of the week"; "today's day 5", "it's day 3" (not "day 3 of
#: antibiotics").
_SINCE_START = re.compile(r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+(?:week|month|year)\b",
                          re.IGNORECASE)
_DAY_N = re.compile(r"\b(?:today'?s|today is|it'?s|its|this is|now on|i'?m on)\s+(day\s+\d{1,3})\b"
                    r"(?!\s+(?:of|on|after)\s+(?!it\b|this\b|the pain\b))"
                    # "i'm in week 2 of it", "we're into week three now" (not "week 2 of the course")
                    r"|\b(?:in|into|on|it'?s|its|this is)\s+(week\s+(?:\d{1,2}|one|two|three|four|five|six))\b"
                    r"(?!\s+(?:of|on|after)\s+(?!it\b|this\b|the pain\b))", re.IGNORECASE)

_WINDOW = re.compile(r"\b(?:the|these|this)\s+(?:last|past|previous)\s+$", re.IGNORECASE)

#: A time of life that dates what follows it in the sentence ("she hurt her back when she was 40, it was a 9 and she was
#: off work 2 months"): its numbers are of that time, not of the pain now; "now" after it comes back to the present.
_WHEN_AGED = re.compile(
    r"\b(?:when|back when)\s+(?:i|he|she|they|we|you)\s+(?:was|were)\s+(?:a\s+|in\s+(?:my|his|her|their)\s+)?"
    r"(?:\d{1,3}|young|younger|little|small|kids?|teens?|teenagers?|twenties|thirties|forties|fifties|at school|"
    r"in school|at uni|at college|pregnant|training)\b", re.IGNORECASE)
_BACK_TO_NOW = re.compile(r"\b(?:now|these days|this time|this week|today|currently|at the moment|at present)\b",
                          re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;\n]")
#: Time off beside a quantity ("off work 2 months", "took 2 days off work"): how long someone was away, not how long
#: it has hurt.
_TIME_OFF_BEFORE = re.compile(r"\b(?:off\s+(?:work|school|sick)|signed\s+off)(?:\s+for)?\s+$", re.IGNORECASE)
_TIME_OFF_AFTER = re.compile(r"\s*(?:off\s+(?:work|school|sick)|of\s+sick\s+leave|sick\s+leave)\b", re.IGNORECASE)


#: A rating told in the past tense ("her pain was a 9 last week") and over by now ("but she's fine now"): how bad it
#: was, not how bad it is.
_WAS = re.compile(r"\b(?:was|were|had been)\s+(?:like\s+|about\s+|around\s+|at\s+)?$", re.IGNORECASE)
_OVER_NOW = re.compile(r"\b(?:fine|better|gone|ok|okay|all good|settled|back to normal)\s+now\b"
                       r"|\bnow\s+(?:it'?s\s+|she'?s\s+|he'?s\s+|i'?m\s+)?(?:fine|ok|okay|better|gone)\b", re.IGNORECASE)


def _over_by_now(text: str, span: Span) -> bool:
    """The rating at `span` is how bad it was, told as over by now in its sentence."""
    end = next((m.start() for m in _SENTENCE_END.finditer(text, span[1])), len(text))
    return bool(_WAS.search(text[:span[0]])) and bool(_OVER_NOW.search(text, span[1], end))


def _of_another_time(text: str, span: Span) -> bool:
    """The quantity at `span` is of a time of life told before it in its sentence, or is time off."""
    if _TIME_OFF_BEFORE.search(text[:span[0]]) or _TIME_OFF_AFTER.match(text, span[1]):
        return True
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, span[0])), default=0)
    dated = [m.end() for m in _WHEN_AGED.finditer(text, start, span[0])]
    return bool(dated) and not _BACK_TO_NOW.search(text, dated[-1], span[0])

#: Clinical shorthand: "3/7" three days, "2/52" two weeks, "6/12" six months (over 7, 52 and 12).
_CLINICAL = re.compile(r"\b(\d{1,2})\s?/\s?(7|52|12)\b(?!\s*(?:/|out of|%))", re.IGNORECASE)
_CLINICAL_DAYS = {"7": 1, "52": 7, "12": 30}


def find_durations(text: str, windows: bool = False) -> Iterator[Span]:
    """Yield the character spans of every duration phrase in `text` (with `windows`, "the last 2 days" beside a
    history too)."""
    taken: list[Span] = []
    #: rates and states ("10 hours a day"), which no other duration may overlap ("a day")
    blocked: list[Span] = []
    for regex in (_QUANTITY, _RELATIVE, _CLINICAL, _SINCE_START, _STARTED_ON, _DAY_N):
        for match in regex.finditer(text):
            group = next((g for g in ("day", "last") if g in regex.groupindex and match.group(g)), 0) \
                if regex is _STARTED_ON else ((1 if match.group(1) else 2) if regex is _DAY_N else 0)
            span = match.span(group)
            rate = _NOT_HOW_LONG.match(text, span[1]) or (_AN_AGE.search(text[:span[0]]) and _OLD.match(text, span[1])) \
                if regex is _QUANTITY else None
            if rate:
                blocked.append((span[0], rate.end()))
            elif not any(s < span[1] and span[0] < e for s, e in taken + blocked):
                taken.append(span)
    # "for 3 weeks, much worse the last 2 days", "in the last 18 months ... only 4 days old": a window ("the last 2
    # days") beside a history is a recent change or another matter; the history is how long it has hurt.
    recent = [span for span in taken if _WINDOW.search(text[:span[0]])]
    if not windows and len(recent) < len(taken):
        taken = [span for span in taken if span not in recent]
    yield from sorted(span for span in taken if not _of_another_time(text, span))


def _number(word: str) -> Optional[float]:
    word = word.strip().lower()
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(word)
    except ValueError:
        return None


def duration_to_days(phrase: str, today: Optional[dt.date] = None) -> Optional[float]:
    """Turn a duration phrase ("3 weeks", "since yesterday", "for ages") into days.

    Ranges ("2-3 weeks") take the upper end: a longer history is the safer
    reading for triage. Returns None when the phrase holds no duration.
    """
    text = phrase.strip().lower()
    clinical = _CLINICAL.fullmatch(text)
    if clinical:
        return float(int(clinical.group(1)) * _CLINICAL_DAYS[clinical.group(2)])
    match = re.search(
        rf"(?:\b({_NUM})\s*(?:-|to|or)\s*)?\b({_NUM})\s*(and a half\s+)?({_UNIT}|(?<=\d)\s?(?:d|w|y|h|mo))\b", text
    )
    if match:
        amount = _number(match.group(2))
        if amount is None:
            return None
        if match.group(3):
            amount += 0.5
        unit = match.group(4).strip()
        unit = unit[:-1] if len(unit) > 2 and unit.endswith("s") else unit
        factor = next((days for key, days in _UNIT_DAYS.items() if unit == key), None)
        if factor is None:
            factor = next((days for key, days in _UNIT_DAYS.items() if unit.startswith(key)), 1)
        return round(amount * factor, 2)
    today = today or dt.date.today()
    day_n = re.fullmatch(r"day\s+(\d{1,3})", text)
    if day_n:
        return float(day_n.group(1))
    week_n = re.fullmatch(r"week\s+(\w+)", text)
    weeks = _number(week_n.group(1)) if week_n else None
    if weeks:
        return (weeks - 0.5) * 7  # the middle of that week
    start = re.search(r"(?:start|beginning) of (?:the|this) (week|month|year)", text)
    if start:
        begun = {"week": today.weekday(), "month": today.day - 1, "year": today.timetuple().tm_yday - 1}
        return float(begun[start.group(1)] or 1)
    for index, name in enumerate(_WEEKDAYS + ["weekend"]):
        if name in text:
            # the weekend began on Saturday
            return float((today.weekday() - min(index, 5)) % 7 or 7)
    for name, month, day in (("christmas", 12, 25), ("new year", 1, 1)):
        if re.search(rf"\b{name}\b", text):
            last = dt.date(today.year, month, day)
            last = last if last <= today else dt.date(today.year - 1, month, day)
            return float((today - last).days or 1)
    for key in sorted(_RELATIVE_DAYS, key=len, reverse=True):
        if re.search(rf"\b{key}\b", text):
            return float(_RELATIVE_DAYS[key])
    return None


#: A rating's number: digits, or zero to ten in words ("four", "she says seven out of ten").
_RATING_WORDS = {"zero": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}
_N = r"(?:\d{1,2}|" + "|".join(_RATING_WORDS) + r")"


def _rating(word: str) -> float:
    """A rating's number as a value: "7" -> 7, "seven" -> 7."""
    word = word.strip().lower()
    return float(_RATING_WORDS[word]) if word in _RATING_WORDS else float(word)


# Pain ratings. Numbers need a rating context ("6/10", "about a 6", "level 7");
# words map to the middle of the band people usually mean by them.
_SEVERITY_WORDS = [
    ("worst pain", 10), ("unbearable", 10), ("excruciating", 9), ("agonising", 9), ("agonizing", 9),
    ("agony", 9), ("terrible", 8), ("horrible", 8), ("awful", 8), ("severe", 8), ("really bad", 7),
    ("very bad", 7), ("pretty bad", 7), ("super bad", 7), ("so bad", 7), ("quite bad", 6),
    ("not too bad", 3), ("not that bad", 3), ("not so bad", 3), ("moderate", 5), ("medium", 5),
    ("mild", 3), ("slight", 2), ("minor", 2), ("barely hurts", 1), ("barely notice", 1), ("barely there", 1),
    ("bearable", 4), ("niggle", 2), ("niggly", 2),
    ("more annoying than painful", 2), ("annoying more than anything", 2), ("annoying more than painful", 2),
]
_SEVERITY_WORD_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w, _ in _SEVERITY_WORDS) + r")\b"
    r"|\b(?:it'?s|is|feels|pain'?s)\s+bad\b",
    re.IGNORECASE,
)
_NOT_A_RATING = r"(?!\s*(?:%|percent|" + _UNIT + r"\b|times|x\b|mins?|minutes|seconds|secs?|kg|lbs?|am|pm|o'?clock))"
_SEVERITY_NUMBER_RE = re.compile(
    r"\b(\d{1,2}(?:\.5)?|" + "|".join(_RATING_WORDS) + r")\s*(?:/|out of|outta|of)\s*(?:10|ten)\b"
    # "a solid 8", "a steady 5"; "VAS 5", "NRS 6/10", "pain score 7"
    r"|\ban?\s+(?:solid|steady|good|strong|constant|firm|easy|hard|high|low)\s+(\d{1,2})\b" + _NOT_A_RATING +
    r"|\b(?:vas|nrs|nprs|pain score|pain scale)\s*(?:of|=|:|is)?\s*(\d{1,2})\b" + _NOT_A_RATING +
    # "5ish", "sixish", "like 6-ish" (not a time: "at 5ish", "by 6ish")
    r"|(?<!\bat\s)(?<!\bby\s)(?<!\btill\s)(?<!\buntil\s)(?<!\baround\s)\b(\d{1,2}|" + "|".join(_RATING_WORDS)
    + r")-?ish\b(?!\s*(?:am|pm|o'?clock|" + _UNIT + r"\b))"
    r"|\b(?:(?:about|around|like|maybe|probably|roughly|prob|solid|at)\s+)?an?\s+(\d{1,2})\b" + _NOT_A_RATING +
    r"|\b(?:level|rate it|rate it at|rating|rated|score|pain is|pain's|its|it's)\s+"
    r"(?:(?:about|around|roughly|maybe|like|probably)\s+)?(?:a|an|at)?\s*(\d{1,2})\b" + _NOT_A_RATING +
    # "he shows me 3 on the faces chart", "4 on the pain scale"
    r"|\b(\d{1,2})\s+on\s+(?:the|a|my|his|her|their)\s+(?:[a-z'-]+\s+){0,2}(?:scale|chart)\b",
    re.IGNORECASE,
)
_BARE_NUMBER_RE = re.compile(r"^\s*(?:(?:about|around|like|maybe|prob|probably)\s+)?(?:an?\s+)?(" + _N + r")\s*[.!]?\s*$",
                             re.IGNORECASE)


#: How far after an opening number a time makes that number part of the time ("2, maybe 3 weeks").
DURATION_REACH = 16

# An answer to "how bad is it, 0 to 10?" that opens with the number, alone or reported: "he says 3", "she said
# 4", "6 when training", "7, it was 3 before", "about 6 when it tightens". The number must end there (a
# comma, "when", "now", the end...), so "2 weeks", "2-3 days" or "3 knots" is never one. A later "4 now" in the same
# answer is the rating now ("7 on the stairs, 4 now").
_ANSWER_RATING_RE = re.compile(
    r"^\s*(?:(?:not stated|not sure|unsure|dunno|don'?t know|hard to say|difficult to say|no idea|not given|unknown|"
    r"not said|didn'?t say)\s*[,;:.-]?\s*)?"
    r"(?:(?:he|she|they|i|we|mum|dad|the patient|patient|pt|caller)(?:\s+|(?='d))(?:says?|said|reckons?|thinks?|"
    r"would say|'d say|rates? it|rated it|puts? it at|scores? it|shows? me|showed me|points? to|pointed to)\s+"
    r"(?:it'?s\s+|its\s+|it is\s+|about\s+|around\s+|maybe\s+|like\s+)?)?"
    r"(?:(?:about|around|like|maybe|prob|probably|roughly|honestly|between)\s+)?(?:an?\s+)?"
    r"(?P<rating>(" + _N + r")\b(?:\s*(?:or|-|–|to|and)\s*(?:an?\s+)?" + _N + r"\b)?)(?:\s*(?:/|out of)\s*(?:10|ten))?"
    r"(?=\s*(?:$|[,.;!)(]|when|whenever|on|at|but|if|now|right|today|and|during|while|most|in|out|though|tops|max|ish|"
    r"at\s+worst|at\s+best))",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(_N + r"\s*(?:or|-|–|to|and)\s*(?:an?\s+)?" + _N)
# "she says it's annoying more than painful, 3": a rating given last, after a comma, ends the answer.
_LAST_RATING_RE = re.compile(r"[,;:–-]\s*(?:about\s+|maybe\s+|like\s+|around\s+)?(?:an?\s+)?(" + _N
                             + r")(?:\s*(?:/|out of)\s*(?:10|ten))?\s*[.!]?\s*$", re.IGNORECASE)
# "8, no actually 7", "a 6, sorry, I mean 5": the number after a correction replaces the one before it.
_CORRECTED_RATING_RE = re.compile(r"\b(?:actually|i mean|no wait|sorry|make that|scratch that|or rather)\b\s*[,:-]?\s*"
                                  r"(?:more like\s+|like\s+|about\s+|it'?s\s+|maybe\s+)?(?:an?\s+)?(" + _N + r")\b"
                                  + _NOT_A_RATING, re.IGNORECASE)
#: A severity word between a determiner and a noun that is not of pain ("that awful offsite", "a terrible night's
#: sleep") rates that noun; "an awful pain", "a severe knot", "my terrible neck" rate the pain.
_ADJECTIVES = frozenset({"unbearable", "excruciating", "agonising", "agonizing", "terrible", "horrible", "awful", "severe",
                         "moderate", "medium", "mild", "slight", "minor", "bearable"})
_DESCRIBES_SOMETHING_ELSE = re.compile(r"\b(?:that|this|an?|the|what an?|such an?|our|their)\s+$", re.IGNORECASE)
_NOT_OF_PAIN = re.compile(
    r"\s+(?!(?:pains?|aches?|aching|achiness|knots?|spasms?|cramps?|twinges?|stiffness|tension|soreness|tightness|"
    r"throbbing|burning|stabbing|shooting|headaches?|neck|back|shoulders?|spine|traps?|lower|upper|mid|middle|"
    r"flare|flare-ups?|bout|attack|episode|case|one|crick|lump|spot|sharp|dull|deep|constant|nagging)\b)[a-z]+\b",
    re.IGNORECASE)
_ASKS_ABOUT_THE_SCALE = re.compile(r"\b(?:what|which|how)\b[^.!?]{0,25}$", re.IGNORECASE)
#: Past the top of the scale ("11/10", "15 out of 10"): the top.
_OVER_THE_TOP = 20
_NOW_RATING_RE = re.compile(r"\b(\d{1,2})\s+(?:right\s+)?(?:now|at the moment|atm|today)\b", re.IGNORECASE)


def find_severities(text: str) -> Iterator[Span]:
    """Yield the character spans of every pain rating in `text`."""
    spans: list[Span] = []
    # Not in an answer that gives a time just after it ("2, maybe 3 weeks"): there the number is part of the duration.
    # A time further on is another fact ("8, bad enough that I've been off work for a week").
    answer = _ANSWER_RATING_RE.match(text)
    if answer and all(0 <= _rating(n) <= 10 for n in re.findall(_N, answer.group("rating"), re.IGNORECASE)) and not any(
            start < answer.end("rating") + DURATION_REACH for start, _ in find_durations(text, windows=True)):
        spans.append(answer.span("rating"))
        spans += [m.span(1) for m in _NOW_RATING_RE.finditer(text, answer.end())
                  if 0 <= int(m.group(1)) <= 10]
    for match in _SEVERITY_NUMBER_RE.finditer(text):
        number = next(g for g in match.groups() if g is not None)
        if _ASKS_ABOUT_THE_SCALE.search(text[:match.start()]) and text.rstrip().endswith("?"):
            continue  # "what counts as a 10?": a question about the scale, not a rating
        top = _OVER_THE_TOP if match.group(1) else 10
        if 0 <= _rating(number) <= top and not any(s < match.end() and match.start() < e for s, e in spans):
            spans.append(match.span())
    corrected = _CORRECTED_RATING_RE.search(text, min((e for _, e in spans), default=len(text)))
    if corrected and 0 <= _rating(corrected.group(1)) <= 10:
        spans.append(corrected.span(1))
    last = _LAST_RATING_RE.search(text)
    if last and 0 <= _rating(last.group(1)) <= 10 and not spans and not any(True for _ in find_durations(text, windows=True)):
        spans.append(last.span(1))
    bare = _BARE_NUMBER_RE.match(text)
    if bare and 0 <= _rating(bare.group(1)) <= 10 and not spans:
        spans.append((bare.start(1) if text[: bare.start(1)].strip() == "" else bare.start(), bare.end(1)))
    numbered = bool(spans)
    for match in _SEVERITY_WORD_RE.finditer(text):
        if match.group().lower() in _ADJECTIVES and _DESCRIBES_SOMETHING_ELSE.search(text[:match.start()]) \
                and _NOT_OF_PAIN.match(text, match.end()):
            continue  # "that awful offsite", "a terrible night": a word about something else
        # a number the person gave outranks a word beside it ("annoying more than painful, 3")
        if not numbered and not any(s < match.end() and match.start() < e for s, e in spans):
            spans.append(match.span())
    yield from sorted(span for span in spans if not _of_another_time(text, span) and not _over_by_now(text, span))


def severity_to_int(phrase: str) -> Optional[int]:
    """Turn a pain rating ("6/10", "about a 6", "pretty bad") into an integer 0-10."""
    text = phrase.strip().lower()
    # "6 or 7", "6-7": a range counts at its top, so a rating is never taken as milder than the person said
    numbers = re.findall(r"\d{1,2}(?:\.5)?|\b(?:" + "|".join(_RATING_WORDS) + r")(?=\b|-?ish\b)", text)
    if numbers:
        value = max(_rating(n) for n in numbers) if _RANGE_RE.fullmatch(text) else _rating(numbers[0])
        if 10 < value <= _OVER_THE_TOP and re.search(r"(?:/|out of|outta|of)\s*(?:10|ten)\b", text):
            value = 10
        if 0 <= value <= 10:
            return int(round(value + 1e-9)) if value % 1 else int(value)
        return None
    if re.search(r"\b(?:it'?s|is|feels|pain'?s)\s+bad\b", text):
        return 6
    for word, value in _SEVERITY_WORDS:
        if word in text:
            return value
    return None


# --- Age ----------------------------------------------------------------------------------------
# New pain that starts after 50 or before 20 is a same-day reason (data/kb/triage_rules.yml), so a
# stated age counts. Only unmistakable forms: "I'm 67", "67 years old", "67yo", "aged 67", "in my
# sixties"; "I'm a 6" is a rating and "for 67 years" a duration.
_DECADES = {"twenties": 25, "thirties": 35, "forties": 45, "fifties": 55, "sixties": 65, "seventies": 75,
            "eighties": 85, "nineties": 95, "teens": 16}
_AGE_RE = re.compile(
    r"\b(\d{1,3})\s*(?:-|\s)?\s*(?:years?|yrs?|yr)[\s-]*old\b"
    r"|\b(\d{1,3})\s*(?:yo|y/o|y\.o\.)(?![a-z])"
    r"|\b(?:i'?m|i am|im|aged?|age is|turned|turning)\s+(?!a\b)(\d{2,3})\b(?!\s*(?:/|out of|%|percent|" + _UNIT + r"\b))"
    r"|\bin my (?:late |early |mid[- ])?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|teens"
    r"|[2-9]0'?s)\b",
    re.IGNORECASE,
)


#: An age told of an event ("appendicectomy aged 12", "broke his hip at age 70"): when it happened, not how old they
#: are now.
_EVENT_BEFORE = re.compile(r"\b(?:\w+(?:ectomy|otomy|ostomy|plasty)|surgery|operation|op|fracture|fractured|broke\s+\w+"
                           r"|diagnosed|dx|removed|repaired|repair|transplant)\s*,?\s*(?:at\s+|when\s+)?$", re.IGNORECASE)


def find_ages(text: str) -> Iterator[Span]:
    """Yield the character spans of every stated age of the writer in `text`."""
    for match in _AGE_RE.finditer(text):
        if age_to_years(match.group()) is not None and not _EVENT_BEFORE.search(text[:match.start()]):
            yield match.span()


#: The age of the person written about, when the message is about someone else: "he's 84", "my dad is 84",
#: "84M", "72 yo female", "a 60-year-old woman" (the forms above that are not the writer's own also count).
_SUBJECT_AGE_RE = re.compile(
    r"\b(?:he|she|hes|shes)\s*(?:'s|’s|is|was|turned|turns|just turned)?\s+(\d{2,3})\b"
    r"(?!\s*(?:/|out of|%|percent|" + _UNIT + r"\b))"
    r"|\b(?:is|aged?|'s|’s)\s+(\d{2,3})\b(?!\s*(?:/|out of|%|percent|" + _UNIT + r"\b))"
    r"|(?:^|[\s,(;:])(\d{1,3})\s?(?:yo|y/o|y\.o\.|year old|years old|yr old|-year-old|-yr-old)?\s?"
    r"(?:m|f|male|female|man|woman|gentleman|lady|gent)\b(?![/-])",
    re.IGNORECASE,
)
#: A clinical or third-person opening: "84 year old male", "45M", "72 yo F", "a 60-year-old woman".
_FRAME_RE = re.compile(
    # never "10 of us" (the "o" of "yo" and the "f" of "female" are not "of")
    r"(?:^|[\s,(;:])(?:(?:a|an)\s+)?(\d{1,3})(?!\s*of\b)\s*(?:-|\s)?\s*(?:years?|yrs?|yr|y)?[\s-]*(?:old|o|/o|\.o\.)?[\s-]*"
    r"(?:m|f|male|female|man|woman|gentleman|lady|gent|boy|girl)\b(?![/-])",
    re.IGNORECASE,
)
_SELF_BEFORE = re.compile(r"(?:\bi'?m|\bi am|\bim)\s+(?:a|an)?\s*$", re.IGNORECASE)
_BEFORE_MINUTES = re.compile(r"(?:\bfor|\babout|\bin|\bafter|\bevery|\bran|\bwalked|\blast)\s*$", re.IGNORECASE)


def find_frames(text: str) -> Iterator[Span]:
    """Yield the spans of a third-person or clinical opening ("84 year old male", "45M"), not the writer's own
    ("I'm a 45 year old male") and not a time ("for 45m")."""
    for match in _FRAME_RE.finditer(text):
        before = text[:match.start(1)]
        if _SELF_BEFORE.search(before) or _BEFORE_MINUTES.search(before):
            continue
        if age_to_years(match.group(1)) is not None:
            yield match.start(1), match.end()


def find_subject_ages(text: str, nouns: Collection[str] = ()) -> Iterator[Span]:
    """Yield the spans of the ages stated for the person written about (the message is about someone else);
    "is 84" counts only straight after one of `nouns` ("my dad is 84", not "his pain is 10")."""
    for match in _SUBJECT_AGE_RE.finditer(text):
        number = next(g for g in match.groups() if g)
        start = match.start() if text[match.start()].isalnum() else match.start() + 1
        before = text[:start]
        if match.group(3) and (_SELF_BEFORE.search(before) or _BEFORE_MINUTES.search(before)):
            continue
        if match.group(2) and not (before.split() and before.split()[-1].lower().strip(",") in nouns):
            continue
        if age_to_years(number) is not None and not _EVENT_BEFORE.search(before):
            yield start, match.end()


def is_writers_age(phrase: str) -> bool:
    """ "I'm 35": an age the writer gives of themselves."""
    return bool(re.match(r"\s*(?:i'?m|i am|im)\b", phrase, re.IGNORECASE))


def age_to_years(phrase: str) -> Optional[int]:
    """Turn a stated age ("I'm 67", "in my fifties", "17 yo") into years; None when implausible."""
    text = phrase.strip().lower()
    for word, years in _DECADES.items():
        if word in text:
            return years
    decade = re.search(r"\b([2-9])0'?s\b", text)
    if decade:
        return int(decade.group(1)) * 10 + 5
    number = re.search(r"\d{1,3}", text)
    if number and 10 <= int(number.group()) <= 110:
        return int(number.group())
    return None
