"""Rasa entity extractor over Knotcare's spaCy rule extractor (`knotcare.nlp`)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import patches
from components.rule_component import RuleComponent, conversation_says
from knotcare.config import ROOT
from knotcare.nlp import KNOWN_CONDITIONS, PASSING_SIGNS, WRITER_IN_PAIN
from knotcare.nlp.extractor import FactExtractor, default_extractor


def _writer_in_pain(message: Message) -> bool:
    """The message comes in a conversation about the writer's own pain."""
    return conversation_says(message, WRITER_IN_PAIN) is True


def _known_conditions(message: Message) -> FrozenSet[str]:
    """The conditions the conversation already holds for its person."""
    known = conversation_says(message, KNOWN_CONDITIONS)
    return frozenset(str(code) for code in known) if isinstance(known, list) else frozenset()


def _passing_signs(message: Message) -> FrozenSet[Tuple[str, str]]:
    """The red flags and conditions someone else was told to have in passing, earlier in the conversation, as
    (entity, code)."""
    signs = conversation_says(message, PASSING_SIGNS)
    if not isinstance(signs, list):
        return frozenset()
    return frozenset((str(pair[0]), str(pair[1])) for pair in signs
                     if isinstance(pair, list | tuple) and len(pair) == 2)


def _folder(config: Dict[str, Any]) -> Path:
    """The pattern folder; a relative path is taken from the repository root, so models stay portable."""
    folder = Path(config.get("patterns") or "data/patterns")
    return folder if folder.is_absolute() else ROOT / folder


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class KnotcareFactExtractor(RuleComponent, EntityExtractorMixin):
    """Adds entities with canonical values: regions, muscles, pain, duration, severity, red flags, conditions.

    Only affirmed mentions become entities: "no numbness" or "my dad had cancer"
    add nothing. The patterns are reviewed data under `data/patterns/`.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`patterns`: the folder of pattern files (relative paths start at the repository root)."""
        return {"patterns": "data/patterns"}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Retrain (and so re-evaluate) when a pattern file changes, not only the config."""
        folder = _folder(config)
        sha = hashlib.sha256()
        for path in sorted(folder.glob("*.yml")):
            sha.update(path.name.encode())
            sha.update(path.read_bytes())
        return sha.hexdigest()

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._extractor: FactExtractor = default_extractor(str(_folder(config)))
        # Every Rasa process that runs the model gets the process-wide adjustments, whichever channels it serves:
        # among them the one that tells this component whether the writer is in pain (patches/).
        patches.install()


    def train(self, training_data: TrainingData) -> Resource:  # pragma: no cover - not trainable
        """Nothing to learn: the patterns are reviewed rules."""
        raise NotImplementedError

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data keeps its hand annotations; nothing to add."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the affirmed mentions of each message as entities."""
        for message in messages:
            text = message.get(TEXT) or ""
            doc = message.get(SPACY_DOCS[TEXT])
            entities = [
                {
                    "entity": m.entity, "value": m.value, "start": m.start, "end": m.end,
                    "confidence_entity": 1.0, "extractor": self.name,
                }
                for m in self._extractor.affirmed(text, doc, writer_in_pain=_writer_in_pain(message),
                                                  known=_known_conditions(message), passing=_passing_signs(message))
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
