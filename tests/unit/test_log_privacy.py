"""The log filter (patches/log_privacy.py) and the cap's setting (channels/guard.py), on plain log records."""

from __future__ import annotations

import json
import logging

from channels.guard import DEFAULT_MAX_CHARS, max_message_chars
from patches.log_privacy import REDACTED, RecentTexts, UserTextFilter


def _record(msg: str, *args: object, level: int = logging.ERROR, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("could not parse 'my neck is killing me'")
        except ValueError:
            import sys
            exc_info = sys.exc_info()
    return logging.LogRecord("rasa.test", level, __file__, 1, msg, args, exc_info)


def _filtered(texts: RecentTexts, record: logging.LogRecord) -> str:
    assert UserTextFilter(texts).filter(record)
    return logging.Formatter().format(record)


def test_a_remembered_text_is_taken_out_of_messages_arguments_and_tracebacks() -> None:
    texts = RecentTexts()
    texts.remember("my neck is killing me")
    assert _filtered(texts, _record("handling '%s' failed", "my neck is killing me")) == f"handling '{REDACTED}' failed"
    out = _filtered(texts, _record("failed", exc=True))
    assert "my neck is killing me" not in out and REDACTED in out and "ValueError" in out


def test_json_escaped_forms_and_structlog_fields_are_redacted() -> None:
    texts = RecentTexts()
    texts.remember('it "burns" é')
    line = json.dumps({"event": "rest.message.received.failure", "text": 'it "burns" é', "level": "error"})
    out = json.loads(_filtered(texts, _record(line)))
    assert out == {"event": "rest.message.received.failure", "text": REDACTED, "level": "error"}
    # a field Rasa marks as user text is blanked even when the text was never seen by a channel
    assert json.loads(_filtered(RecentTexts(), _record(json.dumps({"event": "x", "user_text": "secret"}))))[
        "user_text"] == REDACTED


def test_debug_records_other_text_and_short_texts_are_left_alone() -> None:
    texts = RecentTexts()
    texts.remember("my neck is killing me")
    texts.remember("no")
    assert _filtered(texts, _record("no model loaded")) == "no model loaded"
    debug = _record("%s", "my neck is killing me", level=logging.DEBUG)
    assert "my neck is killing me" in _filtered(texts, debug)


def test_old_texts_are_forgotten() -> None:
    texts = RecentTexts(limit=4)
    texts.remember("first message here")
    for i in range(4):
        texts.remember(f"later message {i}")
    assert texts.redact("first message here") == "first message here"
    assert texts.redact("later message 3") == REDACTED


def test_the_cap_comes_from_the_environment() -> None:
    assert max_message_chars({}) == DEFAULT_MAX_CHARS
    assert max_message_chars({"KNOTCARE_MAX_MESSAGE_CHARS": "500"}) == 500
    for bad in ("0", "-3", "lots"):
        assert max_message_chars({"KNOTCARE_MAX_MESSAGE_CHARS": bad}) == DEFAULT_MAX_CHARS


def test_texts_inside_others_and_inside_the_marker_are_replaced_once() -> None:
    texts = RecentTexts()
    for text in ("message", "my message here", "knot"):
        texts.remember(text)
    assert texts.redact("x my message here, a knot and a message y") == (
        f"x {REDACTED}, a {REDACTED} and a {REDACTED} y")


def test_the_oldest_texts_are_forgotten_first() -> None:
    texts = RecentTexts(limit=8)
    for index in range(10):
        texts.remember(f"secret number {index:02d}")
    line = " ".join(f"secret number {index:02d}" for index in range(10))
    # plain texts have one form each (no quotes or escapes to differ), so the last eight are remembered
    assert texts.redact(line) == "secret number 00 secret number 01 " + " ".join([REDACTED] * 8)
