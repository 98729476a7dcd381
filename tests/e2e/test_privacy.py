"""Privacy end to end: "forget me" deletes the conversation after a yes, keeps it after a no; no message
text in the logs at INFO (ours and Rasa's); telemetry off wherever Rasa runs."""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from tests.e2e.conftest import ROOT, Servers, all_text, buttons

pytestmark = pytest.mark.e2e


def _stored_events(servers: Servers, sender: str) -> int:
    with sqlite3.connect(servers.work / "tracker.db") as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_forget_me_asks_first_then_deletes_the_conversation(servers: Servers) -> None:
    sender = f"forget-{uuid.uuid4().hex[:8]}"
    # Outside the intake form: inside it, "forget me" is not recognised yet (it needs a rule for the form).
    servers.say(sender, "hi")
    assert _stored_events(servers, sender) > 0
    replies = servers.say(sender, "please delete my data")
    assert set(buttons(replies)) == {"/affirm", "/deny"}, replies
    assert "delete" in all_text(replies).lower()
    replies = servers.say(sender, "/affirm")
    assert "Done: I've deleted" in all_text(replies) and "couldn't" not in all_text(replies)
    assert _stored_events(servers, sender) == 0
    # Writing again starts a fresh conversation: nothing of the old one comes back.
    servers.say(sender, "hi")
    assert servers.slots(sender)["body_region"] is None


@pytest.mark.parametrize("opening, answers, form", [
    ("knot in my upper back", [], "pain_intake_form"),  # the intake asks what it feels like
    ("knot under my right shoulder blade, dull ache, 3 weeks, 4/10, I'm 35",
     ["no", "no", "no", "no", "no", "no", "yes"], "plan_preferences_form"),
])
def test_forget_me_in_the_middle_of_a_form_asks_then_deletes(servers: Servers, opening: str, answers: list,
                                                               form: str) -> None:
    sender = f"forget-form-{uuid.uuid4().hex[:8]}"
    servers.say(sender, opening)
    for answer in answers:
        servers.say(sender, answer)
    assert servers.tracker(sender)["active_loop"].get("name") == form
    replies = servers.say(sender, "please delete my data")
    assert set(buttons(replies)) == {"/affirm", "/deny"}, replies
    replies = servers.say(sender, "/affirm")
    assert "Done: I've deleted" in all_text(replies), replies
    assert _stored_events(servers, sender) == 0


def test_forget_me_then_no_keeps_everything(servers: Servers) -> None:
    sender = f"keep-{uuid.uuid4().hex[:8]}"
    servers.say(sender, "hi")
    stored = _stored_events(servers, sender)
    assert set(buttons(servers.say(sender, "forget me"))) == {"/affirm", "/deny"}
    replies = servers.say(sender, "/deny")
    assert "kept" in all_text(replies).lower()
    assert _stored_events(servers, sender) > stored


def test_telemetry_is_off_wherever_rasa_runs(servers: Servers) -> None:
    from rasa import telemetry

    assert servers.env["RASA_TELEMETRY_ENABLED"] == "false"
    assert re.search(r"^export RASA_TELEMETRY_ENABLED=false", (ROOT / "scripts/env.sh").read_text(), re.M)
    makefile = (ROOT / "Makefile").read_text().splitlines()
    for script in sorted((ROOT / "scripts").glob("*.sh")):
        text = script.read_text()
        if re.search(r"\brasa (run|train|test|data)", text) and "source scripts/env.sh" not in text:
            callers = [line for line in makefile if f"scripts/{script.name}" in line]
            assert callers and all("$(ENV)" in line for line in callers), f"{script.name} runs Rasa with telemetry"
    for deploy in sorted((ROOT / "deploy").rglob("*.y*ml")):
        text = deploy.read_text()
        if "rasa" in text and ("image:" in text or "command:" in text):
            assert re.search(r"RASA_TELEMETRY_ENABLED[\"']?\s*[:=]\s*[\"']?false", text), deploy.name
    import os

    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    assert not telemetry.is_telemetry_enabled()
