"""Follow-up: the return check-in, its safety rules, and "how am I doing?" with a chart."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import provider
from actions.base import KnotcareAction
from actions.decide import reply_with_decision
from actions.pictures import show_chart
from actions.say import say, say_key
from actions.slots import facts_from_tracker, merged
from knotcare.privacy import person_id
from knotcare.progress import assess_check_in, summary
from knotcare.progress.chart import chart_png, data_url
from knotcare.progress.followup import last_activity
from knotcare.progress.model import Entry, utcnow

#: A returning person is asked how it went once the last plan or session is at least this old.
CHECK_IN_AFTER = dt.timedelta(hours=12)
#: Slots that belong to one session only (a half-done form or session is not resumed days later).
SESSION_ONLY_SLOTS = frozenset({"requested_slot", "plan_pending", "guided_session", "guided_step", "pain_before",
                                "pain_after", "session_started_at"})
_ANSWERS = {"report_better": "better", "report_no_change": "same", "report_worse": "worse"}


def _when(then: dt.datetime, now: dt.datetime) -> str:
    days = (now - then).days
    return "earlier today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def ask_how_it_went(dispatcher: CollectingDispatcher, sender_id: str, minimum_age: dt.timedelta,
                    message_key: str = "check_in_question") -> bool:
    """Ask about the last plan when there is one at least `minimum_age` old; True if asked."""
    now = utcnow()
    with provider.knowledge_base().unit_of_work() as uow:
        plans = uow.progress.plans(person_id(sender_id))
        entries = uow.progress.entries(person_id(sender_id))
        question = uow.messages.get(message_key)
        routine = uow.routines.get(plans[-1].routine_id) if plans else None
    latest = last_activity(plans, entries)
    if not plans or latest is None or now - latest < minimum_age:
        return False
    title = routine.title if routine else "a routine"
    when = _when(plans[-1].given_at, now)
    say(dispatcher, question, when=when, when_cap=when[0].upper() + when[1:], title=f"“{title}”")
    return True


class ActionSessionStart(KnotcareAction):
    """A new session: keep what the person told us, and ask how the last plan went."""

    action_name = "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """SessionStarted, the carried-over slots (domain: carry_over_slots_to_new_session), then listen."""
        events: List[EventType] = [SessionStarted()]
        events += [SlotSet(name, value) for name, value in tracker.slots.items()
                   if value is not None and name not in SESSION_ONLY_SLOTS]
        ask_how_it_went(dispatcher, tracker.sender_id, CHECK_IN_AFTER)
        events.append(ActionExecuted("action_listen"))
        return events


class ActionCheckIn(KnotcareAction):
    """The unprompted check-in a reminder brings (Slack and Telegram)."""

    action_name = "action_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Ask how it went, if there is a plan to ask about and this check-in was not asked already.

        After a restart every Rasa instance re-arms the pending check-ins (channels/rearm.py), and the original
        may still be scheduled somewhere: the one that takes the pending row asks, the others stay silent.
        """
        with provider.knowledge_base().unit_of_work() as uow:
            mine = uow.progress.take_check_in(person_id(tracker.sender_id))
            uow.commit()
        if mine:
            ask_how_it_went(dispatcher, tracker.sender_id, dt.timedelta(0), "check_in_unprompted")
        return []


class ActionAnswerCheckIn(KnotcareAction):
    """Better, the same or worse: stored, and worse after 48 h or no better after three weeks goes to triage."""

    action_name = "action_answer_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Record the answer; the safety rules decide whether the advice changes."""
        answer = _ANSWERS.get((tracker.latest_message.get("intent") or {}).get("name") or "", "same")
        pid = person_id(tracker.sender_id)
        now = utcnow()
        with provider.knowledge_base().unit_of_work() as uow:
            plans = uow.progress.plans(pid)
            entries = uow.progress.entries(pid)
            if plans:
                uow.progress.add_entry(Entry(pid, "check_in", now, plans[-1].routine_id, notes=answer))
                uow.commit()
        if not plans:
            say_key(dispatcher, "check_in_nothing_yet")
            return []
        outcome = assess_check_in(answer, now, last_activity(plans, entries), plans[0].given_at)
        say_key(dispatcher, outcome.message_key)
        if not outcome.red_flags:
            return []
        red_flags = merged(tracker.get_slot("red_flags"), list(outcome.red_flags))
        facts = dataclasses.replace(facts_from_tracker(tracker), red_flags=frozenset(red_flags))
        return [SlotSet("red_flags", red_flags)] + reply_with_decision(dispatcher, tracker, facts)


class ActionShowProgress(KnotcareAction):
    """"How am I doing?": a short summary, and a chart where the channel shows images."""

    action_name = "action_show_progress"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        """Summarise the stored sessions, with a chart where the channel shows pictures (actions/pictures.py)."""
        pid = person_id(tracker.sender_id)
        with provider.knowledge_base().unit_of_work() as uow:
            plans = uow.progress.plans(pid)
            entries = uow.progress.entries(pid)
            caption = uow.messages.get("progress_chart").text
            alt = uow.messages.get("progress_chart_alt")
            text = summary(plans, entries, utcnow(), uow.messages.say)
        dispatcher.utter_message(text=text)
        sessions = [e for e in entries
                    if e.kind == "session" and e.pain_before is not None and e.pain_after is not None]
        if sessions:
            listed = "; ".join(f"{e.started_at:%d %b}: {e.pain_before} before, {e.pain_after} after"
                               for e in sessions)
            show_chart(dispatcher, data_url(chart_png(entries)), alt.format(sessions=listed), caption)
        return []


