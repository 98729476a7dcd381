"""The Rasa NLU components on real Messages: entities from the extractor, and the red-flag router."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.fact_extractor import KnotcareFactExtractor
from components.red_flag_router import RedFlagRouter


def extract(text: str) -> Message:
    message = Message(data={TEXT: text})
    KnotcareFactExtractor(KnotcareFactExtractor.get_default_config()).process([message])
    return message


def test_extractor_adds_canonical_entities_only_when_affirmed() -> None:
    entities = extract("no tingling, just a dull ache under my shoulder blade for 3 weeks").get(ENTITIES)
    assert {(e["entity"], e["value"]) for e in entities} == {
        ("pain_quality", "dull_ache"), ("body_region", "upper_back"), ("duration", "3 weeks")}
    assert all(e["extractor"] == "KnotcareFactExtractor" for e in entities)


def test_router_overrides_the_intent_when_a_red_flag_is_affirmed() -> None:
    message = extract("thanks! oh and I can't control my bladder since yesterday")
    message.set(INTENT, {"name": "thank", "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": "thank", "confidence": 0.9}])
    RedFlagRouter(RedFlagRouter.get_default_config()).process([message])
    assert message.get(INTENT)["name"] == "report_red_flag"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["report_red_flag", "thank"]


def test_router_leaves_negated_flags_alone() -> None:
    message = extract("thanks, and no, I haven't had any bladder problems")
    message.set(INTENT, {"name": "thank", "confidence": 0.9})
    RedFlagRouter(RedFlagRouter.get_default_config()).process([message])
    assert message.get(INTENT)["name"] == "thank"


def test_fingerprint_changes_with_the_patterns(tmp_path) -> None:
    (tmp_path / "a.yml").write_text("entity: body_region\nvalues: {}\n")
    before = KnotcareFactExtractor.fingerprint_addon({"patterns": str(tmp_path)})
    (tmp_path / "a.yml").write_text("entity: body_region\nvalues: {neck: {phrases: [neck]}}\n")
    assert KnotcareFactExtractor.fingerprint_addon({"patterns": str(tmp_path)}) != before


def test_a_red_flag_guess_without_a_red_flag_goes_to_the_intake() -> None:
    message = extract("started a week ago")
    message.set(INTENT, {"name": "report_red_flag", "confidence": 0.97})
    message.set(INTENT_RANKING_KEY, [{"name": "report_red_flag", "confidence": 0.97}])
    RedFlagRouter(RedFlagRouter.get_default_config()).process([message])
    assert message.get(INTENT)["name"] == "describe_pain"
