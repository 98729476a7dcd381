"""The lock stores alone on the machine's Redis: atomic ticket issuing, and the stock store's race (rasa#9213)."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Iterator, List

import pytest
import redis

from tests.conftest import unavailable
from tests.e2e.scale.conftest import REDIS_DB, REDIS_HOST, REDIS_PORT
from tests.e2e.scale.tcp_proxy import TcpProxy


@pytest.fixture()
def prefix() -> Iterator[str]:
    """A Redis key prefix of this test's own, deleted afterwards."""
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}: {error}")
    name = f"kctest{uuid.uuid4().hex[:10]}"
    yield name
    for key in client.scan_iter(f"{name}*"):
        client.delete(key)


@pytest.fixture()
def slow_redis() -> Iterator[TcpProxy]:
    """Redis behind 2 ms of latency each way, as from another host."""
    proxy = TcpProxy(REDIS_HOST, REDIS_PORT, delay=0.002).start()
    yield proxy
    proxy.close()


def _issue_at_once(stores: List, conversation: str) -> List[int]:
    """Every store issues one ticket for the same conversation at the same moment."""
    tickets: List[int] = []
    start = threading.Barrier(len(stores))

    def issue(store) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        tickets.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tickets


def _stores(kind: str, port: int, prefix: str, count: int) -> List:
    from rasa.core.lock_store import RedisLockStore

    from stores.redis_lock import AtomicRedisLockStore

    cls = AtomicRedisLockStore if kind == "atomic" else RedisLockStore
    return [cls(host="127.0.0.1", port=port, db=REDIS_DB, key_prefix=prefix) for _ in range(count)]


def test_atomic_store_issues_each_number_once_and_serves_in_order(prefix: str, slow_redis: TcpProxy) -> None:
    stores = _stores("atomic", slow_redis.port, prefix, 8)
    for round_ in range(5):
        conversation = f"c{round_}"
        tickets = _issue_at_once(stores, conversation)
        assert sorted(tickets) == list(range(1, 9))
        lock = stores[0].get_lock(conversation)
        assert [t.number for t in lock.tickets] == list(range(1, 9))
        assert not lock.is_locked(1) and lock.is_locked(2)
        for number in range(1, 9):
            stores[number % 8].cleanup(conversation, number)
        assert stores[0].get_lock(conversation) is None


def test_stock_store_hands_one_number_to_several_instances(prefix: str, slow_redis: TcpProxy) -> None:
    """Rasa's RedisLockStore: read, change, write; with real latency two instances get the same ticket."""
    stores = _stores("stock", slow_redis.port, prefix, 8)
    duplicated = False
    for round_ in range(5):
        tickets = _issue_at_once(stores, f"c{round_}")
        duplicated |= len(set(tickets)) < len(tickets)
        if duplicated:
            break
    assert duplicated


async def test_atomic_store_lock_serialises_and_expires(prefix: str) -> None:
    (store,) = _stores("atomic", REDIS_PORT, prefix, 1)
    order: List[str] = []

    async def hold(name: str) -> None:
        async with store.lock("conv", wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    await asyncio.gather(hold("a"), hold("b"), hold("c"))
    assert order == ["a in", "a out", "b in", "b out", "c in", "c out"]
    # An expired ticket no longer blocks the next one.
    store.issue_ticket("old", lock_lifetime=-1)
    fresh = store.issue_ticket("old")
    assert not store.get_lock("old").is_locked(fresh)


def test_atomic_store_loads_from_an_endpoints_entry(prefix: str) -> None:
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    from stores.redis_lock import AtomicRedisLockStore

    config = EndpointConfig(url="127.0.0.1", type="stores.redis_lock.AtomicRedisLockStore",
                            port=REDIS_PORT, db=REDIS_DB, key_prefix=prefix)
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.issue_ticket("x") == 1


async def test_a_slow_redis_holds_only_the_turn_that_waits_for_it(prefix: str) -> None:
    """Rasa's event loop keeps running while the lock store waits on Redis: its commands run in worker threads."""
    from stores.redis_lock import AtomicRedisLockStore

    proxy = TcpProxy(REDIS_HOST, REDIS_PORT, delay=0.15).start()  # 0.15 s each way: 0.3 s a command at least
    try:
        store = AtomicRedisLockStore(host="127.0.0.1", port=proxy.port, db=REDIS_DB, key_prefix=prefix)
        ticks: List[float] = []

        async def ticker() -> None:
            while True:
                ticks.append(asyncio.get_running_loop().time())
                await asyncio.sleep(0.02)

        running = asyncio.create_task(ticker())
        try:
            async with store.lock("slow-conversation") as lock:
                assert lock.tickets
        finally:
            running.cancel()
        gaps = [ticks[i + 1] - ticks[i] for i in range(len(ticks) - 1)]
        # three commands of 0.3 s or more each took place, and the loop never stood still for one
        assert ticks[-1] - ticks[0] >= 0.9 and max(gaps) < 0.25, max(gaps)
    finally:
        proxy.close()
