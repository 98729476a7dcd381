"""Typed button payloads (`/intent{"entity": "value"}`) limited to the values our own buttons can carry.

Rasa reads a message that starts with `/` as an intent with the entities of its JSON, whatever they are, so a
person could type `/describe_pain{"condition": "<!channel> <https://evil|Open record>"}` and have that text
stored as a fact and shown to staff. Only canonical values pass: the values of the reviewed pattern files
(`data/patterns/*.yml`, by entity), the tool ids (`data/kb/tools.yml`), the domain's categorical slots, and
short quantities ("3 weeks", "7/10", "10"). Anything else is dropped from the payload; the intent stays.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Optional

import yaml

from knotcare.config import DATA_DIR, ROOT

PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z_][\w-]{0,63})(?P<entities>\{.*\})?$", re.S)
#: Entities whose values are amounts, as the buttons and the quantity reader spell them.
QUANTITY = re.compile(r"^\d{1,3}(\.\d{1,2})?(/10| ?(seconds?|minutes?|mins?|hours?|days?|weeks?|months?|years?))?$")
QUANTITY_ENTITIES = frozenset({"duration", "minutes", "severity", "age"})


def _yaml(path: Path) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=4)
def vocabulary(data_dir: Path = DATA_DIR, domain_dir: Path = ROOT / "domain") -> Dict[str, FrozenSet[str]]:
    """Entity name → the canonical values a payload may carry."""
    values: Dict[str, set] = {}
    for path in sorted((data_dir / "patterns").glob("*.yml")):
        content = _yaml(path)
        if content.get("entity") and isinstance(content.get("values"), dict):
            values.setdefault(content["entity"], set()).update(map(str, content["values"]))
    values.setdefault("tool", set()).update(str(tool["id"]) for tool in _yaml(data_dir / "kb" / "tools.yml")["tools"])
    for path in sorted(domain_dir.glob("*.yml")):
        for name, slot in (_yaml(path).get("slots") or {}).items():
            if slot.get("type") == "categorical":
                values.setdefault(name, set()).update(map(str, slot.get("values") or []))
    return {entity: frozenset(found) for entity, found in values.items()}


def _allowed(entity: str, value: Any, known: Dict[str, FrozenSet[str]]) -> bool:
    if isinstance(value, list):
        return bool(value) and len(value) <= 10 and all(_allowed(entity, item, known) for item in value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return False
    if entity in QUANTITY_ENTITIES:
        return bool(QUANTITY.match(str(value).strip().lower()))
    return str(value) in known.get(entity, frozenset())


def checked(text: str, known: Optional[Dict[str, FrozenSet[str]]] = None) -> str:
    """The message with a typed payload's non-canonical entities removed (other messages unchanged)."""
    match = PAYLOAD.match(text.strip()) if isinstance(text, str) else None
    if match is None or match.group("entities") is None:
        return text
    intent = f"/{match.group('intent')}"
    try:
        entities = json.loads(match.group("entities"))
    except (ValueError, RecursionError):
        return intent
    if not isinstance(entities, dict):
        return intent
    known = vocabulary() if known is None else known
    kept = {name: value for name, value in entities.items() if _allowed(str(name), value, known)}
    return intent + (json.dumps(kept, ensure_ascii=False, separators=(",", ":")) if kept else "")
