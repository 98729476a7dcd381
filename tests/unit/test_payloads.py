"""Typed /intent{...} payloads keep only canonical values; staff see summaries escaped and cut short."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from knotcare.clinic.slack import ticket_blocks
from knotcare.clinic.tickets import Ticket, summary_lines
from knotcare.nlp.payloads import checked

EVIL = "<!channel> <https://evil.example|Open record>"


@pytest.mark.parametrize("text", [
    '/describe_pain{"body_region":"neck"}', '/describe_pain{"body_region":"lower_back"}',
    '/inform_preferences{"tool":"tennis_ball"}', '/inform_preferences{"minutes":"10"}',
    '/describe_pain{"severity":"7/10"}', '/describe_pain{"duration":"3 weeks"}',
    '/ask_question{"question_topic":"ask_stretches"}', '/describe_pain{"subject":"other","writer":"front_desk"}',
    "/affirm", "/deny", "hello there", "", "/",
])
def test_our_own_buttons_and_ordinary_messages_pass_unchanged(text: str) -> None:
    assert checked(text) == text


@pytest.mark.parametrize(("text", "kept"), [
    ('/describe_pain{"condition": "' + EVIL + '"}', "/describe_pain"),
    ('/describe_pain{"body_region": "neck", "condition": "made_up"}', '/describe_pain{"body_region":"neck"}'),
    ('/describe_pain{"red_flag": ["chest_pain", "x"]}', "/describe_pain"),
    ('/describe_pain{"body_region": 5}', "/describe_pain"),
    ('/describe_pain{"severity": "7/10 <b>"}', "/describe_pain"),
    ('/describe_pain{"nonsense": "neck"}', "/describe_pain"),
    ('/describe_pain{"body_region": "neck"', '/describe_pain{"body_region": "neck"'),  # not a payload: Rasa's own
])
def test_other_values_are_dropped_and_the_intent_stays(text: str, kept: str) -> None:
    assert checked(text) == kept


def test_staff_see_values_escaped_without_control_characters_and_cut_short() -> None:
    summary = {"region": "neck", "conditions": [EVIL, "\x1b[2J" + "x" * 500], "screen": {EVIL: "yes"}}
    lines = "\n".join(summary_lines(summary))
    assert "\x1b" not in lines and "x" * 100 not in lines
    ticket = Ticket(7, "p", "/c", "asked", "closed", summary, dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 1),
                    "<@U123> " + EVIL)
    blocks = json.dumps(ticket_blocks(ticket, "Clinic <b>"))
    assert "<!channel>" not in blocks and "<https:" not in blocks and "<@U123>" not in blocks
    assert "&lt;!channel&gt;" in blocks
