"""Rasa domain files written from the reviewed content, so that the answers the model gives by itself say what
the reviewed files say (`knotcare domain write`; tests/unit/test_domain_files.py fails when a file differs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Mapping

import yaml

from knotcare.config import ROOT
from knotcare.content import FOR_OTHER

#: The safety net's answers (policies/safety_net.py), from the messages `safety_net_<level>`.
SAFETY_NET_LEVELS = ("emergency", "urgent", "see_clinician", "unavailable")
SAFETY_NET_FILE = ROOT / "domain" / "safety.yml"

_HEADER = """\
# Written by `knotcare domain write` from data/kb/messages.yml (the `safety_net_*` messages): change them there.
# Answers the model gives by itself when the action server cannot be reached (policies/safety_net.py): the
# triage engine runs inside the model on the red flags NLU read, and picks one of these. About someone else (slot
# `subject` is `other`, read by NLU without the action server), the variant worded for the person writing for
# them is chosen (Rasa's conditional response variations).
"""


def safety_net_responses(texts: Mapping[str, str]) -> Dict[str, List[Dict[str, Any]]]:
    """`utter_safety_net_<level>` for each level: the variant for someone else first (Rasa tries conditional
    variations before the plain one), then the plain one."""
    responses: Dict[str, List[Dict[str, Any]]] = {}
    for level in SAFETY_NET_LEVELS:
        key = f"safety_net_{level}"
        variants: List[Dict[str, Any]] = []
        if key + FOR_OTHER in texts:
            variants.append({"condition": [{"type": "slot", "name": "subject", "value": "other"}],
                             "text": texts[key + FOR_OTHER]})
        variants.append({"text": texts[key]})
        responses[f"utter_{key}"] = variants
    return responses


def safety_net_domain(texts: Mapping[str, str]) -> str:
    """The text of domain/safety.yml."""
    body = yaml.safe_dump({"version": "3.1", "responses": safety_net_responses(texts)}, sort_keys=False,
                          allow_unicode=True, width=115)
    return _HEADER + body


def write_safety_net(texts: Mapping[str, str], path: Path = SAFETY_NET_FILE) -> bool:
    """Write domain/safety.yml; True when it changed."""
    text = safety_net_domain(texts)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
