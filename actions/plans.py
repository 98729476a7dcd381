"""Personal plans: the preference questions after the decision, the tailored plan, and step-by-step mode."""

from __future__ import annotations

import datetime as dt
import logging
from typing import List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import provider
from actions.base import KnotcareAction
from actions.pictures import hold_timer, show_named
from actions.say import concrete_action, say, say_key
from actions.slots import entity_values, facts_from_tracker
from knotcare.care import decide_care
from knotcare.config import check_in_after
from knotcare.plan import Plan, Preferences, step_line
from knotcare.plan.guide import NEXT, REPEAT, STOP, next_move
from knotcare.plan.preferences import is_skip, parse_minutes, parse_mobility, parse_pain, parse_tools
from knotcare.privacy import person_id
from knotcare.progress.followup import CHECK_IN, CHECK_IN_INTENT, HOLD, reminder_name
from knotcare.progress.model import PendingCheckIn, PlanRecord, utcnow
from knotcare.sessions import record_session

logger = logging.getLogger(__name__)

PREFERENCE_SLOTS = ("tools_available", "session_minutes", "limited_mobility")

#: Channels whose output Rasa can rebuild for a reminder (ReminderScheduled); not REST or socket.io.
REMINDER_CHANNELS = ("slack", "telegram")


def _intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def _not_an_answer(intent: str) -> bool:
    """Red flags and questions go to their own rules (the form rejects and the rule runs)."""
    return intent == "report_red_flag" or intent.startswith("ask_")


def can_remind(tracker: Tracker) -> bool:
    """Whether this conversation's channel can receive a reminder's message later."""
    return tracker.get_latest_input_channel() in REMINDER_CHANNELS


def preferences_from_tracker(tracker: Tracker) -> Optional[Preferences]:
    """The person's plan preferences, or None when they skipped or were never asked."""
    values = [tracker.get_slot(s) for s in PREFERENCE_SLOTS]
    if all(v is None for v in values):
        return None
    return Preferences.from_values(*values)


def current_plan(tracker: Tracker) -> Optional[Plan]:
    """The tailored plan for the conversation's facts, or None when the decision gives none."""
    with provider.knowledge_base().unit_of_work() as uow:
        care = decide_care(uow, facts_from_tracker(tracker), tracker.get_slot("muscles") or [],
                           preferences_from_tracker(tracker))
    return care.plan


class ActionExtractPlanPreferences(KnotcareAction):
    """Reads tools, time and mobility (or "skip") from an answer in the preferences form."""

    action_name = "action_extract_plan_preferences"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """SlotSet events for what the answer says, nothing for a red flag or a question."""
        intent = _intent(tracker)
        text = tracker.latest_message.get("text") or ""
        requested = tracker.get_slot("requested_slot")
        if _not_an_answer(intent):
            return []
        if intent == "skip" or is_skip(text):
            events: List[EventType] = [SlotSet("plan_preferences_skipped", True)]
            if requested in PREFERENCE_SLOTS:
                # An event for the asked slot (still empty) keeps the form from rejecting the turn: Rasa only
                # counts required slots as answered, and the validator then asks nothing more.
                events.append(SlotSet(requested, None))
            return events
        events = []
        tools = entity_values(tracker, "tool") or parse_tools(text)
        if requested == "tools_available" and not tools and intent == "deny":
            tools = ["fingertips"]  # "no" to "what do you have?" means nothing but hands
        if tools and (tools != ["fingertips"] or requested == "tools_available"):
            events.append(SlotSet("tools_available", tools))
        minutes_entity = entity_values(tracker, "minutes")
        minutes = parse_minutes(minutes_entity[0] + " min") if minutes_entity else \
            parse_minutes(text, bare_number_ok=requested == "session_minutes")
        if minutes is not None:
            events.append(SlotSet("session_minutes", float(minutes)))
        mobility = parse_mobility(text)
        if requested == "limited_mobility" and intent in ("affirm", "deny"):
            mobility = intent == "affirm"
        if mobility is not None:
            events.append(SlotSet("limited_mobility", mobility))
        return events


class ValidatePlanPreferencesForm(FormValidationAction):
    """Asks only what is not known yet, nothing after "skip", and no tools for the gentle routine."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "validate_plan_preferences_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """The preference questions still worth asking."""
        if tracker.get_slot("plan_preferences_skipped") or tracker.get_slot("red_flags"):
            return []
        slots = list(PREFERENCE_SLOTS)
        if tracker.get_slot("triage_level") == "consult_first":
            slots.remove("tools_available")  # the gentle routine uses fingertips only
        return slots


class _SayMessage(KnotcareAction):
    """Says one reviewed message (data/kb/messages_plans.yml) and sets nothing."""

    key: str = ""

    def should_say(self, tracker: Tracker) -> bool:
        """Whether to say it now (always, unless a subclass knows better)."""
        return True

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Send the message with its buttons."""
        if self.should_say(tracker):
            say_key(dispatcher, self.key)
        return []


class _AskPreference(_SayMessage):
    """Asks one preference question; the first one asked says why the questions come."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """The intro before the first question, then the question."""
        if tracker.get_slot("requested_slot") not in PREFERENCE_SLOTS and \
                all(tracker.get_slot(s) is None for s in PREFERENCE_SLOTS):
            say_key(dispatcher, "preferences_intro")
        return await super().run(dispatcher, tracker, domain)


#: The preference form's questions (the first one asked says why they come) and the session's ratings.
ASK_ACTIONS = [concrete_action(base, f"action_{key}", key=key) for base, keys in (
    (_AskPreference, ("ask_tools_available", "ask_session_minutes", "ask_limited_mobility")),
    (_SayMessage, ("ask_pain_before", "ask_pain_after"))) for key in keys]


class ActionGivePlan(KnotcareAction):
    """The tailored plan, with the reasons, recorded for the person's follow-up."""

    action_name = "action_give_plan"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Decide again (a red flag always wins), then say the plan and offer step-by-step mode."""
        preferences = preferences_from_tracker(tracker)
        with provider.knowledge_base().unit_of_work() as uow:
            care = decide_care(uow, facts_from_tracker(tracker), tracker.get_slot("muscles") or [], preferences)
            caption = uow.messages.get("picture_routine_caption").text
        decision, plan, tools = care.decision, care.plan, care.tools
        if plan is None:
            return [SlotSet("plan_pending", None)]
        if preferences is None and _intent(tracker) == "skip":
            say_key(dispatcher, "preferences_skipped")
        for text in plan.messages(tools):
            dispatcher.utter_message(text=text)
        show_named(dispatcher, tracker, f"routine/{plan.routine.id}", caption)
        say_key(dispatcher, "red_flag_safety_net")
        say_key(dispatcher, "offer_guided_session")
        now = utcnow()
        due = now + check_in_after()
        with provider.knowledge_base().unit_of_work() as uow:
            uow.progress.add_plan(PlanRecord(
                person_id(tracker.sender_id), plan.routine.id, decision.level, now,
                {slot: tracker.get_slot(slot) for slot in PREFERENCE_SLOTS}))
            if can_remind(tracker):
                # Kept beyond Rasa's in-memory scheduler: a restart re-arms it (channels/rearm.py).
                reply_to = (tracker.latest_message.get("metadata") or {}).get("out_channel")
                uow.progress.arm_check_in(PendingCheckIn(person_id(tracker.sender_id), tracker.sender_id, due,
                                                         str(reply_to)[:60] if reply_to else None))
            uow.commit()
        events: List[EventType] = [SlotSet("plan_pending", None), SlotSet("routine_id", plan.routine.id)]
        if can_remind(tracker):
            # A day or two later, unprompted; a message in between must not cancel it.
            events.append(ReminderScheduled(CHECK_IN_INTENT, trigger_date_time=due,
                                            name=reminder_name(CHECK_IN, person_id(tracker.sender_id)),
                                            kill_on_user_message=False))
        return events


class ActionExtractSessionPain(KnotcareAction):
    """Reads a 0-10 rating for the step-by-step session's before or after question."""

    action_name = "action_extract_session_pain"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """SlotSet for pain_before or pain_after; nothing for a stop, a red flag or a question."""
        intent = _intent(tracker)
        requested = tracker.get_slot("requested_slot")
        if _not_an_answer(intent) or intent == "step_stop" or requested not in ("pain_before", "pain_after"):
            return []
        value = parse_pain(tracker.latest_message.get("text") or "")
        return [SlotSet(requested, float(value))] if value is not None else []


#: The step-by-step mode's intents, as the use case's commands.
_COMMANDS = {"step_next": NEXT, "step_repeat": REPEAT, "step_stop": STOP}


class ActionGuideStep(KnotcareAction):
    """Step-by-step mode: one step at a time with its hold, Next / Repeat / Stop."""

    action_name = "action_guide_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Start, advance, repeat or stop; `guided_session` becomes finished when the after-rating is due."""
        intent = _intent(tracker)
        active = tracker.get_slot("guided_session") == "active"
        events: List[EventType] = []
        if not active and intent == "step_stop":
            # Stopped before the first step: nothing to rate, nothing to record.
            say_key(dispatcher, "guided_stopped")
            events = [SlotSet(s, None) for s in ("guided_session", "guided_step", "pain_before", "session_started_at")]
            if tracker.active_loop.get("name"):
                events += [ActiveLoop(None), SlotSet("requested_slot", None)]
            return events
        plan = current_plan(tracker)
        if plan is None or not plan.plan_steps:
            say_key(dispatcher, "check_in_nothing_yet")
            return [SlotSet("guided_session", None), SlotSet("guided_step", None)]
        move = next_move(plan.plan_steps, int(tracker.get_slot("guided_step") or 0), active, _COMMANDS.get(intent, ""))
        if move.kind == "stopped":
            say_key(dispatcher, "guided_stopped")
            return [SlotSet("guided_session", "finished")]
        if move.kind == "done":
            say_key(dispatcher, "guided_done")
            return [SlotSet("guided_session", "finished"), SlotSet("guided_step", float(move.total))]
        if move.starts:
            events += [SlotSet("guided_session", "active"), SlotSet("session_started_at", utcnow().isoformat())]
        place, hold = move.place, move.hold
        with provider.knowledge_base().unit_of_work() as uow:
            message = uow.messages.get("guided_step")
            hold_text = uow.messages.get("guided_hold_timer" if can_remind(tracker) else "guided_hold_text")
            where = uow.messages.get(f"guided_place_{place}").text if place else ""
            caption = uow.messages.get("picture_routine_caption").text if place else ""
        text = message.format(number=move.number, total=move.total, text=step_line(move.step))
        if hold:
            text += "\n" + hold_text.format(hold=hold)
        if place is not None:
            # Where the body goes changes (a chair, a wall, the floor): a drawing of the position, saying so, and the
            # routine's picture again (where to work).
            show_named(dispatcher, tracker, f"position/{place}", where)
            show_named(dispatcher, tracker, f"routine/{plan.routine.id}", caption)
        dispatcher.utter_message(text=text, buttons=[dict(b) for b in message.buttons])
        hold_timer(dispatcher, tracker, hold)
        events.append(SlotSet("guided_step", float(move.number)))
        if hold and can_remind(tracker):
            # A "time's up" message after the hold; any message from the person cancels it.
            events.append(ReminderScheduled("EXTERNAL_hold_done",
                                            trigger_date_time=utcnow() + dt.timedelta(seconds=hold),
                                            name=reminder_name(HOLD, person_id(tracker.sender_id)),
                                            kill_on_user_message=True))
        return events


class ActionHoldDone(_SayMessage):
    """The reminder's "time's up" after a hold (Slack and Telegram), only while a session is under way."""

    key = "hold_done"

    action_name = "action_hold_done"

    def should_say(self, tracker: Tracker) -> bool:
        """A stopped session gets no "time's up"."""
        return tracker.get_slot("guided_session") == "active"


class ActionRecordSession(KnotcareAction):
    """Stores the session's pain before and after, and says what the change means."""

    action_name = "action_record_session"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """One progress entry per session, under the person's pseudonymous id."""
        before, after = tracker.get_slot("pain_before"), tracker.get_slot("pain_after")
        reset = [SlotSet(s, None) for s in ("guided_session", "guided_step", "pain_before", "pain_after",
                                            "session_started_at")]
        if before is None or after is None:
            return reset
        started = tracker.get_slot("session_started_at")
        now = utcnow()
        started_at = dt.datetime.fromisoformat(started) if started else now
        with provider.knowledge_base().unit_of_work() as uow:
            comment_key = record_session(uow, person_id(tracker.sender_id), tracker.get_slot("routine_id"), started_at,
                                         now, int(before), int(after))
            comment = uow.messages.get(comment_key).text
            saved = uow.messages.get("session_saved")
        say(dispatcher, saved, before=int(before), after=int(after), comment=comment)
        return reset
