"""What the rule extractor reads in a text, for the reading tests."""

from __future__ import annotations

from typing import Set

from knotcare.nlp.extractor import default_extractor


def affirmed(text: str, entity: str) -> Set[str]:
    """The values of `entity` the text affirms (negated, past and other people's mentions left out)."""
    return {m.value for m in default_extractor().affirmed(text) if m.entity == entity}


def subject(text: str) -> str:
    """Whose pain the text is about: "other" when a cue says so, else "self"."""
    return next((m.value for m in default_extractor().extract(text) if m.entity == "subject"), "self")
