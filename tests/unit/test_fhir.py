"""The handoff as HL7 FHIR R4: definitions that match what the assistant asks and can say, Bundles that parse
into the R4 models with every reference resolved, and nothing personal beyond the summary."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any, Dict, List

import fhir.resources
import pytest
import yaml
from fhir.resources import construct_fhir_element
from fhir.resources.bundle import Bundle

from knotcare import cli, privacy
from knotcare.clinic.handoff import hand_over
from knotcare.clinic.profile import default_profile
from knotcare.clinic.slack import SlackSettings
from knotcare.clinic.tickets import SCREEN_SLOTS, Ticket
from knotcare.config import DATA_DIR, ROOT
from knotcare.fhir.definitions import code_systems, default_definitions, questionnaire
from knotcare.fhir.export import SEEN_LEVELS, ticket_bundle
from knotcare.kb import KnowledgeBase
from knotcare.kb.seed import load_rules, rules_version
from knotcare.nlp.payloads import vocabulary
from knotcare.triage import decide
from knotcare.triage.engine import Facts
from knotcare.triage.screen import SCREEN_CODES

NOW = dt.datetime(2026, 12, 6, 10, 30, tzinfo=dt.timezone.utc)
#: Contract slots and extensions the summary carries, each an item of the Questionnaire.
CODED = {"subject": "subject", "writer": "writer", "body_region": "body-region", "pain_quality": "pain-quality",
         "red_flag": "red-flag", "condition": "condition", "triage_level": "triage-level"}


@pytest.fixture(autouse=True)
def _key(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(privacy.KEY_ENV, "fhir-test-key")
    privacy._key.cache_clear()
    yield
    privacy._key.cache_clear()


def _ticket(kb: KnowledgeBase, sender: str, facts: Facts, **slots: Any) -> Ticket:
    """A ticket made as the assistant makes one: the engine's decision on the facts, then hand_over."""
    with kb.unit_of_work() as uow:
        decision = decide(facts, uow.rules.all())
        version = uow.meta.get("rules_version")
    values: Dict[str, Any] = {
        "body_region": facts.region, "pain_quality": facts.pain_quality, "pain_duration_days": facts.duration_days,
        "pain_severity": facts.severity, "red_flags": sorted(facts.red_flags), "conditions": sorted(facts.conditions),
        "age": facts.age, "triage_level": decision.level, "triage_rule_ids": list(decision.rule_ids),
        "triage_rules_version": version, **slots}
    settings = SlackSettings(token="", channel="", api_url="", signing_secret="")
    with kb.unit_of_work() as uow:
        return asyncio.run(hand_over(uow, default_profile(), settings, sender, values, "asked", NOW)).ticket


def _resources(bundle: Bundle) -> Dict[str, List[Any]]:
    found: Dict[str, List[Any]] = {}
    for entry in bundle.entry:
        found.setdefault(entry.resource.resource_type, []).append(entry.resource)
    return found


def _answers(bundle: Bundle) -> Dict[str, List[Any]]:
    [response] = _resources(bundle)["QuestionnaireResponse"]
    found = {}
    for item in response.item:
        values = []
        for answer in item.answer:
            value = answer.valueCoding.code if answer.valueCoding else next(
                v for v in (answer.valueBoolean, answer.valueInteger, answer.valueDecimal, answer.valueString)
                if v is not None)
            values.append(value)
        found[item.linkId] = values
    return found


def _checked(bundle: Bundle) -> Dict[str, Any]:
    """The Bundle re-read from its JSON by the R4 models, entry by entry, with every reference resolved."""
    data = json.loads(bundle.json())
    assert data["type"] == "transaction"
    Bundle.parse_obj(data)
    urls = {entry["fullUrl"] for entry in data["entry"]}
    for entry in data["entry"]:
        construct_fhir_element(entry["resource"]["resourceType"], entry["resource"])
        assert entry["request"]["method"] == "POST" and entry["request"]["url"] == entry["resource"]["resourceType"]
    references = [value for value in _walk(data) if isinstance(value, dict) and "reference" in value]
    assert references and all(ref["reference"] in urls for ref in references)
    _matches_questionnaire(next(e["resource"] for e in data["entry"]
                                if e["resource"]["resourceType"] == "QuestionnaireResponse"))
    return data


#: The answer field each Questionnaire item type takes (FHIR R4 QuestionnaireResponse.item.answer.value[x]).
VALUE_FIELD = {"boolean": "valueBoolean", "choice": "valueCoding", "integer": "valueInteger",
               "decimal": "valueDecimal", "string": "valueString"}


def _matches_questionnaire(response: Dict[str, Any]) -> None:
    """Every answered linkId is a question of the Questionnaire, with the value type and options it allows."""
    made = json.loads(questionnaire(default_definitions(), rules_version()).json())
    items = {item["linkId"]: item for item in made["item"]}
    assert response["questionnaire"].split("|")[0] == made["url"]
    for answered in response["item"]:
        item = items[answered["linkId"]]
        assert len(answered["answer"]) == 1 or item.get("repeats"), item["linkId"]
        for answer in answered["answer"]:
            [(field, value)] = answer.items()
            assert field == VALUE_FIELD[item["type"]], item["linkId"]
            if field == "valueCoding":
                options = {(o["valueCoding"]["system"], o["valueCoding"]["code"]) for o in item["answerOption"]}
                assert (value["system"], value["code"]) in options, item["linkId"]


def _walk(value: Any):  # type: ignore[no-untyped-def]
    yield value
    if isinstance(value, dict):
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def test_the_models_are_fhir_r4() -> None:
    assert fhir.resources.__fhir_version__ == "4.0.1"


def test_every_code_the_assistant_can_produce_is_in_a_code_system() -> None:
    definitions, known = default_definitions(), vocabulary()
    for entity, system in CODED.items():
        concepts = set(definitions.codes[system]["concepts"])
        assert set(known[entity if entity != "subject" else "subject"]) <= concepts, entity
    assert {"asked", "not_understood"} == set(definitions.codes["handoff"]["concepts"])
    # Codes set by the screen or named by a rule, not read from words, are there too.
    flags = set(definitions.codes["red-flag"]["concepts"])
    assert {code for codes in SCREEN_CODES.values() for code in codes} <= flags
    for rule in load_rules():
        for key, value in rule.when.items():
            if key.startswith("red_flags"):
                assert set(value if isinstance(value, list) else [value]) <= flags, rule.id


def test_the_questionnaire_asks_what_the_assistant_asks() -> None:
    definitions = default_definitions()
    messages = yaml.safe_load((DATA_DIR / "kb" / "messages.yml").read_text())["messages"]
    link_ids = [item.link_id for item in definitions.items]
    assert len(link_ids) == len(set(link_ids))
    # Every screen question the ticket records, worded as the assistant asks it.
    assert {i for i in link_ids if i.startswith("screen_")} == set(SCREEN_SLOTS) == set(SCREEN_CODES)
    for link_id in SCREEN_SLOTS:
        assert definitions.item(link_id).text == " ".join(messages[f"ask_{link_id}"]["text"].split())
    # Every other item is a contract slot of the domain.
    slots = set()
    for path in (ROOT / "domain").glob("*.yml"):
        slots |= set((yaml.safe_load(path.read_text()) or {}).get("slots") or {})
    assert set(link_ids) <= slots
    version = rules_version()
    made = questionnaire(definitions, version)
    assert made.version == version and made.url == definitions.questionnaire_url
    rules = code_systems(definitions, load_rules(), version)[-1]
    assert {c.code for c in rules.concept} == {r.id for r in load_rules()} and rules.version == version


def test_rules_version_changes_with_the_rules_and_the_patterns(tmp_path: Path) -> None:
    for name in ("kb/triage_rules.yml", "patterns/red_flags.yml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((DATA_DIR / name).read_bytes())
    before = rules_version(tmp_path)
    assert before == rules_version(tmp_path) and len(before) == 12
    (tmp_path / "patterns" / "red_flags.yml").write_text("# changed\n", encoding="utf-8")
    assert rules_version(tmp_path) != before


def test_a_relatives_emergency_exports_every_answer_flag_rule_and_the_version(sqlite_kb: KnowledgeBase) -> None:
    sender = "telegram:5551234"
    facts = Facts(region="lower_back", pain_quality="sharp", duration_days=0.04, severity=9, age=84,
                  red_flags=frozenset({"sudden_severe_pain", "reduced_consciousness"}))
    ticket = _ticket(sqlite_kb, sender, facts, subject="other", writer="relative",
                     screen_cauda_equina=False, screen_trauma_chest=True)
    bundle = ticket_bundle(default_definitions(), ticket, rules_version())
    data = _checked(bundle)
    found = _resources(bundle)
    assert [p.identifier[0].value for p in found["Patient"]] and "RelatedPerson" in found
    assert found["RelatedPerson"][0].patient.reference == data["entry"][0]["fullUrl"]
    answers = _answers(bundle)
    assert answers["subject"] == ["other"] and answers["writer"] == ["relative"] and answers["age"] == [84]
    assert sorted(answers["red_flags"]) == ["reduced_consciousness", "sudden_severe_pain"]
    # Denied screen answers go too; unasked ones do not.
    assert answers["screen_cauda_equina"] == [False] and answers["screen_trauma_chest"] == [True]
    assert "screen_general" not in answers
    assert answers["triage_level"] == ["emergency"]
    assert answers["triage_rules_version"] == [rules_version()]
    assert set(answers["triage_rule_ids"]) == set(ticket.summary["triage_rule_ids"]) and answers["triage_rule_ids"]
    observations = found["Observation"]
    assert sorted(o.code.coding[0].code for o in observations) == answers["red_flags"]
    assert all(o.status == "preliminary" and o.derivedFrom[0].reference == data["entry"][2]["fullUrl"]
               for o in observations)
    [request] = found["ServiceRequest"]
    assert request.priority == SEEN_LEVELS["emergency"] == "stat"
    codes = {c.coding[0].code: c.coding[0] for c in request.reasonCode}
    assert "emergency" in codes and set(ticket.summary["triage_rule_ids"]) <= set(codes)
    assert all(codes[rule].version == rules_version() for rule in ticket.summary["triage_rule_ids"])
    assert "Why:" in request.note[0].text and rules_version() in request.note[0].text
    # The reasons are worded for the person asked about, not "you".
    assert " you " not in f" {request.note[0].text.lower()} "
    # Never the channel id, nor the stored pseudonymous id.
    text = bundle.json()
    assert "5551234" not in text and "telegram" not in text and ticket.person_id not in text


def test_a_front_desk_see_clinician_case_names_a_practitioner(sqlite_kb: KnowledgeBase) -> None:
    facts = Facts(region="lower_back", pain_quality="dull_ache", duration_days=60, severity=4, age=45,
                  red_flags=frozenset({"no_improvement"}))
    ticket = _ticket(sqlite_kb, "web:desk-1", facts, subject="other", writer="front_desk", screen_general=True)
    bundle = ticket_bundle(default_definitions(), ticket, rules_version())
    _checked(bundle)
    found = _resources(bundle)
    assert "Practitioner" in found and "RelatedPerson" not in found
    [response] = found["QuestionnaireResponse"]
    practitioner = next(e.fullUrl for e in bundle.entry if e.resource.resource_type == "Practitioner")
    assert response.author.reference == practitioner
    assert _answers(bundle)["triage_level"] == ["see_clinician"]
    assert found["ServiceRequest"][0].priority == "routine"


def test_a_self_care_handoff_is_a_message_and_the_same_person_keeps_one_pseudonym(sqlite_kb: KnowledgeBase) -> None:
    facts = Facts(region="upper_back", pain_quality="dull_ache", duration_days=21, severity=5, age=35)
    first = _ticket(sqlite_kb, "rest-me", facts, screen_general=False)
    bundle = ticket_bundle(default_definitions(), first, rules_version())
    _checked(bundle)
    found = _resources(bundle)
    assert "Communication" in found and "ServiceRequest" not in found and "Observation" not in found
    assert "RelatedPerson" not in found and "Practitioner" not in found
    patient = found["Patient"][0].identifier[0].value
    # Exported twice, the same Bundle (so an import can be retried).
    assert ticket_bundle(default_definitions(), first, rules_version()).json() == bundle.json()
    with sqlite_kb.unit_of_work() as uow:
        from knotcare.clinic.tickets import TicketRepository
        TicketRepository(uow.session).close(first.id, "staff", NOW)
        uow.commit()
    second = _ticket(sqlite_kb, "rest-me", facts)
    again = _resources(ticket_bundle(default_definitions(), second, rules_version()))["Patient"][0]
    assert again.identifier[0].value == patient


def test_the_cli_exports_one_ticket_new_ones_as_ndjson_and_nothing_after_forget_me(
        sqlite_kb: KnowledgeBase, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = str(sqlite_kb.engine.url)
    monkeypatch.setenv("DATABASE_URL", url)
    facts = Facts(region="neck", red_flags=frozenset({"fever"}), pain_quality="stiffness")
    ticket = _ticket(sqlite_kb, "slack:T1:U1", facts, subject="self")
    assert cli.main(["tickets", "export", str(ticket.id), "--format", "fhir"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["type"] == "transaction" and one["identifier"]["value"] == str(ticket.id)
    out = tmp_path / "exports" / "new.ndjson"
    assert cli.main(["tickets", "export", "--since", "2026-12-01", "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert [json.loads(line)["identifier"]["value"] for line in lines] == [str(ticket.id)]
    assert out.stat().st_mode & 0o777 == 0o600
    assert cli.main(["tickets", "export", "--definitions"]) == 0
    definitions = json.loads(capsys.readouterr().out)
    assert {e["resource"]["resourceType"] for e in definitions["entry"]} == {"Questionnaire", "CodeSystem"}
    privacy.forget_person(sqlite_kb.engine, "slack:T1:U1")
    assert cli.main(["tickets", "export", "--since", "2026-12-01", "--out", str(out)]) == 0
    assert out.read_text() == ""
    assert cli.main(["tickets", "export", str(ticket.id)]) == 1
