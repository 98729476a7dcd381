"""Where actions get the knowledge base and the extractor: one place, replaceable in tests."""

from __future__ import annotations

from typing import Optional

from knotcare.kb import KnowledgeBase, get_knowledge_base
from knotcare.kb.seed import ensure_seeded

_kb: Optional[KnowledgeBase] = None


def knowledge_base() -> KnowledgeBase:
    """The process's knowledge base, seeded on first use if empty or out of date."""
    global _kb
    if _kb is None:
        kb = get_knowledge_base()
        ensure_seeded(kb)
        _kb = kb
    return _kb


def use_knowledge_base(kb: Optional[KnowledgeBase]) -> None:
    """Point the actions at another knowledge base (tests), or back to the default with None."""
    global _kb
    _kb = kb
