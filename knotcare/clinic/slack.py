"""The clinic's staff Slack channel: a message per handoff ticket, with a Close button.

Through slack_sdk's AsyncWebClient; `KNOTCARE_SLACK_API_URL` points it at
another Slack Web API (the tests' fake one on loopback).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from knotcare.clinic.tickets import Ticket, shown, summary_lines
from knotcare.settings import Settings

logger = logging.getLogger(__name__)

CLOSE_ACTION_ID = "close_ticket"


@dataclass(frozen=True)
class SlackSettings:
    """Where staff messages go. No token or no channel: tickets are kept, nothing is sent."""

    token: str = ""
    channel: str = ""
    api_url: str = "https://slack.com/api/"
    signing_secret: str = ""

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "SlackSettings":
        """Read KNOTCARE_SLACK_BOT_TOKEN, _CHANNEL, _API_URL and _SIGNING_SECRET."""
        settings = Settings.from_env(environ)
        api = settings.slack_api_url
        return cls(settings.slack_bot_token, settings.slack_channel, api if api.endswith("/") else api + "/",
                   settings.slack_signing_secret)

    @property
    def enabled(self) -> bool:
        """True when messages can be sent."""
        return bool(self.token and self.channel)

    def client(self) -> AsyncWebClient:
        """A Slack Web API client for these settings."""
        return AsyncWebClient(token=self.token, base_url=self.api_url, timeout=10)


def escaped(text: str) -> str:
    """Text for a Slack mrkdwn field: &, < and > escaped, so no value can mention, link or format."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ticket_blocks(ticket: Ticket, clinic_name: str) -> List[Dict[str, Any]]:
    """Block Kit for a ticket: what happened, the summary, and a Close button (or who closed it)."""
    why = "asked to talk to a person" if ticket.reason == "asked" else "was not understood twice in a row"
    # No conversation link in Slack: the link holds the channel's sender id, which
    # on Slack or Telegram is a real account. Staff open it with `knotcare tickets show`.
    blocks: List[Dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text":
                                     f"*Handoff ticket #{ticket.id}* ({escaped(clinic_name)}): someone {why}."}},
        {"type": "section", "text": {"type": "mrkdwn", "text": escaped("\n".join(summary_lines(ticket.summary)))}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"Conversation: `knotcare tickets show {ticket.id}` · For the records system (FHIR R4): "
            f"`knotcare tickets export {ticket.id} --format fhir`")}]},
    ]
    if ticket.status == "open":
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "action_id": CLOSE_ACTION_ID, "value": str(ticket.id), "style": "primary",
             "text": {"type": "plain_text", "text": "Close"}}]})
    else:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"Closed by {escaped(shown(ticket.closed_by or 'staff'))}."}]})
    return blocks


def ticket_text(ticket: Ticket) -> str:
    """The plain-text fallback of the message (notifications, screen readers)."""
    return f"Handoff ticket #{ticket.id} ({ticket.status})"


@dataclass(frozen=True)
class Posted:
    """What became of a staff message: its ts when Slack took it, else Slack's error code (None: not configured)."""

    ts: Optional[str] = None
    error: Optional[str] = None


def _error_code(error: Exception) -> str:
    """Slack's own error code ("not_in_channel", "invalid_auth", ...) or what kind of failure it was."""
    if isinstance(error, SlackApiError):
        return str((error.response or {}).get("error") or "refused")[:60]
    return "unreachable" if isinstance(error, OSError) else "invalid_request"


async def post_ticket(settings: SlackSettings, ticket: Ticket, clinic_name: str) -> Posted:
    """Post the ticket to the staff channel (never raises: the ticket is kept whatever Slack says)."""
    if not settings.enabled:
        logger.info("handoff ticket %s: no Slack channel configured", ticket.id)
        return Posted()
    try:
        response = await settings.client().chat_postMessage(
            channel=settings.channel, text=ticket_text(ticket), blocks=ticket_blocks(ticket, clinic_name))
    except (SlackApiError, OSError, ValueError) as error:
        code = _error_code(error)
        # Staff must learn of it some other way: an error for the operator, and the ticket says it too.
        logger.error("handoff ticket %s: Slack did not take the staff message (%s); it is listed by "
                     "`knotcare tickets list` and sent again by `knotcare tickets notify`", ticket.id, code)
        return Posted(error=code)
    return Posted(ts=str(response.get("ts") or "") or None)


async def delete_ticket_messages(settings: SlackSettings, tickets: Sequence[Ticket]) -> int:
    """Delete the staff messages of these tickets (a person asked to be forgotten); how many went."""
    deleted = 0
    for ticket in tickets:
        if not (settings.token and ticket.slack_channel and ticket.slack_ts):
            continue
        try:
            await settings.client().chat_delete(channel=ticket.slack_channel, ts=ticket.slack_ts)
            deleted += 1
        except (SlackApiError, OSError, ValueError) as error:
            logger.error("forget me: the staff message of ticket %s could not be deleted (%s): delete it in Slack",
                         ticket.id, _error_code(error))
    return deleted


async def update_ticket_message(settings: SlackSettings, ticket: Ticket, clinic_name: str) -> bool:
    """Replace the ticket's Slack message (after it was closed); False if it could not."""
    if not (settings.token and ticket.slack_channel and ticket.slack_ts):
        return False
    try:
        await settings.client().chat_update(channel=ticket.slack_channel, ts=ticket.slack_ts,
                                            text=ticket_text(ticket), blocks=ticket_blocks(ticket, clinic_name))
    except (SlackApiError, OSError, ValueError) as error:
        logger.warning("handoff ticket %s: Slack update failed: %s", ticket.id, error)
        return False
    return True
