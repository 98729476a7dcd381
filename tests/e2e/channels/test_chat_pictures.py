"""Pictures on Telegram and Slack: uploaded PNGs (never links) with their text alternative, checked on the fakes.

- the body map above the question "where does it hurt?", with the region buttons under it;
- the routine's picture with the plan, and again in step-by-step mode where the body goes somewhere else;
- the progress chart after a guided session ("how am I doing?").
"""

from __future__ import annotations

import pytest

from tests.e2e.channels.drivers import keyboard, over_slack, over_telegram, wait_turns

pytestmark = pytest.mark.channels

PNG = b"\x89PNG\r\n\x1a\n"
#: A plan, a guided session rated 6 before and stopped at once, rated 3 after, and "how am I doing?".
SESSION = ["skip", "/start_guided_session", "6", "/step_stop", "3", "how am I doing?"]


def photos(world, conversation: str):
    chat = conversation.removeprefix("telegram:")
    return world.telegram.matching("sendPhoto", lambda p: str(p.get("chat_id")) == chat)


def test_telegram_body_map_comes_with_the_region_buttons_under_it(world) -> None:
    chat_id = 2_000_000_000 + id(world) % 10**6
    world.telegram_text(chat_id, "dull ache for two weeks, about 4/10")
    sent = photos(world, f"telegram:{chat_id}")
    assert len(sent) == 1, [c["params"].get("text", c["method"])[:80] for c in world.telegram.calls
                            if str(c["params"].get("chat_id")) == str(chat_id)]
    photo = sent[0]
    assert photo["files"]["photo"].startswith(PNG) and len(photo["files"]["photo"]) > 10_000
    assert "five areas I can help with" in photo["params"]["caption"]  # the text alternative
    after = [c for c in world.telegram.calls if c["method"] in ("sendPhoto", "sendMessage")
             and str(c["params"].get("chat_id")) == str(chat_id)]
    question = after[after.index(photo) + 1]  # the next message, under the photo
    assert '/describe_pain{"body_region":"lower_back"}' in keyboard(question)
    assert not any(c["params"].get("photo", "").startswith("http") for c in sent)  # an upload, not a link


def test_telegram_routine_picture_and_progress_chart(world) -> None:
    conversation = over_telegram(world, after=SESSION)
    sent = photos(world, conversation)
    routine = [p for p in sent if "back view of the body for this routine" in p["params"]["caption"]]
    # with the plan, and again at the guided session's first step, after the drawing of where to be (a wall)
    assert len(routine) == 2 and all(p["files"]["photo"].startswith(PNG) for p in routine)
    assert "shoulder blade" in routine[0]["params"]["caption"]
    assert routine[1]["params"]["caption"].startswith("Where to work")
    position = [p for p in sent if "side view of a person standing with their back to a wall" in p["params"]["caption"]]
    assert len(position) == 1 and position[0]["files"]["photo"].startswith(PNG)
    assert position[0]["params"]["caption"].startswith("For this step: stand with your back to a wall")
    at = [i for i, p in enumerate(sent) if p is position[0] or p is routine[1]]
    assert len(at) == 2 and sent[at[0]] is position[0] and at[1] == at[0] + 1  # the drawing, then the routine
    chart = [p for p in sent if "before and after each session" in p["params"]["caption"]]
    assert len(chart) == 1, [p["params"]["caption"][:60] for p in sent]
    assert chart[0]["files"]["photo"].startswith(PNG)
    assert ": 6 before, 3 after" in chart[0]["params"]["caption"]


def test_slack_routine_picture_is_a_file_shared_into_the_conversation(world) -> None:
    channel = "D" + "PICTURES1"
    conversation = over_slack(world, after=["skip"], channel=channel)
    wait_turns(world, conversation, 1)
    completed = world.slack.wait_for("files.completeUploadExternal",
                                     lambda p: p.get("channel_id") == channel)
    uploads = [c for c in world.slack.calls if c["path"].startswith("/upload/")]
    assert uploads and all(c["files"]["file"].startswith(PNG) for c in uploads)
    asked = world.slack.matching("files.getUploadURLExternal")
    assert any("back view of the body for this routine" in (c["params"].get("alt_txt") or "") for c in asked)
    assert completed[0]["authorization"] == "Bearer xoxb-test-token"


def test_slack_body_map_is_shared_with_the_region_buttons_after_it(world) -> None:
    user, channel = "UBODYMAP1", "DBODYMAP1"
    response, _ = world.slack_event(user, channel, "dull ache for two weeks, about 4/10")
    assert response.status_code == 200, response.text
    wait_turns(world, world.slack_conversation(user), 1)
    asked = world.slack.wait_for("files.getUploadURLExternal",
                                 lambda p: "five areas I can help with" in (p.get("alt_txt") or ""))
    assert asked
    shared = world.slack.wait_for("files.completeUploadExternal", lambda p: p.get("channel_id") == channel)
    assert shared
    question = world.slack.wait_for("chat.postMessage", lambda p: p.get("channel") == channel)[-1]
    values = [e["value"] for b in question["params"]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert '/describe_pain{"body_region":"lower_back"}' in values
    # the picture went before the question: its upload was completed before the buttons were posted
    calls = world.slack.calls
    assert calls.index(shared[0]) < calls.index(question)
