"""Plan, step-by-step and follow-up actions with real Trackers over a seeded SQLite knowledge base."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import provider
from actions.followup import ActionAnswerCheckIn, ActionSessionStart, ActionShowProgress
from actions.plans import (
    ActionExtractPlanPreferences,
    ActionExtractSessionPain,
    ActionGivePlan,
    ActionGuideStep,
    ActionRecordSession,
    ValidatePlanPreferencesForm,
)
from knotcare.privacy import person_id
from knotcare.progress import Entry, PlanRecord
from knotcare.progress.model import utcnow
from tests.integration.actions.conftest import SLOT_DEFAULTS, entity, make_tracker, texts

SELF_CARE_FACTS = dict(body_region="shoulders", pain_quality="stiffness", pain_duration_days=14, pain_severity=4,
                       triage_level="self_care", routine_id="shoulders_top")


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def on_channel(channel: Optional[str], text: str = "", intent: str = "greet", sender: str = "test-user",
               **slots: Any) -> Tracker:
    """A tracker whose latest message came in on `channel` (slack, telegram, rest, ...)."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}]
    return Tracker(sender, {**SLOT_DEFAULTS, **slots}, latest, events, False, None, {}, "action_listen")


async def test_typed_preferences_are_read(domain) -> None:
    tracker = make_tracker("ive got a tennis ball and about 20 mins", intent="inform_preferences",
                           active_loop="plan_preferences_form", requested_slot="tools_available")
    events = await ActionExtractPlanPreferences().run(CollectingDispatcher(), tracker, domain)
    assert slots_of(events) == {"tools_available": ["tennis_ball"], "session_minutes": 20.0}


async def test_buttons_yes_no_and_skip(domain) -> None:
    run = ActionExtractPlanPreferences().run
    button = make_tracker('/inform_preferences{"tool":"fingertips"}', intent="inform_preferences",
                          entities=[entity("tool", "fingertips")], requested_slot="tools_available")
    assert slots_of(await run(CollectingDispatcher(), button, domain)) == {"tools_available": ["fingertips"]}
    yes = make_tracker("yes", intent="affirm", requested_slot="limited_mobility")
    assert slots_of(await run(CollectingDispatcher(), yes, domain)) == {"limited_mobility": True}
    skip = make_tracker("skip", intent="skip", requested_slot="session_minutes")
    assert slots_of(await run(CollectingDispatcher(), skip, domain)) == {"plan_preferences_skipped": True,
                                                                         "session_minutes": None}


async def test_a_red_flag_or_a_question_is_not_an_answer(domain) -> None:
    run = ActionExtractPlanPreferences().run
    flag = make_tracker("i have a ball but my legs are numb", intent="report_red_flag",
                        requested_slot="tools_available")
    question = make_tracker("should i use a tennis ball?", intent="ask_tools", requested_slot="tools_available")
    assert await run(CollectingDispatcher(), flag, domain) == []
    assert await run(CollectingDispatcher(), question, domain) == []


async def test_the_form_asks_only_what_is_needed(domain) -> None:
    form = ValidatePlanPreferencesForm()
    ask = lambda **slots: form.required_slots([], CollectingDispatcher(), make_tracker(**slots), domain)  # noqa: E731
    assert await ask(triage_level="self_care") == ["tools_available", "session_minutes", "limited_mobility"]
    assert await ask(triage_level="consult_first") == ["session_minutes", "limited_mobility"]
    assert await ask(triage_level="self_care", plan_preferences_skipped=True) == []


async def test_the_plan_is_tailored_recorded_and_offers_step_by_step(domain, sqlite_kb) -> None:
    tracker = on_channel("rest", sender="plan-person", tools_available=["fingertips"], session_minutes=3.0,
                         limited_mobility=False, plan_pending=True, **SELF_CARE_FACTS)
    dispatcher = CollectingDispatcher()
    events = await ActionGivePlan().run(dispatcher, tracker, domain)
    said = "\n".join(texts(dispatcher))
    assert "You said you have 3 minutes" in said and "(about 3 minutes)" in said
    assert any(b["payload"] == "/start_guided_session" for m in dispatcher.messages for b in m.get("buttons") or [])
    assert slots_of(events) == {"plan_pending": None, "routine_id": "shoulders_top"}
    assert not [e for e in events if e["event"] == "reminder"]  # REST cannot receive a reminder
    with sqlite_kb.unit_of_work() as uow:
        plan = uow.progress.last_plan(person_id("plan-person"))
    assert plan.routine_id == "shoulders_top" and plan.preferences["session_minutes"] == 3.0


async def test_on_slack_the_plan_schedules_a_check_in_that_a_message_does_not_cancel(domain) -> None:
    tracker = on_channel("slack", plan_pending=True, **SELF_CARE_FACTS)
    events = await ActionGivePlan().run(CollectingDispatcher(), tracker, domain)
    reminders = [e for e in events if e["event"] == "reminder"]
    assert len(reminders) == 1 and reminders[0]["intent"] == "EXTERNAL_check_in"
    assert reminders[0]["kill_on_user_msg"] is False
    due = dt.datetime.fromisoformat(reminders[0]["date_time"])
    assert dt.timedelta(hours=23) < due - utcnow() <= dt.timedelta(days=2)
    # Its name (Rasa's job id) is the person's own, pseudonymous: another person's plan cannot replace it.
    assert reminders[0]["name"] == f"knotcare_check_in_{person_id(tracker.sender_id)}"
    assert tracker.sender_id not in reminders[0]["name"]


async def test_forget_me_cancels_the_persons_reminders(domain) -> None:
    from actions.privacy import ActionForgetMe

    tracker = on_channel("telegram")
    events = await ActionForgetMe().run(CollectingDispatcher(), tracker, domain)
    assert sorted(e["name"] for e in events if e["event"] == "cancel_reminder") == [
        f"knotcare_check_in_{person_id(tracker.sender_id)}", f"knotcare_hold_{person_id(tracker.sender_id)}"]


async def test_step_by_step_start_next_repeat_stop(domain) -> None:
    guide = ActionGuideStep().run
    start = on_channel("rest", intent="inform_preferences", **SELF_CARE_FACTS, pain_before=5.0)
    dispatcher = CollectingDispatcher()
    events = await guide(dispatcher, start, domain)
    assert slots_of(events)["guided_session"] == "active" and slots_of(events)["guided_step"] == 1
    first = dispatcher.messages[0]
    assert first["text"].startswith("Step 1 of ") and [b["payload"] for b in first["buttons"]] == [
        "/step_next", "/step_repeat", "/step_stop"]
    state = {**SELF_CARE_FACTS, "guided_session": "active", "guided_step": 2.0}
    dispatcher = CollectingDispatcher()
    events = await guide(dispatcher, on_channel("rest", intent="step_next", **state), domain)
    assert slots_of(events) == {"guided_step": 3.0}
    assert "Hold for 30–60 seconds" not in dispatcher.messages[0]["text"]  # the dose is in seconds, one number
    assert "Hold for 60 seconds: count slowly" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    events = await guide(dispatcher, on_channel("rest", intent="step_repeat", **state), domain)
    assert slots_of(events) == {"guided_step": 2.0} and dispatcher.messages[0]["text"].startswith("Step 2 of ")
    events = await guide(CollectingDispatcher(), on_channel("rest", intent="step_stop", **state), domain)
    assert slots_of(events) == {"guided_session": "finished"}
    last = {**state, "guided_step": 99.0}
    dispatcher = CollectingDispatcher()
    events = await guide(dispatcher, on_channel("rest", intent="step_next", **last), domain)
    assert slots_of(events)["guided_session"] == "finished" and "whole routine" in texts(dispatcher)[0]


async def test_step_by_step_shows_the_picture_where_the_body_goes_somewhere_else(domain) -> None:
    """The upper-back routine: against a wall from step 1, then a seated twist at its last step (8)."""
    guide = ActionGuideStep().run
    facts = {**SELF_CARE_FACTS, "body_region": "upper_back", "routine_id": "upper_back_ball_on_wall"}

    async def pictures(number: float, intent: str) -> List[Dict[str, Any]]:
        state = {**facts, "guided_session": "active", "guided_step": number}
        dispatcher = CollectingDispatcher()
        await guide(dispatcher, on_channel("socketio", intent=intent, **state), domain)
        return [m["custom"]["picture"] for m in dispatcher.messages if "picture" in (m.get("custom") or {})]

    start = CollectingDispatcher()
    await guide(start, on_channel("socketio", intent="inform_preferences", **facts, pain_before=5.0), domain)
    shown = [m["custom"]["picture"] for m in start.messages if "picture" in (m.get("custom") or {})]
    assert [p["name"] for p in shown] == ["position/wall", "routine/upper_back_ball_on_wall"]
    assert shown[0]["caption"] == "For this step: stand with your back to a wall, the ball between you and the wall."
    assert shown[0]["alt"].startswith("A side view of a person standing with their back to a wall")
    assert shown[1]["alt"].startswith("A back view") and shown[1]["caption"].startswith("Where to work")
    assert await pictures(1.0, "step_next") == []  # step 2: still at the wall
    twist = await pictures(7.0, "step_next")  # step 8: the seated twist
    assert [(p["name"], p["caption"]) for p in twist][0] == ("position/chair", "For this step: sit in a firm chair.")
    assert await pictures(8.0, "step_repeat") == []


async def test_on_telegram_a_hold_gets_a_times_up_reminder(domain) -> None:
    state = {**SELF_CARE_FACTS, "guided_session": "active", "guided_step": 1.0}
    dispatcher = CollectingDispatcher()
    events = await ActionGuideStep().run(dispatcher, on_channel("telegram", intent="step_next", **state), domain)
    reminders = [e for e in events if e["event"] == "reminder"]
    assert len(reminders) == 1 and reminders[0]["intent"] == "EXTERNAL_hold_done" and reminders[0]["kill_on_user_msg"]
    assert "I'll tell you when the time is up" in dispatcher.messages[0]["text"]


async def test_stop_before_the_first_step_ends_the_rating_form(domain) -> None:
    tracker = make_tracker("stop", intent="step_stop", active_loop="pain_before_form", requested_slot="pain_before")
    events = await ActionGuideStep().run(CollectingDispatcher(), tracker, domain)
    assert ActiveLoop(None) in events and SlotSet("guided_session", None) in events


async def test_pain_ratings_are_read_and_the_session_recorded(domain, sqlite_kb) -> None:
    rating = make_tracker("about a 6", requested_slot="pain_before", active_loop="pain_before_form")
    assert await ActionExtractSessionPain().run(CollectingDispatcher(), rating, domain) == [SlotSet("pain_before", 6.0)]
    started = (utcnow() - dt.timedelta(minutes=8)).isoformat()
    tracker = on_channel("rest", sender="session-person", pain_before=6.0, pain_after=3.0, guided_session="finished",
                         session_started_at=started, **SELF_CARE_FACTS)
    dispatcher = CollectingDispatcher()
    events = await ActionRecordSession().run(dispatcher, tracker, domain)
    assert "6/10 before, 3/10 after" in texts(dispatcher)[0]
    assert slots_of(events)["guided_session"] is None and slots_of(events)["pain_before"] is None
    with sqlite_kb.unit_of_work() as uow:
        [entry] = uow.progress.entries(person_id("session-person"))
    assert (entry.kind, entry.pain_before, entry.pain_after, entry.routine_id) == ("session", 6, 3, "shoulders_top")


def _history(kb, sender: str, plan_days_ago: float, session_days_ago: Optional[float] = None) -> None:
    now = utcnow()
    with kb.unit_of_work() as uow:
        uow.progress.add_plan(PlanRecord(person_id(sender), "shoulders_top", "self_care",
                                         now - dt.timedelta(days=plan_days_ago)))
        if session_days_ago is not None:
            at = now - dt.timedelta(days=session_days_ago)
            uow.progress.add_entry(Entry(person_id(sender), "session", at, "shoulders_top", at, 5, 3))
        uow.commit()


async def test_worse_after_48_hours_goes_to_a_clinician(domain, sqlite_kb) -> None:
    _history(sqlite_kb, "worse-person", plan_days_ago=3)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("worse", intent="report_worse", **{**SELF_CARE_FACTS})
    tracker.sender_id = "worse-person"
    events = await ActionAnswerCheckIn().run(dispatcher, tracker, domain)
    slots = slots_of(events)
    assert slots["red_flags"] == ["worse_after_self_care"]
    assert slots["triage_level"] == "see_clinician" and "worse_after_self_care" in slots["triage_rule_ids"]
    assert slots["routine_id"] is None
    assert "doctor or physiotherapist" in "\n".join(texts(dispatcher))


async def test_worse_the_next_day_is_ordinary_soreness(domain, sqlite_kb) -> None:
    _history(sqlite_kb, "sore-person", plan_days_ago=3, session_days_ago=0.5)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("worse", intent="report_worse", **SELF_CARE_FACTS)
    tracker.sender_id = "sore-person"
    assert await ActionAnswerCheckIn().run(dispatcher, tracker, domain) == []
    assert "24 to 48 hours" in texts(dispatcher)[0]


async def test_no_better_after_three_weeks_goes_to_a_clinician(domain, sqlite_kb) -> None:
    _history(sqlite_kb, "slow-person", plan_days_ago=23, session_days_ago=1)
    tracker = make_tracker("same", intent="report_no_change", **SELF_CARE_FACTS)
    tracker.sender_id = "slow-person"
    slots = slots_of(await ActionAnswerCheckIn().run(CollectingDispatcher(), tracker, domain))
    assert slots["red_flags"] == ["no_improvement"] and slots["triage_level"] == "see_clinician"


async def test_a_new_session_keeps_the_person_and_asks_how_it_went(domain, sqlite_kb) -> None:
    _history(sqlite_kb, "returning", plan_days_ago=2)
    tracker = on_channel("rest", sender="returning", tools_available=["tennis_ball"], guided_session="active",
                         **SELF_CARE_FACTS)
    dispatcher = CollectingDispatcher()
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    carried = slots_of(events)
    assert carried["tools_available"] == ["tennis_ball"] and carried["routine_id"] == "shoulders_top"
    assert "guided_session" not in carried
    assert "How has it been since?" in texts(dispatcher)[0] and "Tops of the shoulders" in texts(dispatcher)[0]
    fresh = CollectingDispatcher()
    await ActionSessionStart().run(fresh, on_channel("rest", sender="someone-new"), domain)
    assert fresh.messages == []


async def test_how_am_i_doing_with_a_chart_with_its_text_alternative_on_every_channel(domain, sqlite_kb) -> None:
    _history(sqlite_kb, "progress-person", plan_days_ago=5, session_days_ago=4)
    for channel in ("socketio", "slack", "telegram", "rest"):
        shown = CollectingDispatcher()
        await ActionShowProgress().run(shown, on_channel(channel, sender="progress-person"), domain)
        assert shown.messages[0]["text"].startswith("1 session")
        chart = shown.messages[1]["custom"]["picture"]
        assert chart["src"].startswith("data:image/png;base64,")  # inline: a pain history has no URL of its own
        assert chart["alt"].startswith("A chart of your pain") and " before, " in chart["alt"]


def test_provider_is_the_test_kb(sqlite_kb) -> None:
    assert provider.knowledge_base() is sqlite_kb
