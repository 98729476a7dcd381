"""Durations and ratings: from the words people use to numbers."""

import datetime as dt

import pytest

from knotcare.nlp import quantities
from knotcare.nlp.quantities import duration_to_days, find_durations, find_severities, severity_to_int


@pytest.mark.parametrize("phrase, days", [
    ("since yesterday", 1), ("a couple of weeks", 14), ("3 months", 90), ("for ages", 365),
    ("3 weeks", 21), ("2-3 wks", 21), ("10 days", 10), ("a week", 7), ("48 hours", 2), ("a few days", 3),
    ("two and a half weeks", 17.5), ("this morning", 0), ("last night", 1), ("a fortnight", 14),
    ("6mo", 180), ("2 yrs", 730), ("about 3 weeks ago", 21), ("for months", 90),
])
def test_durations_become_days(phrase: str, days: float) -> None:
    assert duration_to_days(phrase) == pytest.approx(days)


def test_weekday_counts_back_from_today() -> None:
    wednesday = dt.date(2026, 11, 18)
    assert duration_to_days("since monday", today=wednesday) == 2
    assert duration_to_days("since wednesday", today=wednesday) == 7


@pytest.mark.parametrize("text", ["my chest hurts and my foot", "i have a knot", "the pain came back", "an ache"])
def test_no_duration_in_ordinary_words(text: str) -> None:
    assert list(find_durations(text)) == []


@pytest.mark.parametrize("phrase, value", [
    ("6/10", 6), ("about a 6", 6), ("7 out of 10", 7), ("pretty bad", 7), ("mild", 3), ("unbearable", 10),
    ("level 4", 4), ("a 3", 3), ("moderate", 5), ("not too bad", 3), ("excruciating", 9), ("it's bad", 6),
])
def test_ratings_become_integers(phrase: str, value: int) -> None:
    assert severity_to_int(phrase) == value


@pytest.mark.parametrize("text, found", [
    ("knot under my shoulder blade, about 5/10", ["5/10"]),
    ("6", ["6"]),
    ("i sit 8 hours a day", []),
    ("a 3 week old knot", []),
    ("bad posture at my desk", []),
    ("it's pretty bad", ["pretty bad"]),
])
def test_ratings_found_only_in_rating_context(text: str, found: list) -> None:
    assert [text[s:e] for s, e in find_severities(text)] == found


@pytest.mark.parametrize("text,age", [
    ("I'm 67 and my back hurts", 67), ("67 years old", 67), ("im 17", 17), ("I am 45 years old", 45),
    ("in my fifties", 55), ("67yo male", 67), ("aged 72", 72), ("turned 50 last month", 50),
])
def test_ages(text: str, age: int) -> None:
    spans = list(quantities.find_ages(text))
    assert len(spans) == 1 and quantities.age_to_years(text[slice(*spans[0])]) == age


@pytest.mark.parametrize("text", ["i'm a 6", "I'm 6/10", "pain for 67 years", "it's been 12 days", "I am 5 out of 10",
                                  "I'm 12 weeks pregnant"])
def test_not_ages(text: str) -> None:
    assert list(quantities.find_ages(text)) == []


@pytest.mark.parametrize("text, value", [
    ("she says 6 or 7", 7), ("6-7", 7), ("between 6 and 7", 7), ("she'd say 7", 7),
    ("about 6 or 7 when it tightens", 7),
])
def test_a_rating_given_as_a_range_counts_at_its_top(text: str, value: int) -> None:
    spans = list(find_severities(text))
    assert [severity_to_int(text[a:b]) for a, b in spans] == [value]


@pytest.mark.parametrize("text", ["2-3 days", "2 or 3 weeks", "3 or 4 knots", "6 or 7 days"])
def test_a_range_of_something_else_is_no_rating(text: str) -> None:
    assert list(find_severities(text)) == []


@pytest.mark.parametrize("text, value", [
    ("four", 4), ("about four", 4), ("she says seven", 7), ("seven out of ten", 7), ("six or seven", 7), ("zero", 0),
])
def test_a_rating_in_words_is_read(text: str, value: int) -> None:
    spans = list(find_severities(text))
    assert [severity_to_int(text[a:b]) for a, b in spans] == [value]


@pytest.mark.parametrize("text", ["one knot", "ten minutes", "four days ago I hurt my back", "One thing I noticed"])
def test_a_number_word_that_is_no_rating(text: str) -> None:
    assert list(find_severities(text)) == []


@pytest.mark.parametrize("text, value", [("she says it's annoying more than painful, 3", 3), ("lower back pain, 3", 3)])
def test_a_rating_given_last_after_a_comma(text: str, value: int) -> None:
    assert [severity_to_int(text[a:b]) for a, b in find_severities(text)] == [value]


def test_a_number_last_after_a_comma_in_a_duration_is_no_rating() -> None:
    assert list(find_severities("since monday, 3 days")) == []


@pytest.mark.parametrize("text, value", [
    ("he shows me 3 on the faces chart", 3), ("she points to 6", 6), ("4 on the pain scale", 4),
    ("my dad would say 5 on the faces scale", 5),
])
def test_a_rating_shown_on_a_chart_or_pointed_to_is_read(text: str, value: int) -> None:
    assert [severity_to_int(text[a:b]) for a, b in find_severities(text)] == [value]


@pytest.mark.parametrize("text", ["I work 3 on the night shift", "he points to his neck", "I saw 2 on the list"])
def test_a_number_on_something_that_is_no_scale_is_no_rating(text: str) -> None:
    assert list(find_severities(text)) == []


@pytest.mark.parametrize("text, days", [
    ("x2 wks", 14), ("like 3 weaks", 21), ("2 monts", 60),
    ("Pt c/o R trap pain x 6/52, 4/10 at rest, 7/10 w/ movement", 42),
    ("she's 7 months pregnant, the back pain started last week", 7), ("today's day 5", 5),
])
def test_durations_as_people_write_them(text: str, days: float) -> None:
    assert [duration_to_days(text[a:b]) for a, b in find_durations(text)] == [days]


@pytest.mark.parametrize("text", [
    "I sit 10 hours a day at a desk", "it hurts 3 days a week", "I'm 7 months pregnant", "my 3 month old",
    "on day 3 of antibiotics", "I work on Saturdays",
])
def test_a_rate_or_a_state_is_no_duration(text: str) -> None:
    assert list(find_durations(text)) == []


def test_the_day_it_started_and_the_dates_count_back_from_today() -> None:
    monday = dt.date(2026, 12, 7)
    said = "mid back stiffness since a gym session on Saturday"
    assert [duration_to_days(said[a:b], today=monday) for a, b in find_durations(said)] == [2]
    said = "it started last Wednesday"
    assert [duration_to_days(said[a:b], today=monday) for a, b in find_durations(said)] == [5]
    assert duration_to_days("at the weekend", today=monday) == 2
    assert duration_to_days("since christmas", today=monday) == 347
    assert duration_to_days("since christmas", today=dt.date(2027, 1, 4)) == 10
    assert duration_to_days("since the start of the month", today=monday) == 6


@pytest.mark.parametrize("text, value", [
    ("5ish", 5), ("dad says six-ish", 6), ("a solid 8", 8), ("her words: 'a steady 5'", 5), ("he says 11/10 lol", 10),
    ("neck pain 2/7, stiffness ++, VAS 5", 5), ("Pain is about 7 when it grabs me", 7),
    ("bearable", 4), ("a niggle really", 2), ("honestly more annoying than painful", 2), ("unbearable", 10),
])
def test_ratings_as_people_give_them(text: str, value: int) -> None:
    assert [severity_to_int(text[a:b]) for a, b in find_severities(text)] == [value]


def test_a_corrected_rating_comes_last() -> None:
    text = "8, no actually 7"
    assert [severity_to_int(text[a:b]) for a, b in find_severities(text)][-1] == 7


@pytest.mark.parametrize("text", ["I get up at 6ish", "back by 5ish"])
def test_a_time_is_no_rating(text: str) -> None:
    assert list(find_severities(text)) == []


@pytest.mark.parametrize("text", ["that awful offsite where we sat on bean bags", "a terrible night, my neck is stiff",
                                  "what an awful week"])
def test_a_severity_word_about_something_else_is_no_rating(text: str) -> None:
    assert list(find_severities(text)) == []


@pytest.mark.parametrize("text", ["an awful pain in my neck", "a severe knot", "my neck is awful", "a mild ache"])
def test_a_severity_word_about_the_pain_is_a_rating(text: str) -> None:
    assert len(list(find_severities(text))) == 1


@pytest.mark.parametrize("text, days", [
    ("lower back pain for 3 weeks, much worse the last 2 days", 21),
    ("neck has been stiff for 2 months but the last 3 days it's been really bad", 60),
    ("I've had 3 massages in the last 18 months but this flare up is only 4 days old", 4),
    ("my neck has hurt for the last 3 days", 3),
])
def test_a_window_beside_a_history_is_not_how_long_it_has_hurt(text: str, days: float) -> None:
    assert [duration_to_days(text[a:b]) for a, b in find_durations(text)] == [days]


@pytest.mark.parametrize("text", [
    "my mum hurt her back badly when she was 40, it was a 9 and she was off work 2 months, but that was all fine after",
    "when I was pregnant with my first it was a 10 for 3 weeks",
    "took 2 days off work",
    "I've been off sick for a week with it",
])
def test_numbers_of_another_time_or_time_off_are_not_the_pain_now(text: str) -> None:
    assert list(find_durations(text)) == [] and list(find_severities(text)) == []


@pytest.mark.parametrize("text, duration, rating", [
    ("when I was 20 I broke my leg; now my back has hurt for 3 weeks, a 5", "3 weeks", "a 5"),
    ("when I was pregnant it was a 9 but now it's a 4 and has been for 2 weeks", "2 weeks", "it's a 4"),
    ("neck spasm since last monday, it was a 9, and took 2 days off work", "since last monday", "a 9"),
])
def test_the_present_after_another_time_still_counts(text: str, duration: str, rating: str) -> None:
    assert [text[s:e] for s, e in find_durations(text)] == [duration]
    assert [text[s:e] for s, e in find_severities(text)] == [rating]


@pytest.mark.parametrize("text, days", [("i'm in week 2 of it", 10.5), ("we're into week three now", 17.5)])
def test_the_week_it_is_in_is_how_long(text: str, days: float) -> None:
    assert [duration_to_days(text[a:b]) for a, b in find_durations(text)] == [days]


@pytest.mark.parametrize("text", ["week 2 of the course", "in week 2 of physio"])
def test_a_week_of_something_else_is_not(text: str) -> None:
    assert list(find_durations(text)) == []


@pytest.mark.parametrize("text, ratings", [
    ("her pain was a 9 last week but she's fine now", []),
    ("was a 7, better now", []),
    ("it was a 9 yesterday but about a 5 now", ["a 9", "about a 5"]),  # the last one said is taken
    ("it was a 9 this morning", ["a 9"]),
    ("the pain was 8/10 and now it is worse", ["8/10"]),
])
def test_a_rating_over_by_now_is_not_how_bad_it_is(text: str, ratings: list) -> None:
    assert [text[a:b] for a, b in find_severities(text)] == ratings
