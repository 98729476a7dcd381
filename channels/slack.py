"""Rasa's Slack connector with a configurable Web API address, Block Kit buttons and retry de-duplication.

Use it in credentials.yml as `channels.slack.SlackInput` (the webhook stays `/webhooks/slack/webhook`).
Rasa's own connector already checks the signing secret and the five-minute replay window; it ignores
only retries whose reason is `http_timeout`, so a retry for any other reason (`http_error`,
`connection_failed`, ...) would be answered twice. This one remembers Slack's `event_id` (and the
`trigger_id` of a button press) and answers a repeat with 200 and no reply. A conversation's id is
`slack:<team>:<user>` (`knotcare.identity`), so no other channel, and no other workspace, can name it.
"""

from __future__ import annotations

import json
import logging
import re
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot as RasaSlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from channels.dedupe import Deliveries
from channels.guard import LengthCapped, OnNewMessage, check_json_body
from channels.pictures import Upload, UploadsPictures
from knotcare.identity import SLACK, local_part, slack_id

logger = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
# Block Kit limits: 25 elements in an actions block, 75 characters in a button's text.
MAX_BUTTONS = 25
MAX_BUTTON_TITLE = 75
BOLD = re.compile(r"\*\*(.+?)\*\*")


def to_mrkdwn(text: Text) -> Text:
    """Our Markdown's **bold** as Slack's *bold*, with &, < and > escaped as Slack asks."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return BOLD.sub(r"*\1*", escaped)


class SlackBot(UploadsPictures, RasaSlackBot):
    """Rasa's Slack output, talking to `api_url` (Slack's Web API unless a test points it elsewhere)."""

    def __init__(self, token: Text, slack_channel: Optional[Text] = None, thread_id: Optional[Text] = None,
                 proxy: Optional[Text] = None, api_url: Text = SLACK_API_URL) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url.rstrip("/") + "/")

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Rasa's dispatch of one reply; a conversation id `slack:<team>:<user>` is posted to the user."""
        await super().send_response(local_part(recipient_id, SLACK), message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Rasa's text message, with **bold** turned into Slack's *bold*."""
        await super().send_text_message(recipient_id, to_mrkdwn(text), **kwargs)

    async def upload_picture(self, recipient_id: Text, upload: Upload) -> None:
        """A file uploaded into the conversation (files.getUploadURLExternal, the upload,
        files.completeUploadExternal), with its text alternative: never a link to a public address."""
        channel = self.slack_channel or recipient_id
        if channel[:1] in ("U", "W"):  # a person, not a conversation: files are shared into their DM with us
            channel = (await self.client.conversations_open(users=channel))["channel"]["id"]
        await self.client.files_upload_v2(content=upload.png, filename="knotcare.png", title=upload.caption[:250],
                                          alt_txt=upload.alt[:1000], channel=channel,
                                          initial_comment=to_mrkdwn(upload.caption) if upload.caption else None)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        """A section with the text and an actions block of buttons (Rasa's own drops all buttons above 5)."""
        if len(buttons) > MAX_BUTTONS:
            logger.warning("Slack shows at most %d buttons; the rest are left off", MAX_BUTTONS)
        elements = [
            {"type": "button", "text": {"type": "plain_text", "text": str(b["title"])[:MAX_BUTTON_TITLE]},
             "value": b["payload"]}
            for b in buttons[:MAX_BUTTONS]
        ]
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": to_mrkdwn(text)}},
                  {"type": "actions", "elements": elements}]
        await self._post_message(channel=self.slack_channel or recipient_id, as_user=True, text=text, blocks=blocks)


class SlackInput(LengthCapped, RasaSlackInput):
    """Rasa's Slack input with `slack_api_url` from credentials, de-duplication of Slack's retries, the length
    cap, and 400 for a JSON body that is not an object (Rasa's calls `.get` on it: a 500)."""

    @classmethod
    def name(cls) -> Text:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.api_url = (credentials or {}).get("slack_api_url") or SLACK_API_URL
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = SLACK_API_URL
        self.seen = Deliveries("slack")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's Slack webhook (capped by LengthCapped) behind a check of JSON bodies."""
        blueprint = super().blueprint(on_new_message)
        check_json_body(blueprint, {"event": (dict,)}, content_type="application/json")
        return blueprint

    @staticmethod
    def delivery_id(request: Request) -> Optional[Text]:
        """What identifies one delivery across Slack's retries: the event id, or a button press's trigger id."""
        try:
            if request.headers.get("content-type") == "application/json":
                return request.json.get("event_id")
            payload = json.loads(request.form["payload"][0])
            return payload.get("trigger_id") or payload.get("actions", [{}])[0].get("action_ts")
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            return None

    async def process_message(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text], metadata: Optional[Dict]) -> Any:
        """Handle a signed message once; a repeat of a delivery already handled gets 200 and no answer."""
        delivery = self.delivery_id(request)
        if not await self.seen.first_time(delivery):
            logger.info("Slack delivery %s seen before (retry #%s): not answered again", delivery,
                        request.headers.get(self.retry_num_header))
            return response.text("", status=HTTPStatus.OK, headers={"X-Slack-No-Retry": "1"})
        conversation = slack_id(self.team_id(request), sender_id) if sender_id else sender_id
        return await super().process_message(request, on_new_message, text, conversation, metadata)

    @staticmethod
    def team_id(request: Request) -> Optional[Text]:
        """The workspace a signed request comes from: `team_id` of an event, `team.id` of a button press."""
        try:
            if request.headers.get("content-type") == "application/json":
                return request.json.get("team_id")
            return (json.loads(request.form["payload"][0]).get("team") or {}).get("id")
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            return None

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        """Our SlackBot, pointed at the configured Web API."""
        return SlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)
