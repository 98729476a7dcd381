"""The clinic actions with real Trackers: answers, the see_clinician offer, a handoff to a fake Slack."""

from __future__ import annotations

import json
from typing import Iterator

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import provider
from actions.clinic import ActionAnswerClinic, ActionRequestHuman
from actions.decide import ActionDecideCare
from knotcare import privacy
from knotcare import schema as tables
from knotcare.clinic.profile import default_profile
from tests.e2e.clinic.fake_slack import FakeSlack
from tests.integration.actions.conftest import make_tracker, texts


@pytest.fixture()
def slack(monkeypatch) -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    monkeypatch.setenv("KNOTCARE_SLACK_BOT_TOKEN", "xoxb-unit")
    monkeypatch.setenv("KNOTCARE_SLACK_CHANNEL", "C0STAFF")
    monkeypatch.setenv("KNOTCARE_SLACK_API_URL", fake.url)
    monkeypatch.setenv("KNOTCARE_PSEUDONYM_KEY", "unit-key")
    # Tuesday 24 November 2026, 10:00 London: open until 20:00.
    monkeypatch.setenv("KNOTCARE_CLINIC_NOW", "2026-11-24T10:00:00+00:00")
    privacy._key.cache_clear()
    yield fake
    fake.stop()
    privacy._key.cache_clear()


async def test_an_hours_question_reads_the_day_from_the_text(domain, monkeypatch) -> None:
    monkeypatch.setenv("KNOTCARE_CLINIC_NOW", "2026-11-24T10:00:00+00:00")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("open on saturday?", intent="ask_opening_hours")
    assert await ActionAnswerClinic().run(dispatcher, tracker, domain) == []
    assert "On Saturday 28 November we're open 09:00–13:00" in texts(dispatcher)[0]


async def test_see_clinician_offers_the_booking_link_and_phone(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(body_region="lower_back", pain_quality="dull_ache", pain_duration_days=7,
                           pain_severity=4, red_flags=["no_improvement"])
    events = await ActionDecideCare().run(dispatcher, tracker, domain)
    assert SlotSet("triage_level", "see_clinician") in events
    profile = default_profile()
    assert any(profile.booking_url in t and profile.phone in t for t in texts(dispatcher))


async def test_request_human_mid_form_writes_a_ticket_messages_staff_and_ends_the_form(domain, slack) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("can i talk to a person", intent="request_human", active_loop="pain_intake_form",
                           body_region="neck", pain_quality="stiffness", screen_head_neuro=False)
    events = await ActionRequestHuman().run(dispatcher, tracker, domain)
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert "We're open now (until 20:00)" in texts(dispatcher)[0]
    with provider.knowledge_base().unit_of_work() as uow:
        [row] = uow.session.execute(select(tables.handoff_tickets)).mappings().all()
    assert row["person_id"] == privacy.person_id("test-user") != "test-user"
    assert row["summary"]["screen"]["screen_head_neuro"] == "no" and row["summary"]["region"] == "neck"
    [call] = slack.wait_for("chat.postMessage")
    assert "Pain: stiffness" in json.dumps(call["params"]["blocks"])
