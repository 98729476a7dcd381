"""Reminders reach people by themselves: the check-in a plan schedules arrives on Slack and Telegram.

The world's servers bring the check-in CHECK_IN_SECONDS after a plan instead of two days
(KNOTCARE_CHECK_IN_AFTER_HOURS); Rasa's scheduler fires it and the channel's own output sends it.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.channels.conftest import CHECK_IN_SECONDS
from tests.e2e.channels.drivers import keyboard, over_slack, over_telegram

pytestmark = pytest.mark.channels

CHECK_IN = "checking in, as I said I would"
ANSWERS = {"/report_better", "/report_no_change", "/report_worse"}


def test_telegram_gets_the_check_in_unprompted(world) -> None:
    conversation = over_telegram(world, after=["skip"])  # "skip" the preference questions: the plan comes
    assert "Why this one" in " ".join(c["params"]["text"] for c in world.telegram_sent(conversation)[-6:])
    chat_id = conversation.removeprefix("telegram:")
    asked = world.telegram.wait_for("sendMessage", lambda p: str(p.get("chat_id")) == chat_id
                                    and CHECK_IN in p.get("text", ""), timeout=CHECK_IN_SECONDS + 40)
    assert len(asked) == 1 and set(keyboard(asked[0])) == ANSWERS
    assert "earlier today" not in asked[0]["params"]["text"] and "Earlier today" in asked[0]["params"]["text"]


def test_slack_gets_the_check_in_unprompted_and_the_answer_is_taken(world) -> None:
    channel = f"D{uuid.uuid4().hex[:9].upper()}"
    conversation = over_slack(world, after=["skip"], channel=channel)
    user = conversation.rsplit(":", 1)[1]
    asked = world.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == channel
                                 and CHECK_IN in p.get("text", ""), timeout=CHECK_IN_SECONDS + 40)
    assert len(asked) == 1
    buttons = {element["value"] for block in asked[0]["params"].get("blocks") or [] if block["type"] == "actions"
               for element in block["elements"]}
    assert buttons == ANSWERS
    # Pressing "Better" is an ordinary turn: stored against the plan, the advice stays self-care.
    response = world.slack_click(user, channel, "/report_better")
    assert response.status_code == 200, response.text
    world.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == channel
                         and "Good to hear" in p.get("text", ""))
    assert world.servers.slots(conversation)["triage_level"] == "self_care"


def test_two_people_each_get_their_own_check_in(world) -> None:
    """Rasa replaces a scheduled job of the same name: each person's check-in must carry a name of its own."""
    first = over_telegram(world, after=["skip"])
    second = over_telegram(world, after=["skip"])
    for chat_id in (first.removeprefix("telegram:"), second.removeprefix("telegram:")):
        asked = world.telegram.wait_for("sendMessage", lambda p, c=chat_id: str(p.get("chat_id")) == c
                                        and CHECK_IN in p.get("text", ""), timeout=CHECK_IN_SECONDS + 40)
        assert len(asked) == 1, chat_id
