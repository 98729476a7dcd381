"""Pictures with a reply, on the channels that show them (the web page, Telegram, Slack).

A picture goes out as a custom message, `{"picture": {...}}`: a named one (`body_map`, `routine/<id>`,
drawn by knotcare.pictures) or the progress chart as a PNG data: URL, each with its text alternative and a
caption. The web page draws it (web/chat.js); the Telegram and Slack outputs upload the PNG
(channels/telegram.py, channels/slack.py), never a link to it. REST callers get the chart, which is whole
in itself, and not the named pictures, which only our page server and chat outputs draw.
"""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from knotcare.pictures.catalogue import picture

#: Input channels whose people see pictures.
PICTURE_CHANNELS = ("socketio", "telegram", "slack")
#: Where the web page draws the body map itself, from the region buttons (web/chat.js).
DRAWS_BODY_MAP = ("socketio",)


def shows_pictures(tracker: Tracker) -> bool:
    """Whether this conversation's channel shows pictures."""
    return tracker.get_latest_input_channel() in PICTURE_CHANNELS


def show_named(dispatcher: CollectingDispatcher, tracker: Tracker, name: str, caption: str = "") -> None:
    """Send the picture called `name` (with its text alternative) where the channel shows pictures."""
    drawn = picture(name)
    if drawn is None or not shows_pictures(tracker):
        return
    dispatcher.utter_message(json_message={"picture": {"name": name, "alt": drawn.alt, "caption": caption}})


def show_chart(dispatcher: CollectingDispatcher, src: str, alt: str, caption: str) -> None:
    """Send the progress chart, on every channel: a PNG data: URL, whole in itself (personal, so never at a
    URL of its own); REST callers can show it too."""
    dispatcher.utter_message(json_message={"picture": {"src": src, "alt": alt, "caption": caption}})


def hold_timer(dispatcher: CollectingDispatcher, tracker: Tracker, seconds: Optional[int]) -> None:
    """On the web page, a countdown the person can pause (Slack and Telegram get a "time's up" message)."""
    if seconds and tracker.get_latest_input_channel() in DRAWS_BODY_MAP:
        dispatcher.utter_message(json_message={"hold": {"seconds": int(seconds)}})
