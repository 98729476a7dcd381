"""Real writers over REST, end to end: a relative, a front desk, a clinical note, a part we do not cover;
and the blind writers' vignettes and the real messages as gates.

The vignettes (tests/triage/vignettes_writers.yml) and the real messages (tests/nlu/real_phrases) were
written or labelled blind, from the contract and the clinical facts only; their first run is in
docs/measurements.md. Here each serious vignette is its own case, so CI names any dangerous miss.
"""

from __future__ import annotations

import uuid
from typing import Dict

import pytest

from harness.real_phrases import figures, load_messages, read_all
from harness.vignettes import SERIOUS, Assistant, Outcome, hold_all, load_vignettes
from tests.e2e.conftest import (
    ROOT,
    Servers,
    all_text,
    assert_exact_and_subject,
    assert_held_safely,
    buttons,
    held_in_tests,
)
from tests.e2e.test_conversations import answer_screen_no

pytestmark = pytest.mark.e2e

WRITERS = load_vignettes(ROOT / "tests" / "triage" / "vignettes_writers.yml")
REAL = load_messages(ROOT / "tests" / "nlu" / "real_phrases" / "messages.yml")


def new_sender() -> str:
    return f"writers-{uuid.uuid4().hex[:8]}"


def test_a_relative_from_first_message_to_the_decision(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "My husband is 60. He has had a stiff neck since Sunday")
    assert servers.slots(sender)["subject"] == "other"
    answers = {"pain_quality": "a dull ache", "pain_duration_days": "about 4 days", "pain_severity": "4"}
    for _ in range(4):
        text = all_text(replies).lower()
        assert " you " not in f" {text.split('?')[0]} " and ("they" in text or "their" in text), replies
        requested = servers.slots(sender)["requested_slot"]
        if requested not in answers:
            break
        replies = servers.say(sender, answers[requested])
    assert "/affirm" in buttons(replies)
    replies = servers.say(sender, "he has a temperature of 39 now and the light hurts his eyes")
    slots = servers.slots(sender)
    assert slots["triage_level"] == "emergency" and "stiff_neck_then_fever" in slots["triage_rule_ids"]
    assert slots["age"] == 60
    text = all_text(replies)
    assert "for them" in text and "Stay with them" in text, replies


def test_a_front_desk_caller_gets_the_clinics_escalation_and_the_next_caller_starts_afresh(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "I have a caller on the line, she says her legs have gone numb and she can't "
                                  "control her bladder since this morning")
    slots = servers.slots(sender)
    assert slots["triage_level"] == "emergency" and slots["writer"] == "front_desk"
    assert any(t.startswith("Front desk:") for t in [r.get("text") or "" for r in replies]), replies
    assert "/new_caller" in buttons(replies)
    servers.say(sender, "/new_caller")
    fresh = servers.slots(sender)
    assert fresh["subject"] == "self" and fresh["red_flags"] == [] and fresh["triage_level"] is None
    servers.say(sender, "next one: her lower back is sore after gardening, a dull ache")
    assert servers.slots(sender)["red_flags"] == []


def test_the_next_callers_story_typed_after_new_caller_starts_afresh(servers: Servers) -> None:
    sender = new_sender()
    servers.say(sender, "receptionist here, first caller has upper back pain with chest tightness and is sweaty")
    assert servers.slots(sender)["triage_level"] == "emergency"
    servers.say(sender, "new caller: woman with a sore knot under her left shoulder blade for a week, no chest pain")
    slots = servers.slots(sender)
    assert slots["red_flags"] == [] and slots["triage_level"] is None, slots
    assert slots["subject"] == "other" and slots["body_region"] == "upper_back"


def test_a_clinical_note_is_read_in_clinical_words(servers: Servers) -> None:
    sender = new_sender()
    servers.say(sender, "84 year old male, 1 hour of severe back pain, syncope, gross hematuria, short of breath")
    slots = servers.slots(sender)
    assert slots["triage_level"] == "emergency" and slots["subject"] == "other" and slots["age"] == 84


def test_clinical_negations_lead_to_an_ordinary_intake(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "38F, 3/7 hx LBP after lifting, afebrile, denies dysuria, nil weight loss, "
                                  "saddle sensation intact, GCS 15")
    slots = servers.slots(sender)
    assert slots["red_flags"] == [] and slots["body_region"] == "lower_back" and slots["triage_level"] is None
    assert slots["pain_duration_days"] == 3
    assert replies


def test_a_knee_gets_a_kind_scope_answer(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "my knee hurts")
    text = all_text(replies)
    assert "your knee" in text and "pharmacist" in text and "didn't quite follow" not in text
    assert servers.slots(sender)["body_region"] is None


def test_a_knee_beside_the_lower_back_goes_on_with_the_back(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "my knee and lower back hurt")
    text = all_text(replies)
    assert "your knee is outside what I cover" in text
    assert servers.slots(sender)["body_region"] == "lower_back"
    replies = answer_screen_no(servers, sender, replies)


def test_back_pain_alone_asks_which_part(servers: Servers) -> None:
    sender = new_sender()
    replies = servers.say(sender, "I have back pain")
    assert "Which part of your back" in all_text(replies)


@pytest.fixture(scope="module")
def outcomes(servers: Servers) -> Dict[str, Outcome]:
    """Every serious blind writers' vignette and a third of the others held once against the running stack, four at
    a time."""
    return hold_all(Assistant(servers.rasa_url, servers.token),
                    held_in_tests(WRITERS, lambda vignette: vignette.gold in SERIOUS), prefix="w")


@pytest.mark.parametrize("vignette_id", [v.id for v in WRITERS if v.gold in ("emergency", "urgent")])
def test_no_serious_writers_vignette_is_a_dangerous_miss_or_under_triaged(outcomes, vignette_id: str) -> None:
    assert_held_safely(outcomes[vignette_id])


def test_writers_vignettes_exact_level_and_subject(outcomes) -> None:
    assert_exact_and_subject(outcomes)


def test_real_messages_regions_and_subject(servers: Servers) -> None:
    """Region recall and false regions at their targets; subject at the floor of today's figure (below its 98%
    target: docs/measurements.md says which messages and why), so that it cannot slip."""
    result = figures(read_all(Assistant(servers.rasa_url, servers.token), REAL))
    assert result.recall >= 0.95, result
    assert result.false_rate <= 0.02, result
    assert result.subject_rate >= 0.97, result
    # three real medical questions outside our remit ("can sinus infections cause neck pain ...?") are not understood:
    # they are told what we do and who can answer them
    assert result.region_not_understood <= 3, result
