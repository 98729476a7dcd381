"""A hardened Telegram connector: Rasa 3.6.21's, made safe to expose and testable offline.

Use it in credentials.yml as `channels.telegram.TelegramInput` (webhook `/webhooks/telegram/webhook`).
What it changes from Rasa's own:
- it sets the webhook with a secret token (`setWebhook secret_token`) after the server has started, in
  the background and retried, so Rasa starts without reaching Telegram (Rasa's blocks start-up on it);
- every update must carry that token in `X-Telegram-Bot-Api-Secret-Token`, else 403 (Rasa's checks nothing
  and calls `getMe` on every update instead, which proves nothing about the caller);
- the Bot API address comes from configuration (`api_url`), so tests and local Bot API servers work;
- buttons are inline keyboards (one button per row when they would not fit on one line), a button
  press is answered (`answerCallbackQuery`, so the client stops its spinner) and its keyboard removed;
- a redelivered update (same `update_id`) is not answered twice, and errors give 200, not a retry storm;
- `/start` (the first thing every Telegram user sends) becomes the greeting;
- a conversation's id is `telegram:<chat id>` (`knotcare.identity`), so no other channel can name it;
- a message over the length cap is answered with a request for a shorter one (`channels.guard`);
- a picture (the body map, a routine's, the progress chart) is uploaded with `sendPhoto`, its caption
  carrying the text alternative: never sent as a link (`channels.pictures`).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import io
import json
import logging
import re
import warnings
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.dedupe import Deliveries
from channels.guard import capped
from channels.pictures import Upload, UploadsPictures
from knotcare.identity import TELEGRAM, local_part, telegram_id

logger = logging.getLogger(__name__)

TELEGRAM_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's rule for secret_token: 1-256 characters from A-Z, a-z, 0-9, _ and -.
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Telegram refuses a button whose callback_data is longer than 64 bytes.
MAX_CALLBACK_DATA = 64
UPDATES = ["message", "edited_message", "callback_query"]
BOLD = re.compile(r"\*\*(.+?)\*\*")


def to_html(text: Text) -> Text:
    """Our Markdown's **bold** as Telegram HTML; everything else escaped, so nothing else is markup."""
    return BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


class TelegramOutput(UploadsPictures, RasaTelegramOutput):
    """Rasa's Telegram output on a configurable Bot API server, with readable inline keyboards."""

    def __init__(self, access_token: Text, api_url: Text = TELEGRAM_API_URL) -> None:
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url))

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Rasa's dispatch of one reply, to the chat that the conversation id `telegram:<chat id>` names."""
        await super().send_response(local_part(recipient_id, TELEGRAM), message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Text in parts (split at blank lines, as Rasa's), **bold** shown bold."""
        for part in text.strip().split("\n\n"):
            await self.send_message(recipient_id, to_html(part), parse_mode="HTML")

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     button_type: Optional[Text] = None, **kwargs: Any) -> None:
        """An inline keyboard: one row when the buttons are few and short, else one button per row."""
        too_long = [b["payload"] for b in buttons if len(b["payload"].encode()) > MAX_CALLBACK_DATA]
        if too_long:
            logger.error("Telegram drops buttons whose payload exceeds %d bytes: %s", MAX_CALLBACK_DATA, too_long)
        if button_type is None:
            one_row = len(buttons) <= 3 and sum(len(b["title"]) for b in buttons) <= 30
            button_type = "inline" if one_row else "vertical"
        if button_type == "reply":
            await super().send_text_with_buttons(recipient_id, text, buttons, button_type, **kwargs)
            return
        markup = InlineKeyboardMarkup()
        keys = [InlineKeyboardButton(b["title"], callback_data=b["payload"]) for b in buttons]
        if button_type == "inline":
            markup.row(*keys)
        else:
            for key in keys:
                markup.row(key)
        await self.send_message(recipient_id, to_html(text), parse_mode="HTML", reply_markup=markup)

    async def upload_picture(self, recipient_id: Text, upload: Upload) -> None:
        """An uploaded photo (sendPhoto, multipart), its caption carrying the text alternative."""
        await self.send_photo(recipient_id, InputFile(io.BytesIO(upload.png), filename="knotcare.png"),
                              caption=upload.caption_with_alt())

    async def set_webhook_with_secret(self, url: Text, secret_token: Text) -> bool:
        """setWebhook with `secret_token` (Bot API 6.1; aiogram 2.15 predates it, so the raw method)."""
        payload = {"url": url, "secret_token": secret_token, "allowed_updates": json.dumps(UPDATES)}
        return bool(await self.request("setWebhook", payload))


class TelegramInput(RasaTelegramInput):
    """Telegram webhook input that checks Telegram's secret token on every update."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
            api_url=credentials.get("api_url") or TELEGRAM_API_URL,
            set_webhook=credentials.get("set_webhook", True),
            start_payload=credentials.get("start_payload", "/greet"),
        )

    def __init__(self, access_token: Optional[Text], verify: Optional[Text], webhook_url: Optional[Text],
                 debug_mode: bool = False, *, secret_token: Optional[Text] = None,
                 api_url: Text = TELEGRAM_API_URL, set_webhook: bool = True, start_payload: Text = "/greet") -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        if not access_token:
            raise InvalidConfigException("telegram: `access_token` (from BotFather) is required")
        if not secret_token or not SECRET_PATTERN.match(str(secret_token)):
            raise InvalidConfigException(
                "telegram: `secret_token` is required: 1-256 characters of A-Z, a-z, 0-9, _ or - "
                "(for example `openssl rand -hex 32`); Telegram sends it back with every update")
        self.secret_token = str(secret_token)
        self.api_url = api_url
        self.set_webhook = bool(set_webhook)
        self.start_payload = start_payload
        self.seen = Deliveries("telegram")
        self._out: Optional[TelegramOutput] = None
        self._webhook_task: Optional[asyncio.Task] = None

    def get_output_channel(self) -> TelegramOutput:
        """One Bot API client per input channel, made in the server's event loop (no network call)."""
        if self._out is None:
            self._out = TelegramOutput(self.access_token, self.api_url)
        return self._out

    async def register_webhook(self, attempts: int = 8) -> bool:
        """Tell Telegram where to send updates, with the secret; retried with back-off, never fatal."""
        delay = 1.0
        for attempt in range(1, attempts + 1):
            try:
                if await self.get_output_channel().set_webhook_with_secret(self.webhook_url, self.secret_token):
                    logger.info("Telegram webhook set to %s", self.webhook_url)
                    return True
            except (TelegramAPIError, OSError, asyncio.TimeoutError) as error:
                logger.warning("setWebhook attempt %d failed: %s", attempt, error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)
        logger.error("Telegram webhook not set after %d attempts; updates will not arrive", attempts)
        return False

    def authentic(self, request: Request) -> bool:
        """True when the update carries our secret token (compared in constant time)."""
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), self.secret_token.encode())

    async def _acknowledge_button(self, update: Update) -> None:
        """Stop the client's spinner and take the keyboard off the answered question (best effort)."""
        out = self.get_output_channel()
        query = update.callback_query
        try:
            await out.answer_callback_query(query.id)
            if query.message is not None:
                await out.edit_message_reply_markup(query.message.chat.id, query.message.message_id)
        except (TelegramAPIError, OSError, asyncio.TimeoutError) as error:
            logger.warning("could not acknowledge a Telegram button press: %s", error)

    def _text_and_chat(self, update: Update) -> Optional[tuple]:
        if update.callback_query is not None and update.callback_query.message is not None:
            return update.callback_query.data, update.callback_query.message.chat.id
        message = update.message or update.edited_message
        if message is None:
            return None
        if message.text is not None:
            text = message.text
            if text.split("@")[0].strip() == "/start":
                text = self.start_payload
            return text, message.chat.id
        if message.location is not None:
            return json.dumps({"lng": message.location.longitude, "lat": message.location.latitude}), message.chat.id
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """`GET /` health and `POST /webhook` for updates; the webhook is registered once the server runs."""
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        on_new_message = capped(on_new_message)

        @telegram_webhook.listener("after_server_start")
        async def start_webhook(_app: Any, _loop: Any) -> None:
            if self.set_webhook and self.webhook_url:
                self._webhook_task = asyncio.create_task(self.register_webhook())

        @telegram_webhook.listener("before_server_stop")
        async def stop_webhook(_app: Any, _loop: Any) -> None:
            if self._webhook_task is not None:
                self._webhook_task.cancel()
            if self._out is not None:
                # aiogram 2 warns that close() will mean Telegram's `close` method in v3; here it
                # still only closes the HTTP session, which is what we want.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    await self._out.close()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.authentic(request):
                logger.warning("Telegram update without the right secret token: rejected")
                return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
            try:
                body = request.json
                update = Update(**(json.loads(body) if isinstance(body, str) else body))
                if not isinstance(update.update_id, int):
                    raise ValueError("update_id")
                found = self._text_and_chat(update)  # aiogram does not check types: {"message": 5} gets here
            except (TypeError, ValueError, AttributeError):
                return response.text("not an update", status=HTTPStatus.BAD_REQUEST)
            if not await self.seen.first_time(update.update_id):
                return response.text("success")
            if update.callback_query is not None:
                await self._acknowledge_button(update)
            if found is None:
                return response.text("success")
            text, chat_id = found
            try:
                await on_new_message(UserMessage(text, self.get_output_channel(), telegram_id(chat_id),
                                                 input_channel=self.name(), metadata=self.get_metadata(request)))
            except Exception:  # noqa: BLE001 - a failed turn must not make Telegram redeliver it forever
                logger.exception("handling a Telegram update failed")
            return response.text("success")

        return telegram_webhook
