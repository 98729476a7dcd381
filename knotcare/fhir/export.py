"""A handoff ticket as a FHIR R4 transaction Bundle a clinic's records system can take in.

What leaves: the structured summary only (facts, every screen answer including the denied ones, the
subject, the decision with its rule ids, the rules' version and the reasons in plain words). No message
text, no name or contact detail, no channel id: people appear as pseudonyms made for the export (an HMAC
of the stored pseudonymous person id), so an export cannot be joined back to a chat account.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple

from fhir.resources.annotation import Annotation
from fhir.resources.bundle import Bundle, BundleEntry, BundleEntryRequest
from fhir.resources.codeableconcept import CodeableConcept
from fhir.resources.coding import Coding
from fhir.resources.communication import Communication, CommunicationPayload
from fhir.resources.identifier import Identifier
from fhir.resources.observation import Observation
from fhir.resources.patient import Patient
from fhir.resources.practitioner import Practitioner
from fhir.resources.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.reference import Reference
from fhir.resources.relatedperson import RelatedPerson
from fhir.resources.resource import Resource
from fhir.resources.servicerequest import ServiceRequest

from knotcare.clinic.tickets import Ticket
from knotcare.fhir.definitions import RULES_SYSTEM, Definitions
from knotcare.privacy import person_id

#: Levels at which the person needs to be seen: the handoff is a request for a service, not just a message.
SEEN_LEVELS = {"emergency": "stat", "urgent": "urgent", "see_clinician": "routine"}
#: HL7's observation categories (terminology.hl7.org): answers a person gave are `survey`.
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
#: Uuids of a ticket's resources are derived from the ticket, so exporting it twice gives the same Bundle.
_NAMESPACE = uuid.UUID("6f1c1f62-8a0e-4c3e-9a54-1f0d3b7f2c11")

#: Where each item's answer sits in a ticket's summary (knotcare.clinic.tickets.summary_from_slots).
_SUMMARY_KEYS = {"body_region": "region", "pain_duration_days": "duration_days", "pain_severity": "severity",
                 "routine_id": "routine_tried"}


def pseudonym(role: str, ticket: Ticket) -> str:
    """A person's id in exports: an HMAC of their stored pseudonymous id. The subject when it is someone else
    gets one per ticket: nothing says two relatives' questions are about the same person."""
    basis = f"{role}:{ticket.person_id}" + (f":{ticket.id}" if role == "subject-other" else "")
    return person_id("fhir:" + basis)


def _urn(ticket: Ticket, name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{ticket.person_id}:{ticket.id}:{name}')}"


def _answers(definitions: Definitions, link_id: str, value: Any) -> List[QuestionnaireResponseItemAnswer]:
    """The answers of one item, typed as the Questionnaire says (none when not said or not asked)."""
    item = definitions.item(link_id)
    values = value if isinstance(value, list) else [value]
    answers = []
    for one in values:
        if one in (None, "", "not asked"):
            continue
        if item.type == "boolean":
            answers.append(QuestionnaireResponseItemAnswer(valueBoolean=one in (True, "yes")))
        elif item.type == "choice":
            assert item.codes is not None, f"choice item {item.link_id} names no code system"
            answers.append(QuestionnaireResponseItemAnswer(valueCoding=definitions.coding(item.codes, str(one))))
        elif item.type == "integer":
            answers.append(QuestionnaireResponseItemAnswer(valueInteger=int(one)))
        elif item.type == "decimal":
            answers.append(QuestionnaireResponseItemAnswer(valueDecimal=float(one)))
        else:
            answers.append(QuestionnaireResponseItemAnswer(valueString=str(one)))
    return answers if item.repeats else answers[:1]


def response_items(definitions: Definitions, summary: Mapping[str, Any]) -> List[QuestionnaireResponseItem]:
    """One item per question that has an answer, in the Questionnaire's order."""
    screen = summary.get("screen") or {}
    items = []
    for item in definitions.items:
        value = screen.get(item.link_id) if item.link_id.startswith("screen_") \
            else summary.get(_SUMMARY_KEYS.get(item.link_id, item.link_id))
        answers = _answers(definitions, item.link_id, value)
        if answers:
            items.append(QuestionnaireResponseItem(linkId=item.link_id, text=item.text, answer=answers))
    return items


def _people(definitions: Definitions, ticket: Ticket) -> Tuple[List[Tuple[str, Resource, Optional[str]]], str]:
    """The subject as Patient and, when someone else writes, the writer (RelatedPerson or Practitioner):
    (urn, resource, conditional-create query) each, and the urn of whoever gave the answers."""
    summary = ticket.summary
    other = summary.get("subject") == "other"
    patient_id = Identifier(system=f"{definitions.canonical}/patient-pseudonym",
                            value=pseudonym("subject-other" if other else "self", ticket))
    patient_urn = _urn(ticket, "patient")
    people: List[Tuple[str, Resource, Optional[str]]] = [
        (patient_urn, Patient(identifier=[patient_id]), f"identifier={patient_id.system}|{patient_id.value}")]
    if not other:
        return people, patient_urn
    writer_urn = _urn(ticket, "writer")
    writer_id = Identifier(system=f"{definitions.canonical}/writer-pseudonym", value=pseudonym("writer", ticket))
    # How the writer is related is not asked (a relative, a friend, a carer), so no relationship is coded.
    writer: Resource = Practitioner(identifier=[writer_id]) if summary.get("writer") == "front_desk" \
        else RelatedPerson(identifier=[writer_id], patient=Reference(reference=patient_urn))
    people.append((writer_urn, writer, f"identifier={writer_id.system}|{writer_id.value}"))
    return people, writer_urn


def decision_text(summary: Mapping[str, Any]) -> str:
    """The decision in words: the level, the rules that matched, the rules' version and the reasons."""
    level = summary.get("triage_level") or "none yet"
    rules = ", ".join(summary.get("triage_rule_ids") or ()) or "none"
    reasons = " ".join(summary.get("reasons") or ())
    return (f"Triage decision: {level}. Rules matched: {rules} (rules version "
            f"{summary.get('triage_rules_version') or 'unknown'}).") + (f" Why: {reasons}" if reasons else "")


def ticket_bundle(definitions: Definitions, ticket: Ticket, rules_version: str) -> Bundle:
    """The ticket as a transaction Bundle: Patient (and writer), QuestionnaireResponse, one preliminary
    Observation per affirmed red flag, and a ServiceRequest (to be seen) or a Communication (a message)."""
    summary = ticket.summary
    version = summary.get("triage_rules_version") or rules_version
    when = ticket.created_at if ticket.created_at.tzinfo else ticket.created_at.replace(tzinfo=dt.timezone.utc)
    people, author_urn = _people(definitions, ticket)
    patient = Reference(reference=people[0][0])
    author = Reference(reference=author_urn)
    response_urn = _urn(ticket, "response")
    entries: List[Tuple[str, Resource, Optional[str]]] = list(people)
    entries.append((response_urn, QuestionnaireResponse(
        identifier=Identifier(system=f"{definitions.canonical}/ticket", value=str(ticket.id)),
        questionnaire=f"{definitions.questionnaire_url}|{version}", status="completed", subject=patient,
        authored=when, author=author, source=author, item=response_items(definitions, summary)), None))
    flags = []
    for flag in summary.get("red_flags") or ():
        urn = _urn(ticket, f"flag:{flag}")
        flags.append(urn)
        entries.append((urn, Observation(
            status="preliminary", subject=patient, effectiveDateTime=when, performer=[author],
            category=[CodeableConcept(coding=[Coding(system=OBSERVATION_CATEGORY, code="survey")])],
            code=CodeableConcept(coding=[definitions.coding("red-flag", flag)], text="Red flag reported"),
            valueBoolean=True, derivedFrom=[Reference(reference=response_urn)]), None))
    entries.append(_request(definitions, ticket, when, patient, author, [response_urn, *flags], version))
    return Bundle(
        type="transaction", timestamp=when,
        identifier=Identifier(system=f"{definitions.canonical}/ticket", value=str(ticket.id)),
        entry=[BundleEntry(fullUrl=urn, resource=resource,
                           request=BundleEntryRequest(method="POST", url=resource.resource_type, ifNoneExist=query))
               for urn, resource, query in entries])


def _request(definitions: Definitions, ticket: Ticket, when: dt.datetime, patient: Reference, author: Reference,
             evidence: Sequence[str], version: str) -> Tuple[str, Resource, None]:
    """What staff are asked to do: a ServiceRequest when the person needs to be seen, else a Communication."""
    summary = ticket.summary
    level = summary.get("triage_level")
    reasons = [CodeableConcept(coding=[definitions.coding("triage-level", level)])] if level else []
    reasons += [CodeableConcept(coding=[definitions.coding(RULES_SYSTEM, rule, version)])
                for rule in summary.get("triage_rule_ids") or ()]
    reasons.append(CodeableConcept(coding=[definitions.coding("handoff", ticket.reason)]))
    supporting = [Reference(reference=urn) for urn in evidence]
    text = decision_text(summary)
    if level in SEEN_LEVELS:
        return _urn(ticket, "request"), ServiceRequest(
            status="active", intent="proposal", priority=SEEN_LEVELS[level], subject=patient, authoredOn=when,
            requester=author, code=CodeableConcept(text="Assessment of neck or back pain by a clinician"),
            reasonCode=reasons, supportingInfo=supporting, note=[Annotation(text=text)]), None
    return _urn(ticket, "request"), Communication(
        status="completed", subject=patient, sent=when, sender=author, about=supporting, reasonCode=reasons,
        payload=[CommunicationPayload(contentString=text)]), None


def export_lines(definitions: Definitions, tickets: Iterable[Ticket], rules_version: str) -> Iterable[str]:
    """NDJSON: one Bundle a line, for `knotcare tickets export --since`."""
    for ticket in tickets:
        yield ticket_bundle(definitions, ticket, rules_version).json()

