"""The action server stops mid-conversation: safety guidance still reaches the person, and nothing is lost.

policies/safety_net.py answers from the model when a custom action fails; these
tests stop the real action server of the running stack and talk to Rasa.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import Servers, all_text

pytestmark = pytest.mark.e2e


def sender() -> str:
    return f"down-{uuid.uuid4().hex[:8]}"


def test_an_emergency_still_gets_the_emergency_message(actions_down: Servers) -> None:
    person = sender()
    replies = actions_down.say(person, "since this morning I can't control my bladder and both my legs feel numb")
    text = all_text(replies)
    assert "emergency" in text.lower() and "999" in text, replies
    slots = actions_down.slots(person)
    assert slots["triage_level"] == "emergency"
    assert "cauda_equina" in slots["triage_rule_ids"]
    assert slots["routine_id"] is None


def test_an_urgent_sign_mid_form_gets_the_urgent_message(actions_down: Servers) -> None:
    person = sender()
    actions_down.start_actions()  # start the form normally ...
    actions_down.say(person, "I've got a knot in my lower back")
    actions_down.stop_actions()  # ... then the server goes away
    text = all_text(actions_down.say(person, "also I've had a fever and chills for two days"))
    assert "today" in text and "massage" in text, text
    assert actions_down.slots(person)["triage_level"] == "urgent"


def test_without_a_red_flag_the_person_is_told_and_the_conversation_resumes(actions_down: Servers) -> None:
    person = sender()
    replies = actions_down.say(person, "there's a knot in my neck")
    text = all_text(replies)
    assert "try again" in text and "emergency number" in text, replies
    actions_down.start_actions()
    # Nothing was lost: the region read while the server was down is still known, and the form carries on.
    replies = actions_down.say(person, "a dull ache for two weeks, about 4 out of 10")
    slots = actions_down.slots(person)
    assert slots["body_region"] == "neck"
    assert slots["pain_quality"] == "dull_ache" and slots["pain_severity"] == 4
    assert slots["requested_slot"], replies


def test_a_proxys_emergency_is_worded_for_the_person_they_ask_for(actions_down: Servers) -> None:
    person = sender()
    replies = actions_down.say(person, "my dad is 84, he has had severe back pain for an hour and he just fainted")
    text = all_text(replies)
    assert "for them" in text and "Stay with them" in text, replies
    assert actions_down.slots(person)["triage_level"] == "emergency"
