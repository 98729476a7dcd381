"""Slack and Telegram retries are answered once across Rasa instances: delivery ids shared through real Redis."""

from __future__ import annotations

import asyncio
import time
import uuid

import redis

from channels.dedupe import Deliveries
from tests.e2e.security.conftest import PREFIX, REDIS_HOST, REDIS_PORT
from tests.e2e.security.test_identity import said

URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


def test_two_instances_answer_a_delivery_once_and_redis_down_falls_back_to_memory(world) -> None:
    prefix = f"{PREFIX}:unit{uuid.uuid4().hex[:6]}:"
    one, other = Deliveries("slack", redis_url=URL, prefix=prefix), Deliveries("slack", redis_url=URL, prefix=prefix)

    async def run() -> tuple:
        return (await one.first_time("Ev1"), await other.first_time("Ev1"), await other.first_time("Ev2"),
                await Deliveries("telegram", redis_url=URL, prefix=prefix).first_time("Ev1"))

    assert asyncio.run(run()) == (True, False, True, True)
    ttl = redis.Redis(host=REDIS_HOST, port=REDIS_PORT).ttl(f"{prefix}slack:Ev1")
    assert 0 < ttl <= 3600
    # Redis not answering: this instance still answers each delivery once.
    down = Deliveries("slack", redis_url="redis://127.0.0.1:1/0", prefix=prefix)

    async def without_redis() -> tuple:
        return await down.first_time("Ev9"), await down.first_time("Ev9")

    assert asyncio.run(without_redis()) == (True, False)


def test_an_update_another_instance_took_is_not_answered_here(world) -> None:
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    chat = 880000 + int(uuid.uuid4().int % 10000)
    taken, fresh = int(uuid.uuid4().int % 2**31), int(uuid.uuid4().int % 2**31)
    # Another Rasa instance answered this update already (it set the shared key first).
    client.set(f"{PREFIX}:delivery:telegram:{taken}", "1", ex=60)

    def update(update_id: int, text: str) -> dict:
        return {"update_id": update_id, "message": {"message_id": update_id % 1000, "date": int(time.time()),
                                                     "text": text, "chat": {"id": chat, "type": "private"},
                                                     "from": {"id": chat, "is_bot": False, "first_name": "T"}}}

    assert world.telegram_update(update(taken, "hello")).status_code == 200
    assert world.telegram_update(update(fresh, "hello there")).status_code == 200
    world.telegram.wait_for("sendMessage", lambda p: str(p.get("chat_id")) == str(chat))
    time.sleep(2)
    # Only the fresh update was answered, and this instance shared its id for the others.
    assert world.telegram_sent(chat)
    assert client.exists(f"{PREFIX}:delivery:telegram:{fresh}")
    assert said(world, f"telegram:{chat}") == ["hello there"]
