"""Whole conversations over the REST channel, checked through the replies and the tracker API."""

from __future__ import annotations

import uuid
from typing import Any, Dict

import pytest

from tests.e2e.conftest import (
    Servers,
    all_text,
    asked_during_the_intake,
    buttons,
    opened,
    socket_session,
    wait_for_replies,
)

pytestmark = pytest.mark.e2e


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:8]}"


def answer_screen_no(servers: Servers, sender: str, replies, limit: int = 6):
    """Answer every yes/no screen question with the No button until something else comes."""
    for _ in range(limit):
        if "/deny" not in buttons(replies):
            return replies
        replies = servers.say(sender, "/deny")
    return replies


def screened(servers: Servers, text: str, yes: str, limit: int = 8) -> Dict[str, Any]:
    """The slots of a new conversation opened with `text`, once each question the intake asked is answered: No,
    but Yes to `yes`."""
    sender = new_sender()
    servers.say(sender, text)
    for _ in range(limit):
        requested = servers.slots(sender)["requested_slot"]
        if not requested:
            break
        servers.say(sender, "/affirm" if requested == yes else "/deny")
    return servers.slots(sender)


def answer_preferences(servers: Servers, sender: str, replies, limit: int = 4):
    """Answer the plan preference questions with buttons (a tennis ball, 10 minutes, no) until the plan."""
    choices = {"tool": '/inform_preferences{"tool":"tennis_ball"}', "minutes": '/inform_preferences{"minutes":"10"}'}
    for _ in range(limit):
        offered = buttons(replies)
        pick = next((choices[key] for key in choices if any(f'"{key}"' in b for b in offered)), None)
        if pick is None and "/deny" in offered:
            pick = "/deny"
        if pick is None:
            return replies
        replies = servers.say(sender, pick)
    return replies


def test_everything_in_one_message_then_the_screen_then_a_routine(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "knot under my right shoulder blade, dull ache, 3 weeks, about 5/10")
    assert set(buttons(replies)) == {"/affirm", "/deny"}, replies
    assert servers.slots(sender)["requested_slot"].startswith("screen_")
    replies = answer_screen_no(servers, sender, replies)
    slots = servers.slots(sender)
    assert slots["body_region"] == "upper_back"
    assert slots["pain_quality"] == "dull_ache"
    assert slots["pain_duration_days"] == 21
    assert slots["pain_severity"] == 5
    assert slots["triage_level"] == "self_care"
    assert slots["routine_id"] == "upper_back_ball_on_wall"
    assert "self_care_default" in slots["triage_rule_ids"]
    assert slots["red_flags"] == []
    assert slots["requested_slot"] == "tools_available"  # the plan preferences come after the decision
    replies = answer_preferences(servers, sender, replies)
    text = all_text(replies)
    assert "Why this one" in text and "hold" in text.lower()
    assert "tennis ball" in text.lower()  # tailored to what the person has
    slots = servers.slots(sender)
    assert slots["routine_id"] == "upper_back_ball_on_wall" and slots["triage_level"] == "self_care"
    assert slots["tools_available"] == ["tennis_ball"] and slots["session_minutes"] == 10


def test_answers_out_of_order_and_only_what_is_missing(servers: Servers) -> None:
    sender = new_sender()
    servers.say(sender, "hi")
    servers.say(sender, "it's been about 2 weeks")
    slots = servers.slots(sender)
    assert slots["pain_duration_days"] == 14 and slots["requested_slot"] == "body_region"
    servers.say(sender, "pretty bad, its in my neck")
    slots = servers.slots(sender)
    assert slots["body_region"] == "neck" and slots["pain_severity"] == 7
    assert slots["requested_slot"] == "pain_quality"
    replies = servers.say(sender, "stiff mostly")
    replies = answer_screen_no(servers, sender, replies)
    slots = servers.slots(sender)
    assert slots["triage_level"] == "self_care" and slots["routine_id"] in ("neck_base_of_skull", "neck_side")


def test_a_correction_changes_the_region_and_the_screen(servers: Servers) -> None:
    sender = opened(servers, new_sender(), "i have a knot in my neck, dull ache, 1 week, 4/10", "screen_head_neuro")
    servers.say(sender, "actually it's my lower back")
    slots = servers.slots(sender)
    assert slots["body_region"] == "lower_back"
    assert slots["requested_slot"] == "screen_cauda_equina"
    answer_screen_no(servers, sender, [{"buttons": [{"payload": "/deny"}]}])
    assert servers.slots(sender)["routine_id"] == "lower_back_beside_spine"


def test_a_question_mid_form_is_answered_and_the_form_resumes(servers: Servers) -> None:
    text = asked_during_the_intake(servers, new_sender(), "my lower back has a knot",
                                   "how long should i hold the pressure on it?", "lower_back")
    assert "second" in text.lower()


def test_a_red_flag_in_the_first_message_is_an_emergency(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "my lower back hurts and since yesterday i can't control my bladder")
    assert "emergency" in all_text(replies[:1]).lower()
    slots = servers.slots(sender)
    assert slots["triage_level"] == "emergency"
    assert "bladder_bowel_change" in slots["red_flags"]
    assert slots["routine_id"] is None


def test_a_red_flag_in_the_middle_of_the_form_wins(servers: Servers) -> None:
    sender = opened(servers, new_sender(), "knot in my lower back, dull ache, for 2 weeks", "pain_severity")
    replies = servers.say(sender, "about a 6, and i can't feel my bum when i wipe")
    assert "emergency" in all_text(replies).lower()
    slots = servers.slots(sender)
    assert slots["triage_level"] == "emergency" and "saddle_numbness" in slots["red_flags"]
    assert slots["requested_slot"] is None


def test_yes_on_the_screen_is_acted_on(servers: Servers) -> None:
    sender = opened(servers, new_sender(), "lower back knot, aching, 3 days, 5/10", "screen_cauda_equina")
    replies = servers.say(sender, "/affirm")
    assert "emergency" in all_text(replies).lower()
    assert servers.slots(sender)["triage_level"] == "emergency"


def test_a_red_flag_after_the_routine_changes_the_decision(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "tight knot on top of my shoulders, 2 weeks, 4/10")
    replies = answer_screen_no(servers, sender, replies)
    replies = answer_preferences(servers, sender, replies)
    assert "Why this one" in all_text(replies)
    assert servers.slots(sender)["triage_level"] == "self_care"
    replies = servers.say(sender, "oh and i've had a fever and chills since last night")
    assert "today" in all_text(replies).lower()
    slots = servers.slots(sender)
    assert slots["triage_level"] == "urgent" and slots["routine_id"] is None


def test_nerve_like_pain_that_travels_goes_to_a_clinician(servers: Servers) -> None:
    slots = screened(servers, "burning pain in my neck for 3 weeks, 5/10", yes="screen_radiating")
    assert slots["screen_radiating"] is True
    assert slots["triage_level"] == "see_clinician" and slots["routine_id"] is None
    assert "limb_nerve_symptoms" in slots["triage_rule_ids"]


def test_nerve_like_pain_that_does_not_travel_can_be_a_knot(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "burning pain in my neck for 3 weeks, 5/10")
    asked = []
    for _ in range(8):
        requested = servers.slots(sender)["requested_slot"]
        if not requested:
            break
        asked.append(requested)
        replies = servers.say(sender, "/deny")
    slots = servers.slots(sender)
    assert "screen_radiating" in asked and "screen_age" in asked  # 3 weeks is new pain, and no age was given
    assert slots["screen_radiating"] is False
    assert slots["triage_level"] == "self_care" and slots["routine_id"], replies


def test_new_pain_over_50_is_urgent(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "I'm 67 and a knot in my lower back started a week ago, dull ache, about 4/10")
    answer_screen_no(servers, sender, replies)
    slots = servers.slots(sender)
    assert slots["age"] == 67
    assert slots["triage_level"] == "urgent" and "new_pain_over_50" in slots["triage_rule_ids"]


def test_the_age_question_comes_for_new_pain(servers: Servers) -> None:
    slots = screened(servers, "knot in my upper back since 4 days, dull, 3/10", yes="screen_age")
    assert slots["screen_age"] is True
    assert slots["triage_level"] == "urgent" and "new_pain_age_risk" in slots["triage_rule_ids"]


#: An opening about the writer's own pain that leaves the intake at its first screen question.
WRITERS_OWN = "my lower back has been aching for 2 weeks, about a 4"


def test_someone_mentioned_in_passing_changes_nothing_for_the_writer(servers: Servers) -> None:
    sender = opened(servers, new_sender(), WRITERS_OWN, "screen_cauda_equina")
    servers.say(sender, "sorry, distracted, my wife's laid up with a temperature so im doing everything")
    slots = servers.slots(sender)
    assert slots["subject"] == "self" and not slots["red_flags"] and slots["triage_level"] is None
    assert slots["body_region"] == "lower_back" and slots["pain_duration_days"] == 14
    assert slots["requested_slot"] == "screen_cauda_equina"  # the intake goes on where it was


def test_a_message_that_says_it_is_for_someone_else_makes_them_the_subject(servers: Servers) -> None:
    sender = opened(servers, new_sender(), WRITERS_OWN, "screen_cauda_equina")
    replies = servers.say(sender, "actually it's my wife I'm asking for, she has a fever and a stiff neck")
    slots = servers.slots(sender)
    assert slots["subject"] == "other" and slots["triage_level"] == "emergency", all_text(replies)


def test_someone_elses_emergency_happening_now_turns_the_conversation_to_them(servers: Servers) -> None:
    sender = opened(servers, new_sender(), WRITERS_OWN, "screen_cauda_equina")
    replies = servers.say(sender, "hang on, my colleague just grabbed his back, says it feels like it's tearing, "
                                  "came out of nowhere. he's gone pale, what do I do")
    slots = servers.slots(sender)
    assert slots["subject"] == "other" and slots["triage_level"] == "emergency", all_text(replies)
    assert "for them" in all_text(replies)  # the emergency message tells the writer what to do for him


def test_a_pets_back_gets_a_vet_and_the_writers_own_back_after_it_the_intake(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "My dachshund yelps when I touch his lower back. Can I massage him myself?")
    slots = servers.slots(sender)
    assert "vet" in all_text(replies) and slots["body_region"] is None and slots["requested_slot"] is None
    servers.say(sender, "ok thanks. my own lower back is sore too")
    slots = servers.slots(sender)
    assert slots["subject"] == "self" and slots["body_region"] == "lower_back"


def test_a_question_about_people_in_general_is_answered_without_an_intake(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "Pharmacist here: why do so many customers have tight lower backs?")
    slots = servers.slots(sender)
    assert slots["body_region"] is None and slots["requested_slot"] is None, all_text(replies)
    assert all_text(replies).strip()


def test_the_writer_can_say_it_is_theirs_after_all(servers: Servers) -> None:
    sender = new_sender()
    servers.say(sender, "my husband has a sore neck")
    assert servers.slots(sender)["subject"] == "other"
    servers.say(sender, "actually it's me, not him")
    assert servers.slots(sender)["subject"] == "self"


def test_a_client_cannot_say_the_conversation_is_about_the_writer(servers: Servers) -> None:
    """The marker the fact extractor reads is set from the tracker alone: sent by a client, it is dropped."""
    with socket_session(servers.rasa_url) as socket:
        text = "my husband has a stiff neck, a high fever and the light hurts his eyes"
        socket.send({"message": text, "session_id": socket.session_id, "customData": {"knotcare_writer_in_pain": True}})
        replies = wait_for_replies(socket.received)
        slots = servers.slots_after_the_turn(socket.conversation, text)
    assert slots["subject"] == "other" and slots["triage_level"] == "emergency", all_text(replies)
