"""The intake as FHIR R4 definitions: the Questionnaire and our CodeSystems, from `data/fhir/intake.yml`.

Built with `fhir.resources` 6.4.0 (FHIR 4.0.1, on pydantic 1.x like Rasa), so every resource is checked
against the R4 models as it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, List, Mapping, Optional, Sequence, Tuple

import yaml
from fhir.resources.codesystem import CodeSystem, CodeSystemConcept
from fhir.resources.coding import Coding
from fhir.resources.questionnaire import Questionnaire, QuestionnaireItem, QuestionnaireItemAnswerOption

from knotcare.config import DATA_DIR
from knotcare.triage.engine import Rule

#: The FHIR release the models (and so every export) follow.
FHIR_VERSION = "4.0.1"
#: Our CodeSystem of triage rules: its codes are the rule ids of data/kb/triage_rules.yml.
RULES_SYSTEM = "triage-rule"


@dataclass(frozen=True)
class Item:
    """One question of the intake: its linkId (a contract slot), answer type, code system and wording."""

    link_id: str
    type: str
    text: str
    codes: Optional[str] = None
    repeats: bool = False


@dataclass(frozen=True)
class Definitions:
    """The reviewed FHIR definitions, with the assistant's own question texts filled in."""

    canonical: str
    publisher: str
    questionnaire: Mapping[str, Any]
    items: Tuple[Item, ...]
    codes: Mapping[str, Mapping[str, Any]]

    def system(self, name: str) -> str:
        """The canonical URL of one of our CodeSystems."""
        return f"{self.canonical}/CodeSystem/{name}"

    @property
    def questionnaire_url(self) -> str:
        """The Questionnaire's canonical URL."""
        return f"{self.canonical}/Questionnaire/intake"

    def coding(self, name: str, code: str, version: Optional[str] = None) -> Coding:
        """A Coding from one of our CodeSystems (the code itself as display when it has none)."""
        display = (self.codes.get(name) or {}).get("concepts", {}).get(code)
        return Coding(system=self.system(name), code=code, display=display or code, version=version)

    def item(self, link_id: str) -> Item:
        """The item with this linkId."""
        return next(item for item in self.items if item.link_id == link_id)


def load_definitions(messages: Mapping[str, str], data_dir: Path = DATA_DIR) -> Definitions:
    """Read `fhir/intake.yml`; `messages` (key → text) gives the screen questions their asked wording."""
    spec = yaml.safe_load((data_dir / "fhir" / "intake.yml").read_text(encoding="utf-8"))
    items = []
    for row in spec["questionnaire"]["items"]:
        text = messages[row["message"]] if row.get("message") else row["text"]
        items.append(Item(row["linkId"], row["type"], " ".join(text.split()), row.get("codes"),
                          bool(row.get("repeats"))))
    return Definitions(spec["canonical"].rstrip("/"), spec["publisher"], spec["questionnaire"], tuple(items),
                       spec["codes"])


@lru_cache(maxsize=1)
def default_definitions() -> Definitions:
    """The definitions with the screen questions as data/kb/messages.yml words them."""
    from knotcare.kb.seed import load_messages

    return load_definitions({message.key: message.text for message in load_messages()})


def questionnaire(definitions: Definitions, version: str) -> Questionnaire:
    """The intake Questionnaire, versioned with the rules it belongs to."""
    spec = definitions.questionnaire
    items: List[QuestionnaireItem] = []
    for item in definitions.items:
        options = None
        if item.codes:
            options = [QuestionnaireItemAnswerOption(valueCoding=definitions.coding(item.codes, code))
                       for code in definitions.codes[item.codes]["concepts"]]
        items.append(QuestionnaireItem(linkId=item.link_id, text=item.text, type=item.type,
                                       repeats=item.repeats or None, answerOption=options))
    return Questionnaire(id="knotcare-intake", url=definitions.questionnaire_url, version=version,
                         name=spec["name"], title=spec["title"], description=spec["description"].strip(),
                         status="active", publisher=definitions.publisher, subjectType=["Patient"], item=items)


def code_systems(definitions: Definitions, rules: Sequence[Rule], version: str) -> List[CodeSystem]:
    """Our CodeSystems: one per coded item, and the triage rules (versioned with them)."""
    found = []
    for name, spec in definitions.codes.items():
        concepts = [CodeSystemConcept(code=code, display=display) for code, display in spec["concepts"].items()]
        found.append(CodeSystem(id=f"knotcare-{name}", url=definitions.system(name), name=_pascal(name),
                                title=spec["title"], status="active", content="complete",
                                publisher=definitions.publisher, concept=concepts, count=len(concepts)))
    concepts = [CodeSystemConcept(code=rule.id, display=rule.id.replace("_", " "), definition=rule.source or None)
                for rule in rules]
    found.append(CodeSystem(id=f"knotcare-{RULES_SYSTEM}", url=definitions.system(RULES_SYSTEM), version=version,
                            name="TriageRule", title="Knotcare triage rules (data/kb/triage_rules.yml)",
                            status="draft", content="complete", publisher=definitions.publisher,
                            concept=concepts, count=len(concepts)))
    return found


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))
