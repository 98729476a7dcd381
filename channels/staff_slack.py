"""The clinic staff's Slack buttons: a signed endpoint that closes handoff tickets.

Slack POSTs Block Kit interactions (the "Close" button of knotcare.clinic.slack's
messages) to `/webhooks/staff_slack/interactions`. Each request is checked
against the app's signing secret (HMAC of `v0:{timestamp}:{body}`, at most five
minutes old) with slack_sdk's SignatureVerifier before anything is read from it.
This channel never talks to the assistant: it only changes tickets.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.signature import SignatureVerifier

from knotcare.clinic.profile import default_profile
from knotcare.clinic.slack import CLOSE_ACTION_ID, SlackSettings, update_ticket_message
from knotcare.clinic.tickets import Ticket, TicketRepository
from knotcare.kb import KnowledgeBase, get_knowledge_base
from knotcare.settings import Settings

logger = logging.getLogger(__name__)


class StaffSlackInput(InputChannel):
    """Slack interactivity for staff: the Close button on handoff tickets."""

    @classmethod
    def name(cls) -> Text:
        """The channel's name: its webhooks live under /webhooks/staff_slack/."""
        return "staff_slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "StaffSlackInput":
        """The signing secret from credentials.yml, else $KNOTCARE_SLACK_SIGNING_SECRET (keep it out of files)."""
        secret = (credentials or {}).get("signing_secret") or Settings.from_env().slack_signing_secret
        return cls(secret)

    def __init__(self, signing_secret: Text) -> None:
        self.signing_secret = signing_secret

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The health check and the interactions endpoint."""
        hook = Blueprint("staff_slack_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/interactions", methods=["POST"])
        async def interactions(request: Request) -> HTTPResponse:
            body = request.body.decode("utf-8", errors="replace")
            # No secret configured: refuse everything rather than trust anyone.
            if not self.signing_secret or not SignatureVerifier(self.signing_secret).is_valid(
                body, request.headers.get("X-Slack-Request-Timestamp", ""),
                request.headers.get("X-Slack-Signature", "")):
                return response.text("invalid signature", status=401)
            try:
                payload = json.loads(parse_qs(body).get("payload", [""])[0])
            except ValueError:
                return response.text("expected a form field 'payload' with JSON", status=400)
            return response.json(await close_from_payload(payload))

        return hook


def _close(kb: KnowledgeBase, ticket_id: int, by: str) -> Optional[Ticket]:
    """Close one ticket in its own unit of work; None when there is no such open ticket."""
    with kb.unit_of_work() as uow:
        ticket = TicketRepository(uow.session).close(ticket_id, by, dt.datetime.now(dt.timezone.utc))
        uow.commit()
    return ticket


async def close_from_payload(payload: Dict[str, Any]) -> Dict[str, Any]:
    """Close the tickets named by Close buttons in a block_actions payload and update their messages."""
    if payload.get("type") != "block_actions":
        return {"closed": []}
    user = payload.get("user") or {}
    by = "slack:" + str(user.get("username") or user.get("name") or user.get("id") or "unknown")
    kb = get_knowledge_base()
    # The knowledge base's calls block: in a worker thread, so a slow database holds only this request.
    await asyncio.to_thread(kb.create_schema)
    settings = SlackSettings.from_env()
    closed = []
    for action in payload.get("actions") or []:
        if action.get("action_id") != CLOSE_ACTION_ID or not str(action.get("value", "")).isdigit():
            continue
        ticket = await asyncio.to_thread(_close, kb, int(action["value"]), by)
        if ticket is None:
            continue
        logger.info("handoff ticket %s closed from Slack", ticket.id)
        closed.append(ticket.id)
        await update_ticket_message(settings, ticket, default_profile().name)
    return {"closed": closed}
