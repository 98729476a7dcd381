"""Every sentence of tests/triage/red_flag_sentences.yml: affirmed flags caught, the rest left alone.

The set is written by us: affirmed, negated, someone else's, hypothetical, misspelt
and ordinary knot talk. Missing an affirmed emergency or urgent flag fails CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from tests.unit.reading import affirmed

SENTENCES: List[Dict] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "triage" / "red_flag_sentences.yml").read_text(encoding="utf-8")
)["sentences"]



def test_the_set_is_big_and_varied() -> None:
    kinds = {s.get("kind") for s in SENTENCES}
    assert len(SENTENCES) >= 150
    assert {"affirmed", "negated", "other_person", "hypothetical", "ordinary"} <= kinds


@pytest.mark.parametrize("item", SENTENCES, ids=lambda s: s["text"][:60])
def test_sentence(item: Dict) -> None:
    assert affirmed(item["text"], "red_flag") == set(item.get("red_flags") or ())
    assert affirmed(item["text"], "condition") == set(item.get("conditions") or ())
