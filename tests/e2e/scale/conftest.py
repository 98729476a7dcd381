"""Two Rasa instances on one PostgreSQL tracker store and one Redis lock store, shared by the scale tests.

One action server serves both instances. PostgreSQL and Redis are reached
through TCP proxies on loopback (tests/e2e/scale/tcp_proxy.py), so a test can make
either vanish and come back without touching the machine's services, and the
Redis proxy adds a few milliseconds of latency, as a Redis on another host has.
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
from sqlalchemy.engine import make_url

from harness.stack import Stack
from tests.conftest import unavailable
from tests.e2e.scale.tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[3]
MODEL = ROOT / "models" / "knotcare.tar.gz"
REDIS_HOST = os.environ.get("KNOTCARE_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("KNOTCARE_TEST_REDIS_PORT", "6379"))
REDIS_DB = 1
#: Added to every chunk each way between Rasa and Redis: about a cross-host round trip.
REDIS_LATENCY = 0.003
ATOMIC = "stores.redis_lock.AtomicRedisLockStore"
#: REST through nginx comes from a proxy: it needs this token (channels/rest.py).
REST_TOKEN = "scale-" + uuid.uuid4().hex


class Instance(Stack):
    """One Rasa instance of the pair, with helpers to talk to it and read the tracker."""

    def say(self, sender: str, text: Any, timeout: float = 120) -> requests.Response:
        """Send one message over REST; return the raw response."""
        return requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=timeout)

    def events(self, sender: str) -> List[Dict[str, Any]]:
        """Every stored event of a conversation (all sessions)."""
        response = requests.get(f"{self.rasa_url}/conversations/{sender}/tracker",
                                params={"token": self.token, "include_events": "ALL"}, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()["events"]


class Pair:
    """The two instances, the proxies in front of PostgreSQL and Redis, and the run's Redis prefix."""

    def __init__(self, work: Path, postgres_url: str) -> None:
        import redis

        self.prefix = f"kctest{uuid.uuid4().hex[:10]}"
        self.redis = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=3)
        try:
            self.redis.ping()
        except redis.RedisError as error:
            unavailable(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}: {error}")
        url = make_url(postgres_url)
        self.postgres_proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
        self.redis_proxy = TcpProxy(REDIS_HOST, REDIS_PORT, delay=REDIS_LATENCY).start()
        self.tracker_store = {"type": "stores.tracker.ForgetfulSQLTrackerStore", "dialect": "postgresql",
                              "url": "127.0.0.1", "port": self.postgres_proxy.port, "db": url.database,
                              "username": url.username or "postgres"}
        if url.password:
            self.tracker_store["password"] = url.password
        # Small pools: two instances must stay far inside PostgreSQL's max_connections.
        env = {"SQL_POOL_SIZE": "5", "SQL_MAX_OVERFLOW": "5", "KNOTCARE_REST_TOKEN": REST_TOKEN}
        common = dict(model=MODEL, tracker_store=self.tracker_store, lock_store=self.lock_store(ATOMIC),
                      database_url=postgres_url, extra_env=env)
        self.a = Instance(work=work / "a", **common)
        self.b = Instance(work=work / "b", **common)

    def lock_store(self, kind: str) -> Dict[str, Any]:
        """The endpoints entry for a lock store of `kind` ("redis" for Rasa's stock one) behind the proxy."""
        return {"type": kind, "url": "127.0.0.1", "port": self.redis_proxy.port, "db": REDIS_DB,
                "key_prefix": self.prefix, "socket_timeout": 5}

    def start(self) -> "Pair":
        """Start the action server, then both instances at once (b on a's action server)."""
        self.b.shared_actions = self.a
        self._write_endpoints()
        self.a.start_actions()
        self._start_both()
        return self

    def _write_endpoints(self) -> None:
        import yaml

        for instance in (self.a, self.b):
            instance.work.mkdir(parents=True, exist_ok=True)
            (instance.work / "endpoints.yml").write_text(yaml.safe_dump(instance.endpoints(), sort_keys=False))

    def _start_both(self) -> None:
        # Both load their model at the same time: one wait instead of two.
        errors: List[BaseException] = []

        def start(instance: Instance) -> None:
            try:
                instance.start_rasa()
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)

        threads = [threading.Thread(target=start, args=(instance,)) for instance in (self.a, self.b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def restart_with_lock_store(self, kind: str) -> None:
        """Restart both Rasa instances (not the action server) with another lock store."""
        for instance in (self.a, self.b):
            instance.stop_rasa()
            instance.lock_store = self.lock_store(kind)
        self._write_endpoints()
        self._start_both()

    def stop(self) -> None:
        """Stop everything and delete the run's Redis keys."""
        self.b.stop()
        self.a.stop()
        self.postgres_proxy.close()
        self.redis_proxy.close()
        for key in self.redis.scan_iter(f"{self.prefix}*"):
            self.redis.delete(key)


@pytest.fixture(scope="session")
def pair(tmp_path_factory, postgres_url: str) -> Iterator[Pair]:
    """The two running instances (started once for the scale tests)."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    servers = Pair(tmp_path_factory.mktemp("scale"), postgres_url)
    try:
        yield servers.start()
    finally:
        servers.stop()
