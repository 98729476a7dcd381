"""What the rule extractor reads in how people write: the reviewed case files in tests/unit/readings/.

Each file holds groups of texts found missing by a blind set (its header says which), each pinned in general form
with near misses beside it, and what must hold of each text: the values affirmed for an entity include the case's
value(s), exclude them, or equal them exactly ([]: nothing of that entity), or, for `is`, whose pain it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Set

import pytest
import yaml

from tests.unit.reading import affirmed, subject

READINGS = Path(__file__).parent / "readings"


def _cases() -> List[Any]:
    cases = []
    for path in sorted(READINGS.glob("*.yml")):
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            for number, (text, value) in enumerate(group["cases"], start=1):
                cases.append(pytest.param(group["entity"], group["holds"], text, value,
                                          id=f"{path.stem}:{group['name']}:{number}"))
    return cases


def _values(value: Any) -> Set[str]:
    return set(value) if isinstance(value, list) else {value}


@pytest.mark.parametrize(("entity", "holds", "text", "value"), _cases())
def test_reading(entity: str, holds: str, text: str, value: Any) -> None:
    if holds == "is":
        assert subject(text) == value
        return
    read = affirmed(text, entity)
    if holds == "includes":
        assert _values(value) <= read
    elif holds == "excludes":
        assert not _values(value) & read
    elif holds == "equals":
        assert read == _values(value)
    else:
        raise AssertionError(f"unknown holds: {holds!r}")


def test_every_group_says_what_must_hold() -> None:
    """A case file with a typo in `holds` or an empty group fails here, not silently."""
    for path in READINGS.glob("*.yml"):
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            assert group["holds"] in ("includes", "excludes", "equals", "is") and group["cases"], (path, group["name"])
