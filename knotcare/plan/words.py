"""The plan's sentences, from the reviewed messages (data/kb/messages_plans.yml): none is written in the code."""

from __future__ import annotations

from knotcare.kb.seed import words


def said(key: str, **values: object) -> str:
    """The reviewed message `key`, its `{name}` placeholders filled in."""
    text = words()[key]
    return text.format(**values) if values else text
