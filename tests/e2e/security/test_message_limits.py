"""Messages per minute: a conversation and a client address flooding the socket.io channel are slowed down,
and the counters are shared by instances through Redis (channels/limits.py; this world: 6 per conversation
and 9 per address a minute, counted in Redis under this run's prefix)."""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, List

import pytest
import requests

from channels.limits import Limit, MessageLimits
from tests.e2e.channels.conftest import ChannelWorld
from tests.e2e.channels.drivers import web_session
from tests.e2e.security.conftest import PREFIX, REDIS_HOST, REDIS_PORT

pytestmark = pytest.mark.channels

SLOW_DOWN = "faster than I can read them"


def user_turns(world: ChannelWorld, session: str) -> int:
    tracker = requests.get(f"{world.servers.rasa_url}/conversations/web:{session}/tracker",
                           params={"token": world.servers.token}, timeout=30).json()
    return sum(1 for e in tracker.get("events") or [] if e.get("event") == "user")


def turns_reach(world: ChannelWorld, sessions: List[str], expected: int, limit: float = 60.0) -> int:
    """The user turns stored for these sessions once they reach `expected` (or the time is up), and stay."""
    deadline = time.monotonic() + limit
    count = 0
    while time.monotonic() < deadline:
        count = sum(user_turns(world, s) for s in sessions)
        if count >= expected:
            time.sleep(1.5)  # and nothing more comes
            return sum(user_turns(world, s) for s in sessions)
        time.sleep(0.2)
    return count


def settle(received: List[Dict[str, Any]], quiet: float = 2.0, limit: float = 60.0) -> None:
    deadline, seen, since = time.monotonic() + limit, -1, time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        if len(received) != seen:
            seen, since = len(received), time.monotonic()
        time.sleep(0.1)


def test_a_flooding_conversation_is_asked_once_to_slow_down_and_no_more_is_read(world: ChannelWorld) -> None:
    with web_session(world) as (client, session, received):
        for n in range(10):
            client.emit("user_uttered", {"message": f"hello {n}", "session_id": session})
        assert turns_reach(world, [session], 6) == 6
        settle(received)
        slow = [m for m in received if SLOW_DOWN in (m.get("text") or "")]
        assert len(slow) == 1, [m.get("text") for m in received]
        assert "emergency" in slow[0]["text"]


def test_one_address_is_limited_across_its_conversations_and_others_are_not(world: ChannelWorld) -> None:
    flooding = f"198.51.100.{uuid.uuid4().int % 200 + 1}"
    sessions: List[str] = []
    replies: List[Dict[str, Any]] = []
    for _ in range(3):  # three conversations from one address (behind our proxy), four messages each
        with web_session(world, forwarded_for=f"203.0.113.9, {flooding}") as (client, session, received):
            for n in range(4):
                client.emit("user_uttered", {"message": f"hi {n}", "session_id": session})
            settle(received, quiet=0.5)
            sessions.append(session)
            replies += received
    assert turns_reach(world, sessions, 9) == 9
    assert any(SLOW_DOWN in (m.get("text") or "") for m in replies)
    with web_session(world, forwarded_for="192.0.2.44") as (client, session, received):
        client.emit("user_uttered", {"message": "my neck is stiff", "session_id": session})
        settle(received)
        assert user_turns(world, session) == 1 and not any(SLOW_DOWN in (m.get("text") or "") for m in received)


async def test_instances_share_the_counts_through_redis() -> None:
    """Two instances (two limiters on one Redis) count one conversation together."""
    prefix = f"{PREFIX}:limits-shared:{uuid.uuid4().hex[:6]}:"
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
    first, second = (MessageLimits(Limit(3, 60), Limit(0, 1), url, prefix) for _ in range(2))
    assert [await first.check("web:x", None), await second.check("web:x", None),
            await first.check("web:x", None), await second.check("web:x", None)] == [None, None, None, 1]
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    keys = list(client.scan_iter(f"{prefix}*"))
    assert len(keys) == 1 and 0 < client.ttl(keys[0]) <= 120
    client.delete(*keys)


async def test_a_burst_across_the_turn_of_a_minute_counts_whole(monkeypatch) -> None:
    """Fixed windows would let 2 x the limit through around the turn of a minute; the sliding estimate does not."""
    import channels.limits as limits

    clock = [600.0 - 1]  # one second before a minute turns
    monkeypatch.setattr(limits.time, "time", lambda: clock[0])
    limiter = MessageLimits(Limit(5, 60), Limit(0, 1))
    results = []
    for _ in range(5):
        results.append(await limiter.check("web:y", None))
    clock[0] = 600.0 + 1  # two seconds later, in the next minute
    for _ in range(3):
        results.append(await limiter.check("web:y", None))
    assert results[:5] == [None] * 5 and results[5:] == [1, 2, 3]
