"""End-to-end over REST: typed preferences, a remembered plan, step-by-step mode and the return check-in."""

from __future__ import annotations

import uuid

import pytest

from harness.late_flags import plan_given_days_ago
from tests.e2e.conftest import Servers, all_text, buttons
from tests.e2e.test_conversations import answer_screen_no

pytestmark = pytest.mark.e2e


def new_sender() -> str:
    return f"e2e-plan-{uuid.uuid4().hex[:8]}"


def test_typed_preferences_tailor_the_plan_and_are_remembered_next_session(servers: Servers) -> None:
    sender = new_sender()
    replies = answer_screen_no(servers, sender, servers.say(sender, "tight knot on top of my shoulders, 2 weeks, 4/10"))
    assert "skip" in all_text(replies).lower() and servers.slots(sender)["requested_slot"] == "tools_available"
    servers.say(sender, "just my hands")
    assert servers.slots(sender)["requested_slot"] == "session_minutes"
    servers.say(sender, "only about 3 minutes")
    slots = servers.slots(sender)
    assert slots["requested_slot"] == "limited_mobility"
    assert slots["pain_duration_days"] == 14  # "3 minutes" is the session, not the pain's history
    replies = servers.say(sender, "/deny")
    text = all_text(replies)
    assert "You said you have 3 minutes" in text and "(about 3 minutes)" in text
    slots = servers.slots(sender)
    assert slots["tools_available"] == ["fingertips"] and slots["session_minutes"] == 3
    assert slots["limited_mobility"] is False and slots["routine_id"] == "shoulders_top"

    # A new session of the same person: the preferences are not asked again.
    servers.say(sender, "/session_start")
    replies = servers.say(sender, "my neck has a knot, dull ache, 10 days, 3/10")
    replies = answer_screen_no(servers, sender, replies)
    assert "Why this one" in all_text(replies) and "3 minutes" in all_text(replies)
    assert servers.slots(sender)["routine_id"] in ("neck_base_of_skull", "neck_side")


def test_step_by_step_with_pain_before_and_after_then_how_am_i_doing(servers: Servers) -> None:
    sender = new_sender()
    answer_screen_no(servers, sender, servers.say(sender, "lower back knot, dull ache, 3 weeks, 5/10"))
    replies = servers.say(sender, "skip")
    assert "/start_guided_session" in buttons(replies), replies
    assert "0" in all_text(servers.say(sender, "/start_guided_session"))
    replies = servers.say(sender, "6")
    assert all_text(replies).startswith("Step 1 of "), replies
    assert buttons(replies) == ["/step_next", "/step_repeat", "/step_stop"]
    replies = servers.say(sender, "/step_next")
    assert "Step 2 of " in all_text(replies) and "seconds" in all_text(replies)  # the hold, in the text on REST
    assert "Step 2 of " in all_text(servers.say(sender, "/step_repeat"))
    replies = servers.say(sender, "/step_stop")
    assert "0 to 10" in all_text(replies)
    assert servers.slots(sender)["guided_session"] == "finished"
    replies = servers.say(sender, "3")
    assert "6/10 before, 3/10 after" in all_text(replies)
    replies = servers.say(sender, "how am i doing?")
    assert "1 session" in all_text(replies)
    charts = [r["custom"]["picture"] for r in replies if "picture" in (r.get("custom") or {})]
    assert len(charts) == 1 and charts[0]["src"].startswith("data:image/png;base64,"), replies
    assert "6 before, 3 after" in charts[0]["alt"]


def test_the_return_check_in_clearly_worse_days_later_goes_to_a_clinician(servers: Servers) -> None:
    sender = new_sender()
    answer_screen_no(servers, sender, servers.say(sender, "knot between my shoulder blades, dull ache, 2 weeks, 4/10"))
    assert "Why this one" in all_text(servers.say(sender, "skip"))
    assert servers.slots(sender)["triage_level"] == "self_care"
    # Three days pass (the stored plan is moved back: the servers share this SQLite file).
    plan_given_days_ago(servers.env["DATABASE_URL"], sender, 3)
    replies = servers.say(sender, "/session_start")
    assert "How has it been since?" in all_text(replies) and "3 days ago" in all_text(replies)
    assert set(buttons(replies)) == {"/report_better", "/report_no_change", "/report_worse"}
    replies = servers.say(sender, "/report_worse")
    assert "doctor or physiotherapist" in all_text(replies)
    slots = servers.slots(sender)
    assert slots["triage_level"] == "see_clinician" and "worse_after_self_care" in slots["red_flags"]
    assert "worse_after_self_care" in slots["triage_rule_ids"] and slots["routine_id"] is None
