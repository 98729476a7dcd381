"""Every setting the environment gives, in one typed object with its defaults.

`Settings.from_env()` reads them (from `os.environ`, or a mapping a test passes); the modules that need a setting
ask it rather than the environment, so each name, its type and its default are written once, here, and
docs/configuration.md documents the same names (tests/unit/test_settings.py holds the two together). A value
that does not parse (a port that is not a number) is logged and its default used, so a typo never stops the
assistant or, worse, turns a limit off.

Not here: the paths of the checkout (`knotcare.config`, read at import), the keys kept in var/ when unset
(`knotcare.config.local_secret`), and the clinic's and the web page's content overrides, which are tables of
their own (`knotcare.clinic.profile.ENV_OVERRIDES`, `knotcare.webchat.ENV_OVERRIDES`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, fields
from typing import Any, Mapping, Optional

logger = logging.getLogger(__name__)


def _env(name: str, default: Any) -> Any:
    return field(default=default, metadata={"env": name})


@dataclass(frozen=True)
class Settings:
    """The settings, each with the environment variable it comes from (`env_name`) and its default."""

    #: the knowledge base's SQLAlchemy URL; none: a SQLite file in var/
    database_url: Optional[str] = _env("DATABASE_URL", None)
    #: the unprompted check-in after a plan (Slack, Telegram), hours
    check_in_after_hours: float = _env("KNOTCARE_CHECK_IN_AFTER_HOURS", 48.0)
    #: personal rows and conversations older than this go (`knotcare retention`), days
    retention_days: float = _env("KNOTCARE_RETENTION_DAYS", 30.0)
    #: longer messages are not read (every channel), characters
    max_message_chars: int = _env("KNOTCARE_MAX_MESSAGE_CHARS", 2000)
    #: web chat messages per conversation and per client address: count/seconds
    limit_per_conversation: str = _env("KNOTCARE_LIMIT_PER_CONVERSATION", "30/60")
    limit_per_address: str = _env("KNOTCARE_LIMIT_PER_ADDRESS", "300/60")
    #: Redis shared by every instance for the message limits and for Slack/Telegram retries; none: per process
    limits_redis_url: Optional[str] = _env("KNOTCARE_LIMITS_REDIS_URL", None)
    limits_prefix: str = _env("KNOTCARE_LIMITS_PREFIX", "knotcare:limit:")
    dedupe_redis_url: Optional[str] = _env("KNOTCARE_DEDUPE_REDIS_URL", None)
    dedupe_prefix: str = _env("KNOTCARE_DEDUPE_PREFIX", "knotcare:delivery:")
    #: the REST channel's token for callers off this machine; the action server's shared secret with Rasa
    rest_token: str = _env("KNOTCARE_REST_TOKEN", "")
    actions_token: str = _env("KNOTCARE_ACTIONS_TOKEN", "")
    #: where the action server and the web page listen (`knotcare actions`, `knotcare web serve`)
    actions_host: str = _env("ACTIONS_HOST", "127.0.0.1")
    actions_port: int = _env("ACTIONS_PORT", 5055)
    web_host: str = _env("WEB_HOST", "127.0.0.1")
    web_port: int = _env("WEB_PORT", 8080)
    #: where the browser reaches Rasa's socket.io channel (a full URL wins over host and port)
    rasa_host: str = _env("RASA_HOST", "127.0.0.1")
    rasa_port: int = _env("RASA_PORT", 5005)
    socket_url: Optional[str] = _env("KNOTCARE_SOCKET_URL", None)
    #: the staff Slack channel of the front desk's hand-overs
    slack_bot_token: str = _env("KNOTCARE_SLACK_BOT_TOKEN", "")
    slack_channel: str = _env("KNOTCARE_SLACK_CHANNEL", "")
    slack_api_url: str = _env("KNOTCARE_SLACK_API_URL", "https://slack.com/api/")
    slack_signing_secret: str = _env("KNOTCARE_SLACK_SIGNING_SECRET", "")
    #: the workspace id `knotcare migrate-ids` gives Slack chats stored before per-channel ids
    slack_team: Optional[str] = _env("KNOTCARE_SLACK_TEAM", None)
    #: the clinic profile file; none: data/clinic/profile.yml
    clinic_file: Optional[str] = _env("KNOTCARE_CLINIC_FILE", None)
    #: demos and end-to-end tests: the clinic's "now", an ISO datetime with its offset
    clinic_now: Optional[str] = _env("KNOTCARE_CLINIC_NOW", None)

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """The settings in `env` (default: the process's environment); unset or empty values keep their default."""
        env = os.environ if env is None else env
        values = {}
        for spec in fields(cls):
            raw = (env.get(spec.metadata["env"]) or "").strip()
            if raw:
                values[spec.name] = _parsed(spec.metadata["env"], raw, spec.default)
        return cls(**values)

    @staticmethod
    def env_name(setting: str) -> str:
        """The environment variable a setting comes from."""
        return next(f.metadata["env"] for f in fields(Settings) if f.name == setting)


def _parsed(name: str, raw: str, default: Any) -> Any:
    """`raw` as the default's type (a string when the default is None); the default when it does not parse."""
    if not isinstance(default, int | float):
        return raw
    try:
        number = type(default)(raw)
    except ValueError:
        number = 0
    if number <= 0:
        logger.warning("%s=%r is not a positive number: using %r", name, raw, default)
        return default
    return number
