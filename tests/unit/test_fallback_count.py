"""Counting failed understandings in a row from the tracker's events (reverted messages included)."""

from __future__ import annotations

from actions.fallback import failed_in_a_row


def user(text: str) -> dict:
    return {"event": "user", "text": text}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


REVERT = {"event": "rewind"}


def test_the_first_miss_is_one() -> None:
    assert failed_in_a_row([action("action_listen"), user("hi"), action("utter_greet"), user("qwzx")]) == 1


def test_a_miss_after_a_reverted_miss_is_two() -> None:
    events = [user("qwzx"), action("action_default_fallback"), REVERT, user("plorp")]
    assert failed_in_a_row(events) == 2


def test_an_understood_message_in_between_starts_again() -> None:
    events = [user("qwzx"), action("action_default_fallback"), REVERT, user("my neck hurts"),
              action("pain_intake_form"), user("plorp")]
    assert failed_in_a_row(events) == 1


def test_a_new_session_starts_again() -> None:
    events = [user("qwzx"), action("action_default_fallback"), REVERT, {"event": "session_started"},
              user("plorp")]
    assert failed_in_a_row(events) == 1
