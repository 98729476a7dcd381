"""Every channel on one Rasa, with the stores of a deployment: PostgreSQL (knowledge base and tracker store,
a database of this run's own) and Redis (the lock store, under a key prefix of its own)."""

from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import unavailable
from tests.e2e.channels.conftest import ChannelWorld, channel_world

REDIS_HOST = os.environ.get("KNOTCARE_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("KNOTCARE_TEST_REDIS_PORT", "6379"))
#: The REST token of these servers (channels/rest.py): what a caller behind a proxy must show.
REST_TOKEN = "rest-" + uuid.uuid4().hex
#: This run's Redis keys start with it (the lock store takes only letters and digits).
PREFIX = f"kcsecurity{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="package")
def world(tmp_path_factory, postgres_url: str) -> Iterator[ChannelWorld]:
    """Rasa with REST, socket.io, Slack and Telegram on PostgreSQL and Redis, with the fake Slack and Telegram."""
    import redis

    prefix = PREFIX
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}: {error}")
    url = make_url(postgres_url)
    tracker = {"type": "stores.tracker.ForgetfulSQLTrackerStore", "dialect": "postgresql", "url": url.host,
               "port": url.port or 5432, "db": url.database, "username": url.username or "postgres"}
    if url.password:
        tracker["password"] = url.password
    lock = {"type": "stores.redis_lock.AtomicRedisLockStore", "url": REDIS_HOST, "port": REDIS_PORT,
            "key_prefix": prefix, "socket_timeout": 5}
    try:
        env = {"KNOTCARE_REST_TOKEN": REST_TOKEN, "KNOTCARE_DEDUPE_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
               "KNOTCARE_DEDUPE_PREFIX": f"{prefix}:delivery:",
               # message limits, low enough to test, shared through Redis (tests/e2e/security/test_message_limits.py)
               "KNOTCARE_LIMITS_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
               "KNOTCARE_LIMITS_PREFIX": f"{prefix}:limit:",
               "KNOTCARE_LIMIT_PER_CONVERSATION": "6/60", "KNOTCARE_LIMIT_PER_ADDRESS": "9/60"}
        with channel_world(tmp_path_factory.mktemp("security"), env=env,
                           database_url=postgres_url,
                           tracker_store=tracker, lock_store=lock) as running:
            yield running
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()
