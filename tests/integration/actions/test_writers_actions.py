"""The actions for someone writing for another person, a front desk, and parts we do not cover."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.decide import ActionDecideCare
from actions.intake import ASK_ACTIONS, ActionAskBodyRegion
from actions.scope import ActionAnswerScope
from tests.integration.actions.conftest import entity, make_tracker, texts


def ask_action(slot: str):
    return next(a for a in ASK_ACTIONS if a().name() == f"action_ask_{slot}")()


async def test_questions_to_a_proxy_are_worded_for_the_subject(domain) -> None:
    for slot, words in (("pain_quality", "for them"), ("pain_duration_days", "have they"),
                        ("screen_cauda_equina", "have they had"), ("screen_age", "are they")):
        dispatcher = CollectingDispatcher()
        await ask_action(slot).run(dispatcher, make_tracker(subject="other"), domain)
        said = " ".join(texts(dispatcher)).lower()
        assert words in said and " you " not in f" {said.split('?')[0]} ", said


async def test_questions_to_the_writer_say_you(domain) -> None:
    dispatcher = CollectingDispatcher()
    await ask_action("pain_duration_days").run(dispatcher, make_tracker(subject="self"), domain)
    assert texts(dispatcher) == ["How long have you had it?"]


async def test_the_emergency_message_tells_a_proxy_what_to_do_for_the_person(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("he fainted", intent="report_red_flag", red_flags=["neuro_head_signs"], subject="other")
    await ActionDecideCare().run(dispatcher, tracker, domain)
    said = texts(dispatcher)[0]
    assert "for them" in said and "Stay with them" in said


async def test_the_reason_given_to_a_proxy_speaks_of_the_person(domain) -> None:
    for subject, words in (("other", "their clinician"), ("self", "your clinician")):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker("she has osteoporosis", conditions=["osteoporosis"], body_region="mid_back",
                               pain_quality="dull_ache", pain_duration_days=5, pain_severity=4, subject=subject)
        await ActionDecideCare().run(dispatcher, tracker, domain)
        why = [t for t in texts(dispatcher) if t.startswith("Why: ")]
        assert why and words in why[0], texts(dispatcher)


async def test_a_front_desk_gets_the_clinics_escalation_and_the_next_caller_control(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("caller says she fainted", intent="report_red_flag", red_flags=["neuro_head_signs"],
                           subject="other", writer="front_desk")
    await ActionDecideCare().run(dispatcher, tracker, domain)
    escalation = [m for m in dispatcher.messages if (m.get("text") or "").startswith("Front desk:")]
    assert escalation and "999" in escalation[0]["text"]
    assert [b["payload"] for b in escalation[0]["buttons"]] == ["/new_caller"]


async def test_a_relative_gets_no_front_desk_wording(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("he fainted", intent="report_red_flag", red_flags=["neuro_head_signs"],
                           subject="other", writer="relative")
    await ActionDecideCare().run(dispatcher, tracker, domain)
    assert not [t for t in texts(dispatcher) if t.startswith("Front desk:")]


async def test_a_knee_gets_a_kind_scope_answer_with_where_to_go(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("my knee hurts", intent="describe_other_part", entities=[entity("other_body_part", "knee")])
    await ActionAnswerScope().run(dispatcher, tracker, domain)
    said = texts(dispatcher)[0]
    assert "your knee" in said and "pharmacist" in said and "physiotherapist" in said
    assert "didn't" not in said.lower().split("can't advise")[0]


async def test_a_scope_answer_for_someone_else_says_their(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("her hip and knee", intent="describe_other_part", subject="other",
                           entities=[entity("other_body_part", "hip"), entity("other_body_part", "knee")])
    await ActionAnswerScope().run(dispatcher, tracker, domain)
    assert "their hip and knee" in texts(dispatcher)[0]


async def test_a_covered_region_with_a_part_outside_goes_on_and_says_so(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("my knee and lower back hurt", entities=[entity("other_body_part", "knee"),
                                                                    entity("body_region", "lower_back")],
                           body_region="lower_back")
    await ask_action("pain_quality").run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert said[0].startswith("I'll help with the lower back; your knee is outside what I cover")
    assert said[-1] == "What does it feel like?"


async def test_the_region_question_is_unchanged_without_a_part_outside(domain) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskBodyRegion().run(dispatcher, make_tracker("it hurts"), domain)
    assert len(dispatcher.messages) == 1
