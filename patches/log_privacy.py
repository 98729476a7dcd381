"""Keep what people write out of the logs at INFO and above, whatever logged it.

Rasa 3.6.21 puts message text into some of its own log lines (see README, "Bad input"). Rather than
chase each call, one filter sits on every log handler of the Rasa process and rewrites a record before
it is written:
- the text of every message our channels received recently (`remember()`, called by the length cap in
  `channels.guard`, which sees every message) and every `text`/`message` in an HTTP API request body is
  replaced by `[message text]` wherever it appears: the message, its arguments, a traceback;
- Rasa's structured (JSON) log lines have the fields that Rasa itself treats as user data blanked;
- warnings (Rasa prints them to stderr, not through logging) get the same treatment, and Rasa's warning
  about a typed `/intent{...}` payload that does not parse, which quotes pieces of it, is replaced whole.

DEBUG records are left alone: debug logging is for a developer's machine, never for production.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import warnings
from collections import OrderedDict
from typing import Any, Iterable, Optional

REDACTED = "[message text]"
# Rasa's structlog fields that carry what a person wrote (rasa.utils.log_utils._anonymizer lists these).
USER_TEXT_FIELDS = frozenset({"text", "user_text", "message", "user_message", "parse_data_text", "response_text",
                              "tracker_latest_message", "json_message", "rasa_event", "rasa_events",
                              "prediction_events", "slot_values", "slot_candidates", "prefilled_slots",
                              "parse_data_entities", "entity", "token_text"})
# Shorter texts ("hi", "no") are not worth the damage their replacement would do to every other log line.
MIN_CHARS = 3
# Forms of texts kept (each text in up to four: as sent, stripped, JSON-escaped, repr-escaped).
MAX_REMEMBERED = 2000
# Rasa's warning when a typed "/intent{...}" payload does not parse: it quotes the payload, then pieces of it.
PAYLOAD_WARNING = "Failed to parse arguments in line"


class RecentTexts:
    """The last `limit` message texts seen, to find them again in log records."""

    def __init__(self, limit: int = MAX_REMEMBERED) -> None:
        self.limit = limit
        self._texts: "OrderedDict[str, None]" = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, text: Any) -> None:
        """Note a text a person sent (other types and very short texts are ignored)."""
        if not isinstance(text, str) or len(text.strip()) < MIN_CHARS:
            return
        with self._lock:
            forms = {text, text.strip(), json.dumps(text)[1:-1], repr(text)[1:-1]}
            for form in forms:
                self._texts[form] = None
                self._texts.move_to_end(form)
            while len(self._texts) > self.limit:
                self._texts.popitem(last=False)

    def redact(self, value: str) -> str:
        """`value` with every remembered text replaced.

        A substring test per remembered text (0.15 ms on a log line with 600 texts remembered), not one
        regular expression of them all: that was recompiled after every new message, 0.22 s with 600 texts,
        on the event loop, whenever a log record followed.
        """
        with self._lock:
            texts = list(self._texts)
        found = [t for t in texts if t in value]
        if not found:
            return value
        # One pass over the few found (a replacement is never searched again), longest first, so a text
        # inside a longer one does not split it.
        ordered = sorted(found, key=len, reverse=True)
        return re.sub("|".join(re.escape(t) for t in ordered), REDACTED, value)


def _blank_fields(message: str) -> str:
    """A structlog JSON line with its user-text fields blanked; any other message unchanged."""
    if not message.startswith("{"):
        return message
    try:
        fields = json.loads(message)
    except ValueError:
        return message
    if not isinstance(fields, dict) or not USER_TEXT_FIELDS & fields.keys():
        return message
    return json.dumps({k: (REDACTED if k in USER_TEXT_FIELDS else v) for k, v in fields.items()})


class UserTextFilter(logging.Filter):
    """Rewrites INFO-and-above records so that no remembered message text, and no user-text field, is left."""

    def __init__(self, texts: RecentTexts) -> None:
        super().__init__("knotcare.user_text")
        self.texts = texts
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record whose arguments do not format: leave it to the handler
            return True
        cleaned = self.texts.redact(_blank_fields(message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.texts.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.texts.redact(record.stack_info)
        return True


TEXTS = RecentTexts()
FILTER = UserTextFilter(TEXTS)


def remember(text: Any) -> None:
    """Note a text a person sent, so that the log filter takes it out of any log line."""
    TEXTS.remember(text)


def remember_body(body: Any) -> None:
    """Note the `text`/`message` strings of a JSON request body (the HTTP API's messages and events)."""
    items: Iterable[Any] = body if isinstance(body, list) else [body]
    for item in items:
        if isinstance(item, dict):
            for key in ("text", "message"):
                remember(item.get(key))


def redact_warning(message: str) -> str:
    """A warning's text without message text (Rasa's `raise_warning` prints to stderr, not through logging)."""
    if PAYLOAD_WARNING in message:
        # Rasa quotes the line and then pieces of it (the intent, the arguments it could not read).
        return f"{PAYLOAD_WARNING} {REDACTED}: Rasa continues without the arguments it could not read."
    return TEXTS.redact(message)


def _show_warning(message: Any, category: type, filename: str, lineno: int, file: Any = None,
                  line: Optional[str] = None) -> None:
    _RASA_SHOW_WARNING(redact_warning(str(message)), category, filename, lineno, file, line)


_RASA_SHOW_WARNING = warnings.showwarning


def install() -> None:
    """Put the filter on every handler of every logger there is now, and on warnings (idempotent)."""
    global _RASA_SHOW_WARNING
    if warnings.showwarning is not _show_warning:
        _RASA_SHOW_WARNING = warnings.showwarning
        warnings.showwarning = _show_warning
    loggers = [logging.getLogger()] + [logger for logger in logging.Logger.manager.loggerDict.values()
                                        if isinstance(logger, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            if FILTER not in handler.filters:
                handler.addFilter(FILTER)
