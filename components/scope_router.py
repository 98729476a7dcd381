"""A body part outside the five regions: a clear scope answer, never "I didn't follow".

The fact extractor reads `other_body_part` mentions (knee, hip, chest, tummy ...) from
data/patterns/other_parts.yml. A message that names one and no covered region, with no
red flag, is a `describe_other_part` (the classifier is never trained on it), whose
answer says the assistant covers the neck and back and where to go instead. Beside a
covered region the message keeps its intent: the intake goes on with the region, and
the part outside is named in its reply. Parts that neck and back pain often spreads to
(an arm, a leg, the head: `alone_only` in the pattern file) never get the scope answer:
alone they go to the intake, which asks where and screens; beside a region they are
dropped, so "lower back pain down my leg" is not told its leg is out of scope. A named muscle
("glute med") counts as covered, and questions keep their intent. Runs before the
red-flag router, so a red flag in a message about a knee is still acted on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Text

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

from components.red_flag_router import route_intent
from components.rule_component import RuleComponent
from knotcare.config import ROOT


def alone_only_parts(path: Path) -> FrozenSet[str]:
    """The parts named only when no region is (the pattern file's `alone_only`)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(value for value, rules in (spec.get("values") or {}).items() if (rules or {}).get("alone_only"))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ScopeRouter(RuleComponent):
    """Routes a message about a body part outside the five regions to `describe_other_part`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`intent`: where such messages go; `from_intents`: the guesses it replaces (questions keep theirs);
        `patterns`: the pattern file of the parts."""
        return {"intent": "describe_other_part", "patterns": "data/patterns/other_parts.yml",
                "from_intents": ["describe_pain", "request_routine", "report_red_flag", "nlu_fallback", "out_of_scope",
                                 "greet", "affirm", "deny"],
                # what an animal named beside it does not change: the next caller, a goodbye, thanks, privacy
                "keep_for_animals": ["new_caller", "goodbye", "thank", "forget_me"]}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._intent = config["intent"]
        self._from = frozenset(config["from_intents"])
        self._keep_for_animals = frozenset(config["keep_for_animals"])
        path = Path(config["patterns"])
        self._alone_only = alone_only_parts(path if path.is_absolute() else ROOT / path)


    def process(self, messages: List[Message]) -> List[Message]:
        """Route messages about parts outside the regions; drop spread-to parts beside a region."""
        for message in messages:
            entities = message.get(ENTITIES, [])
            names = {e.get("entity") for e in entities}
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            # An animal's back or neck, with no person's pain or sign left beside it (the fact extractor reads an
            # animal's as no person's): the scope answer points to a vet, whatever the question was.
            if "animal" in names and not names & {"body_region", "muscle", "red_flag"} \
                    and current not in self._keep_for_animals:
                route_intent(message, self._intent)
                continue
            if "other_body_part" not in names:
                continue
            if "body_region" in names or "muscle" in names:
                kept = [e for e in entities
                        if not (e.get("entity") == "other_body_part" and e.get("value") in self._alone_only)]
                message.set(ENTITIES, kept, add_to_output=True)
                continue
            parts = {e.get("value") for e in entities if e.get("entity") == "other_body_part"}
            # An arm, a leg or the head alone may be where a neck or back problem is felt ("both my legs r gone
            # numb"): the intake asks where and screens, never the scope answer.
            if "red_flag" not in names and current in self._from and parts - self._alone_only:
                route_intent(message, self._intent)
        return messages
