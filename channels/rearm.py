"""Pending check-ins survive a restart: when Rasa starts, each is scheduled again.

Rasa 3.6 keeps reminders in its in-memory scheduler, so a restart or a deploy drops every pending 48-hour
check-in. The action that schedules one also keeps it in the knowledge base (`pending_check_ins`); this
"channel" has no route of its own, only a listener that, once the model is loaded, schedules each kept
check-in again exactly as Rasa schedules a reminder (same job id, same handler), at its due time or at once
if that has passed. Several instances may all re-arm it: `action_check_in` asks only when it takes the row.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Awaitable, Callable, List, Optional, Text

from rasa.core import jobs
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import ReminderScheduled
from sanic import Blueprint, Sanic

from knotcare.kb import KnowledgeBase
from knotcare.progress.followup import CHECK_IN, CHECK_IN_INTENT, reminder_name
from knotcare.progress.model import PendingCheckIn, utcnow

logger = logging.getLogger(__name__)

#: A check-in whose time passed while Rasa was down comes this long after the start.
OVERDUE_DELAY = dt.timedelta(seconds=5)


def pending(database_url: Optional[str] = None) -> List[PendingCheckIn]:
    """The kept check-ins (none when the knowledge base is not there yet)."""
    kb = KnowledgeBase(database_url)
    try:
        kb.create_schema()
        with kb.unit_of_work() as uow:
            return uow.progress.pending_check_ins()
    finally:
        kb.dispose()


def output_for(app: Sanic, check_in: PendingCheckIn) -> Optional[OutputChannel]:
    """The output of the channel the conversation belongs to (`telegram:...`, `slack:...`), if it is running."""
    namespace = check_in.conversation.split(":", 1)[0]
    for channel in getattr(app.ctx, "input_channels", []):
        if channel.name() == namespace:
            if namespace == "slack" and check_in.reply_to:
                return channel.get_output_channel(check_in.reply_to)
            return channel.get_output_channel()
    return None


async def rearm(app: Sanic) -> int:
    """Schedule every kept check-in again; how many were."""
    agent = getattr(app.ctx, "agent", None)
    if agent is None or agent.processor is None:
        return 0
    try:
        kept = await asyncio.to_thread(pending)
    except Exception as error:  # noqa: BLE001 - a start must not fail for this; said in the log
        logger.error("check-ins were not re-armed: the knowledge base did not answer (%s)", type(error).__name__)
        return 0
    scheduler = await jobs.scheduler()
    armed = 0
    for check_in in kept:
        output = output_for(app, check_in)
        if output is None:
            continue
        name = reminder_name(CHECK_IN, check_in.person_id)
        reminder = ReminderScheduled(CHECK_IN_INTENT, trigger_date_time=check_in.due_at, name=name,
                                     kill_on_user_message=False)
        scheduler.add_job(agent.processor.handle_reminder, "date", id=name, replace_existing=True,
                          run_date=max(check_in.due_at, utcnow() + OVERDUE_DELAY),
                          args=[reminder, check_in.conversation, output],
                          name=reminder.scheduled_job_name(check_in.conversation))
        armed += 1
    logger.info("check-ins re-armed: %d of %d kept", armed, len(kept))
    return armed


class CheckInRearm(InputChannel):
    """No messages come in here: it re-arms the kept check-ins when the server starts."""

    @classmethod
    def name(cls) -> Text:
        return "checkin_rearm"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """An empty blueprint with the start listener (Rasa loads the model before `after_server_start`)."""
        blueprint = Blueprint("checkin_rearm")

        @blueprint.listener("after_server_start")
        async def on_start(app: Sanic, _: Any) -> None:
            await rearm(app)

        return blueprint
