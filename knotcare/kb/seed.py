"""Load the reviewed YAML files, check them, and write them into the knowledge base."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from knotcare.config import DATA_DIR
from knotcare.content import FOR_OTHER, PLACES, REGIONS, Answer, Message, Referral, Routine, Step, Tool
from knotcare.kb.db import KnowledgeBase
from knotcare.triage.engine import Rule, validate_rule
from knotcare.triage.screen import SCREEN_CODES

#: The reviewed files, relative to the data folder.
CONTENT_FILES = ("kb/routines.yml", "kb/tools.yml", "kb/triage_rules.yml", "kb/answers.yml", "kb/referrals.yml",
                 "kb/messages.yml", "kb/messages_plans.yml", "kb/messages_clinic.yml")
#: Files of messages (one key space): the core ones, then each feature's own.
MESSAGE_FILES = ("kb/messages.yml", "kb/messages_plans.yml", "kb/messages_clinic.yml")


#: Messages the actions cannot do without.
REQUIRED_MESSAGES = frozenset({
    "ask_body_region", "ask_back_part", "ask_back_part_again", "ask_pain_quality", "ask_pain_duration_days",
    "ask_pain_severity",
    *(f"ask_{slot}" for slot in SCREEN_CODES), "screen_intro", "emergency", "urgent",
    "see_clinician", "consult_first", "comfort_advice",
    "red_flag_safety_net", "default", "empty_message", "english_only", "duration_from_number",
    "severity_out_of_range", "answer_after_red_flag", "question_menu",
    # pictures (knotcare.pictures, actions/pictures.py) and the places of guided steps (knotcare.plan.new_place)
    "picture_body_map_alt", "picture_body_map_caption", "body_map_elsewhere", "picture_legend_knot",
    "picture_legend_press", "picture_legend_felt", "picture_routine_alt", "picture_routine_felt",
    "picture_routine_felt_front", "picture_routine_caption", "progress_chart", "progress_chart_alt",
    *(f"guided_place_{place}" for place in PLACES if place != "anywhere"),
})


class ContentError(ValueError):
    """A reviewed file is malformed or refers to something that does not exist."""


@dataclass(frozen=True)
class Content:
    """Everything the knowledge base holds, read from the reviewed files."""

    routines: Tuple[Routine, ...]
    tools: Tuple[Tool, ...]
    rules: Tuple[Rule, ...]
    answers: Tuple[Answer, ...]
    referrals: Tuple[Referral, ...]
    messages: Tuple[Message, ...]
    digest: str
    #: `rules_version()` of the files this was read from
    rules_version: str = ""


def _read(data_dir: Path, name: str) -> Dict[str, Any]:
    path = data_dir / name
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _hold(step: Dict[str, Any]) -> Tuple[Optional[int], Optional[int]]:
    hold = step.get("hold_seconds")
    if hold is None:
        return None, None
    if isinstance(hold, dict):
        return int(hold["min"]), int(hold["max"])
    return int(hold), int(hold)


def content_digest(data_dir: Path = DATA_DIR) -> str:
    """A hash of the reviewed files, to tell whether the database is up to date."""
    sha = hashlib.sha256()
    for name in CONTENT_FILES:
        path = data_dir / name
        sha.update(name.encode())
        sha.update(path.read_bytes() if path.exists() else b"")
    return sha.hexdigest()


#: The files whose content decides a triage level: the rules, and the patterns that read red flags and facts.
RULES_FILES = ("kb/triage_rules.yml", "patterns/*.yml")


def rules_version(data_dir: Path = DATA_DIR) -> str:
    """The version of the reviewed rules and patterns: the first 12 hex digits of a SHA-256 over them.

    Recorded with every decision (slot `triage_rules_version`), in tickets and in exports, so that a
    reviewer can tell which files made a decision.
    """
    sha = hashlib.sha256()
    for pattern in RULES_FILES:
        for path in sorted(data_dir.glob(pattern)):
            sha.update(path.relative_to(data_dir).as_posix().encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()[:12]


#: Words that address the person reading (a rule's reason worded this way needs a variant for a proxy).
_ADDRESSES_WRITER = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)


def load_rules(data_dir: Path = DATA_DIR) -> Tuple[Rule, ...]:
    """Read and check the reviewed triage rules (also used by the dialogue's safety net, without the DB)."""
    rules = tuple(
        Rule(r["id"], r["level"], dict(r.get("when") or {}), r["message"].strip(), r.get("source", ""),
             (r.get("message_for_other") or "").strip())
        for r in _read(data_dir, "kb/triage_rules.yml").get("rules", [])
    )
    for rule in rules:
        try:
            validate_rule(rule)
        except ValueError as error:
            raise ContentError(str(error)) from error
        # A reason that speaks to "you" would misaddress a relative or a front desk asking for someone else.
        if _ADDRESSES_WRITER.search(rule.message) and not rule.message_for_other:
            raise ContentError(f"rule {rule.id}: its message says 'you' but has no message_for_other")
    return rules


def load_messages(data_dir: Path = DATA_DIR) -> Tuple[Message, ...]:
    """Every message the assistant says, from the reviewed message files (unchecked: load_content checks)."""
    # `text_for_other`: the same message worded for someone writing for another person (contract: the subject),
    # kept as its own key `<key>_for_other` with the same buttons.
    return tuple(
        Message(key + suffix, spec[field].strip(), tuple(dict(b) for b in spec.get("buttons") or ()))
        for name in MESSAGE_FILES
        for key, spec in (_read(data_dir, name).get("messages") or {}).items()
        for field, suffix in (("text", ""), ("text_for_other", FOR_OTHER)) if field in spec
    )


def load_content(data_dir: Path = DATA_DIR) -> Content:
    """Read and check the reviewed files; raise ContentError on any inconsistency."""
    tools = tuple(
        Tool(id=t["id"], name=t["name"], good_for=t.get("good_for", ""), how_to_use=t.get("how_to_use", ""),
             buying_tips=t.get("buying_tips"), cautions=tuple(t.get("cautions") or ()), source=t.get("source", ""))
        for t in _read(data_dir, "kb/tools.yml").get("tools", [])
    )
    tool_ids = {t.id for t in tools}
    routines: List[Routine] = []
    for r in _read(data_dir, "kb/routines.yml").get("routines", []):
        steps = []
        for s in r.get("steps", []):
            hold_min, hold_max = _hold(s)
            steps.append(Step(s.get("kind", "press"), s["text"], s.get("tool"), hold_min, hold_max,
                              s.get("repetitions"), s.get("rest_seconds"), s.get("place", "")))
        routine = Routine(
            id=r["id"], title=r["title"], regions=tuple(r.get("regions", [])), muscles=tuple(r.get("muscles", [])),
            tools=tuple(r.get("tools", [])), steps=tuple(steps), cautions=tuple(r.get("cautions", [])),
            minutes=int(r.get("minutes", 10)), pressure=r.get("pressure", ""), frequency=r.get("frequency", ""),
            warm_up=r.get("warm_up", ""), aftercare=r.get("aftercare", ""), why=r.get("why", ""),
            source=r.get("source", ""), gentle=bool(r.get("gentle", False)), notes=r.get("notes", "") or "",
        )
        problems = [f"unknown region {x}" for x in routine.regions if x not in REGIONS]
        problems += [f"unknown tool {x}" for x in routine.tools + tuple(s.tool for s in steps if s.tool)
                     if x not in tool_ids]
        if not routine.steps:
            problems.append("no steps")
        problems += [f"step {i + 1} has no known place ({', '.join(PLACES)}), not {s.place!r}"
                     for i, s in enumerate(steps) if s.place not in PLACES]
        if not routine.source:
            problems.append("no source")
        if problems:
            raise ContentError(f"routine {routine.id}: {', '.join(problems)}")
        routines.append(routine)
    rules = load_rules(data_dir)
    answers = tuple(
        Answer(a["topic"], a["text"].strip(), a.get("source", ""), dict(a.get("region_notes") or {}))
        for a in _read(data_dir, "kb/answers.yml").get("answers", [])
    )
    routine_ids = {r.id for r in routines}
    referrals = []
    for f in _read(data_dir, "kb/referrals.yml").get("referrals", []):
        referral = Referral(f["muscle"], tuple(f.get("pain_areas", [])), tuple(f.get("regions", [])),
                            tuple(f.get("routine_ids", [])), f.get("note", ""), f.get("source", ""))
        missing = [x for x in referral.routine_ids if x not in routine_ids]
        if missing:
            raise ContentError(f"referral {referral.muscle}: unknown routines {missing}")
        referrals.append(referral)
    messages = load_messages(data_dir)
    missing_messages = REQUIRED_MESSAGES - {m.key for m in messages}
    if missing_messages:
        raise ContentError(f"messages.yml lacks {sorted(missing_messages)}")
    for kind, items in (("routine", [r.id for r in routines]), ("rule", [r.id for r in rules]),
                        ("message", [m.key for m in messages]),
                        ("tool", [t.id for t in tools]), ("answer", [a.topic for a in answers])):
        duplicates = {x for x in items if items.count(x) > 1}
        if duplicates:
            raise ContentError(f"duplicate {kind} ids: {sorted(duplicates)}")
    return Content(tuple(routines), tools, rules, answers, tuple(referrals), messages, content_digest(data_dir),
                   rules_version(data_dir))


def seed(kb: KnowledgeBase, content: Optional[Content] = None) -> Content:
    """Replace the knowledge base's content with the reviewed files', in one transaction."""
    content = content or load_content()
    kb.create_schema()
    with kb.unit_of_work() as uow:
        uow.meta.clear_content()
        for tool in content.tools:
            uow.tools.add(tool)
        for routine in content.routines:
            uow.routines.add(routine)
        uow.rules.add_all(content.rules)
        for answer in content.answers:
            uow.answers.add(answer)
        for referral in content.referrals:
            uow.referrals.add(referral)
        for message in content.messages:
            uow.messages.add(message)
        uow.meta.set("content_digest", content.digest)
        uow.meta.set("rules_version", content.rules_version)
        uow.meta.set("seeded_at", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
        uow.commit()
    return content


def ensure_seeded(kb: KnowledgeBase, data_dir: Path = DATA_DIR) -> bool:
    """Seed when the database is empty or older than the reviewed files. True if it seeded."""
    kb.create_schema()
    with kb.unit_of_work() as uow:
        current = uow.meta.get("content_digest"), uow.meta.get("rules_version")
    if current == (content_digest(data_dir), rules_version(data_dir)):
        return False
    seed(kb, load_content(data_dir))
    return True


@lru_cache(maxsize=2)
def reviewed_content(data_dir: Path = DATA_DIR) -> Content:
    """The reviewed files, read and checked once per process (for the parts that run without a database: the
    channels' own replies, the pictures)."""
    return load_content(data_dir)


@lru_cache(maxsize=2)
def words(data_dir: Path = DATA_DIR) -> Dict[str, str]:
    """Every reviewed message's text by key (read and checked once)."""
    return {m.key: m.text for m in reviewed_content(data_dir).messages}


def said(key: str, **values: object) -> str:
    """The reviewed message `key` with its `{name}` placeholders filled in: for the domain code that words a reply
    without a database at hand (the plan, the front desk's answers)."""
    text = words()[key]
    return text.format(**values) if values else text
