"""Each action with a real Tracker and CollectingDispatcher: the events and what is said."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.decide import ActionDecideCare
from actions.extraction import ActionExtractPainFacts
from actions.fallback import ActionDefaultFallback
from actions.intake import ActionAskBodyRegion, ValidatePainIntakeForm
from actions.plans import ActionGivePlan
from actions.questions import ActionAnswerQuestion
from tests.integration.actions.conftest import entity, make_tracker, texts


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_extraction_turns_words_into_numbers(domain) -> None:
    tracker = make_tracker("3 weeks, about a 6", entities=[entity("duration", "3 weeks"),
                                                           entity("severity", "about a 6")])
    events = await ActionExtractPainFacts().run(CollectingDispatcher(), tracker, domain)
    assert slots_of(events) == {"pain_duration_days": 21.0, "pain_severity": 6}


async def test_extraction_accumulates_red_flags(domain) -> None:
    tracker = make_tracker("and now a fever", intent="report_red_flag", entities=[entity("red_flag", "fever")],
                           red_flags=["night_pain"])
    events = await ActionExtractPainFacts().run(CollectingDispatcher(), tracker, domain)
    assert slots_of(events) == {"red_flags": ["night_pain", "fever"]}


async def test_someone_elses_signs_told_in_passing_are_kept_aside_not_affirmed(domain) -> None:
    tracker = make_tracker("my gf has a fever too, she's pregnant", entities=[entity("passing_red_flag", "fever"),
                                                                           entity("passing_condition", "pregnancy")],
                           body_region="neck", subject="self")
    events = await ActionExtractPainFacts().run(CollectingDispatcher(), tracker, domain)
    assert slots_of(events) == {"passing_red_flags": ["fever"], "passing_conditions": ["pregnancy"]}
    # in a conversation already about someone else, nothing is kept aside
    tracker = make_tracker("her sister has a fever", entities=[entity("passing_red_flag", "fever")], subject="other")
    assert slots_of(await ActionExtractPainFacts().run(CollectingDispatcher(), tracker, domain)) == {}


async def test_bare_number_answers_how_long_in_days(domain) -> None:
    tracker = make_tracker("3", entities=[entity("severity", "3")], requested_slot="pain_duration_days")
    events = await ActionExtractPainFacts().run(CollectingDispatcher(), tracker, domain)
    assert slots_of(events) == {"pain_duration_days": 3.0}


async def test_form_asks_the_screen_for_the_region(domain) -> None:
    form = ValidatePainIntakeForm()
    lower = make_tracker(body_region="lower_back")
    neck = make_tracker(body_region="neck")
    assert "screen_cauda_equina" in await form.required_slots([], CollectingDispatcher(), lower, domain)
    assert "screen_head_neuro" in await form.required_slots([], CollectingDispatcher(), neck, domain)
    assert "screen_cauda_equina" not in await form.required_slots([], CollectingDispatcher(), neck, domain)


async def test_a_red_flag_ends_the_form_at_once(domain) -> None:
    tracker = make_tracker(red_flags=["saddle_numbness"])
    assert await ValidatePainIntakeForm().required_slots([], CollectingDispatcher(), tracker, domain) == []


async def test_yes_to_a_screen_question_records_its_red_flags(domain) -> None:
    tracker = make_tracker("yes", intent="affirm", active_loop="pain_intake_form", body_region="lower_back",
                           requested_slot="screen_cauda_equina")
    result = ValidatePainIntakeForm().validate_screen_cauda_equina(True, CollectingDispatcher(), tracker, domain)
    assert result["red_flags"] == ["bladder_bowel_change", "saddle_numbness", "bilateral_leg_symptoms"]


def test_plain_back_asks_which_part(domain) -> None:
    tracker = make_tracker("my back", entities=[entity("body_region", "back")])
    result = ValidatePainIntakeForm().validate_body_region("back", CollectingDispatcher(), tracker, domain)
    assert result == {"body_region": None, "region_hint": "back"}


async def test_ask_back_part_after_plain_back(domain) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskBodyRegion().run(dispatcher, make_tracker(region_hint="back"), domain)
    assert "back" in texts(dispatcher)[0].lower() and len(dispatcher.messages[0]["buttons"]) == 3


async def test_a_second_plain_back_is_told_why_the_part_matters(domain) -> None:
    tracker = make_tracker("all of it really", region_hint="back")
    back = {"event": "slot", "name": "region_hint", "value": "back"}
    tracker.events = [{"event": "user", "text": "my back hurts"}, back, {"event": "bot", "text": "Which part?"},
                      {"event": "user", "text": "all of it"}, back]
    dispatcher = CollectingDispatcher()
    await ActionAskBodyRegion().run(dispatcher, tracker, domain)
    said = texts(dispatcher)[-1]
    assert "different for the upper, middle and lower back" in said and len(dispatcher.messages[-1]["buttons"]) == 3


async def test_decision_self_care_gives_a_tailored_routine(domain) -> None:
    tracker = make_tracker(body_region="upper_back", pain_quality="dull_ache", pain_duration_days=21,
                           pain_severity=5, screen_nerve=False, screen_general=False, screen_trauma_chest=False)
    dispatcher = CollectingDispatcher()
    events = await ActionDecideCare().run(dispatcher, tracker, domain)
    slots = slots_of(events)
    assert slots["triage_level"] == "self_care"
    assert slots["routine_id"] == "upper_back_ball_on_wall"
    assert "self_care_default" in slots["triage_rule_ids"]
    assert slots["plan_pending"] is True  # the plan comes after the plan preferences
    assert "Why this one" not in "\n".join(texts(dispatcher))
    planned = make_tracker(**{**tracker.slots, **slots})
    dispatcher = CollectingDispatcher()
    events = await ActionGivePlan().run(dispatcher, planned, domain)
    said = "\n".join(texts(dispatcher))
    assert "Why this one" in said and "upper back" in said
    assert slots_of(events)["routine_id"] == "upper_back_ball_on_wall"


async def test_decision_emergency_gives_no_routine_and_ends_the_form(domain) -> None:
    tracker = make_tracker("I can't feel my bum", intent="report_red_flag", active_loop="pain_intake_form",
                           body_region="lower_back", red_flags=["saddle_numbness"])
    dispatcher = CollectingDispatcher()
    events = await ActionDecideCare().run(dispatcher, tracker, domain)
    slots = slots_of(events)
    assert slots["triage_level"] == "emergency" and slots["routine_id"] is None
    assert "emergency" in texts(dispatcher)[0].lower()
    assert any("Why:" in t for t in texts(dispatcher))
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events


async def test_decision_consult_first_is_gentle(domain) -> None:
    tracker = make_tracker(body_region="neck", pain_quality="stiffness", pain_duration_days=10, pain_severity=4,
                           conditions=["pregnancy"])
    events = await ActionDecideCare().run(CollectingDispatcher(), tracker, domain)
    slots = slots_of(events)
    assert slots["triage_level"] == "consult_first" and slots["routine_id"] == "gentle_general"


async def test_answer_is_tailored_to_the_region(domain) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker("how long do i hold it", intent="ask_hold_time",
                                                              body_region="lower_back"), domain)
    assert "20" in texts(dispatcher)[0]


async def test_a_shared_question_is_answered_by_its_topics_in_order(domain) -> None:
    dispatcher = CollectingDispatcher()
    topics = [entity("question_topic", t) for t in ("ask_stretches", "ask_breathing", "ask_stretches")]
    tracker = make_tracker("which stretches, and how do i breathe?", intent="ask_question", body_region="neck",
                           entities=topics)
    await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert len(said) == 2
    assert said[0].startswith("Stretch gently") and "Chin tucks" in said[0]  # with the note for the neck
    assert said[1].startswith("Breathe slowly")


async def test_a_shared_question_with_no_topic_offers_the_topics(domain) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker("i have a question", intent="ask_question"), domain)
    payloads = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert len(payloads) == 12 and "/ask_tools" in payloads
    assert '/ask_question{"question_topic":"ask_pregnancy"}' in payloads


async def test_fallback_is_kind_and_forgets_the_message(domain) -> None:
    for text, expected in [("", "empty"), ("これは何ですか", "English"), ("asdfgh", "another way")]:
        dispatcher = CollectingDispatcher()
        events = await ActionDefaultFallback().run(dispatcher, make_tracker(text, intent="nlu_fallback"), domain)
        assert events == [UserUtteranceReverted()]
        assert expected in texts(dispatcher)[0]


async def test_an_answer_not_understood_mid_form_gets_the_question_again(domain) -> None:
    """The form's question is asked again, worded for whose pain it is, with its buttons: nothing is lost."""
    answers = [("purple monkey dishwasher", "didn't catch that"), ("", "empty"), ("これは何ですか", "English")]
    for text, first in answers:
        for subject, question in [("self", "How bad is it right now"), ("other", "How bad is it for them")]:
            dispatcher = CollectingDispatcher()
            tracker = make_tracker(text, intent="nlu_fallback", active_loop="intake_form",
                                   requested_slot="pain_severity", subject=subject)
            events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
            assert events[0] == UserUtteranceReverted()
            said = texts(dispatcher)
            assert first in said[0] and said[1].startswith(question), said
            assert "another way" not in " ".join(said)
            assert dispatcher.messages[1]["buttons"], dispatcher.messages
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("blah", intent="nlu_fallback", active_loop="intake_form", requested_slot="body_region",
                           region_hint="back")
    await ActionDefaultFallback().run(dispatcher, tracker, domain)
    assert "Which part of your back" in texts(dispatcher)[1]


async def test_a_question_about_the_neck_or_back_not_understood_gets_a_scope_answer(domain) -> None:
    """Not "put it another way": what we do, and who can answer the rest; worded for whose pain it is."""
    for subject, expected in [("self", "how long you've had it"), ("other", "how long they've had it")]:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker("Can sinus infections cause neck pain and neck vein distention?", intent="nlu_fallback",
                               entities=[entity("body_region", "neck")], subject=subject)
        events = await ActionDefaultFallback().run(dispatcher, tracker, domain)
        assert events[0] == UserUtteranceReverted()
        assert "GP or a pharmacist" in texts(dispatcher)[0] and expected in texts(dispatcher)[0]
        assert "another way" not in texts(dispatcher)[0]


async def test_fallback_keeps_whose_pain_it_is_though_the_message_set_it(domain) -> None:
    """The tracker Rasa sends already holds the slot the reverted message set: it is set again after the revert."""
    tracker = make_tracker("In this patient with back pain, how do you diagnose arachnoiditis?", intent="nlu_fallback",
                           entities=[entity("subject", "other"), entity("writer", "front_desk")], subject="other",
                           writer="front_desk")
    events = await ActionDefaultFallback().run(CollectingDispatcher(), tracker, domain)
    assert events == [UserUtteranceReverted(), SlotSet("subject", "other"), SlotSet("writer", "front_desk")]


async def test_fallback_keeps_the_facts_that_add_up(domain) -> None:
    tracker = make_tracker("I should say its my partner not me lol. hes 47 and on apixaban", intent="nlu_fallback",
                           entities=[entity("subject", "other"), entity("condition", "blood_thinners"),
                                     entity("age", "47")], subject="other", conditions=["blood_thinners"])
    events = await ActionDefaultFallback().run(CollectingDispatcher(), tracker, domain)
    assert events == [UserUtteranceReverted(), SlotSet("subject", "other"), SlotSet("conditions", ["blood_thinners"]),
                      SlotSet("age", 47.0)]


async def test_a_suspected_red_flag_puts_the_screen_first(domain) -> None:
    ranking = [{"name": "describe_pain", "confidence": 1.0}, {"name": "report_red_flag", "confidence": 0.93}]
    tracker = make_tracker("trouble with my wee since the back pain started", ranking=ranking)
    events = await ActionExtractPainFacts().run(CollectingDispatcher(), tracker, domain)
    assert slots_of(events) == {"screen_first": True}
    screened = make_tracker(screen_first=True, body_region="lower_back")
    required = await ValidatePainIntakeForm().required_slots([], CollectingDispatcher(), screened, domain)
    assert required[0] == "screen_cauda_equina" and required[-1] == "pain_severity"


async def test_the_first_screen_question_says_why(domain) -> None:
    from actions.intake import ASK_ACTIONS

    ask_general = next(a for a in ASK_ACTIONS if a().name() == "action_ask_screen_general")()
    first, later = CollectingDispatcher(), CollectingDispatcher()
    await ask_general.run(first, make_tracker(body_region="neck"), domain)
    await ask_general.run(later, make_tracker(body_region="neck", screen_head_neuro=False), domain)
    assert len(first.messages) == 2 and "safety" in texts(first)[0]
    assert len(later.messages) == 1 and later.messages[0]["buttons"]
