"""Every sentence the assistant says has one reviewed source (data/kb/messages*.yml): each key the code asks for
is defined there, and each key defined there is said somewhere (by name in the code, the domain or the data, or
built at run time from a value listed here)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, Set

import yaml

from knotcare.config import ROOT
from knotcare.content import FOR_OTHER, PLACES, REGIONS
from knotcare.domain_files import SAFETY_NET_LEVELS
from knotcare.kb.seed import load_messages

CODE = ("actions", "channels", "knotcare", "policies", "stores", "components", "patches")


def _python_files() -> Iterator[Path]:
    for folder in CODE:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _runtime_keys() -> Set[str]:
    """Keys built from a value at run time, each enumerated: a body part outside the five regions (actions/scope.py,
    `part_{value}`), where a guided step is done (knotcare.plan.new_place, `guided_place_{place}`, and its drawing's
    `picture_position_{place}_alt`), the safety
    net's answers (knotcare.domain_files, `safety_net_{level}`), and the plan's and the progress summary's words per
    region, pain quality and trend (knotcare.plan.builder, knotcare.progress.followup)."""
    parts, qualities = (yaml.safe_load((ROOT / "data" / "patterns" / name).read_text(encoding="utf-8"))["values"]
                        for name in ("other_parts.yml", "pain_qualities.yml"))
    return ({f"part_{value}" for value in parts}
            | {f"region_words_{region}" for region in (*REGIONS, "back", "unknown")}
            | {f"quality_words_{quality}" for quality in qualities}
            | {f"progress_trend_{trend}" for trend in ("lower", "higher", "same")}
            | {f"guided_place_{place}" for place in PLACES if place != "anywhere"}
            | {f"picture_position_{place}_alt" for place in PLACES if place != "anywhere"}
            | {f"safety_net_{level}" for level in SAFETY_NET_LEVELS})


def _asked_for() -> Set[str]:
    """Literal keys in the code's direct look-ups: say_key(dispatcher, "key"), messages.get("key"),
    messages.for_subject("key", ...), words()["key"], and the plan's said("key", ...)."""
    keys: Set[str] = set()
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                on_messages = isinstance(func, ast.Attribute) and getattr(func.value, "attr", "") == "messages"
                args = node.args[1:2] if name == "say_key" else node.args[:1] if name == "said" or (
                    on_messages and name in ("get", "for_subject")) else []
                keys.update(a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str))
            if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", "") == "words" and isinstance(node.slice, ast.Constant)):
                keys.add(node.slice.value)
    return keys


def _named_anywhere() -> Set[str]:
    """Every word-like string in the code (string literals), the domain, the rules and stories, the other data files
    and the chat page."""
    found: Set[str] = set()
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    others = [*ROOT.joinpath("domain").rglob("*.yml"), *ROOT.joinpath("data").rglob("*.yml"),
              *ROOT.joinpath("web").glob("*.js")]
    for path in others:
        if path.parent.name == "kb" and path.name.startswith("messages"):
            continue
        found.update(re.findall(r"[a-z][a-z0-9_]+", path.read_text(encoding="utf-8")))
    return found


def test_every_key_the_code_asks_for_is_defined() -> None:
    defined = {m.key for m in load_messages()}
    asked = _asked_for()
    assert len(asked) > 20, "the scan found no look-up"
    assert asked - defined == set()


def test_every_key_defined_is_said_somewhere() -> None:
    defined = {m.key for m in load_messages() if not m.key.endswith(FOR_OTHER)}
    unused = defined - _named_anywhere() - _runtime_keys()
    assert unused == set(), f"defined in data/kb/messages*.yml but never said: {sorted(unused)}"


def test_the_keys_built_at_run_time_are_defined() -> None:
    assert _runtime_keys() - {m.key for m in load_messages()} == set()
