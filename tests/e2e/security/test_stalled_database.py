"""A database that stops answering holds no turn and no server: the knowledge base's or the tracker store's
PostgreSQL behind a loopback proxy that, once told to, accepts connections and never answers."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests
from sqlalchemy.engine import make_url

from tests.e2e.conftest import MODEL, Servers, all_text

EMERGENCY_SIGNS = "I can't feel my legs and I can't pee"
#: The bound the issue sets on a turn; Rasa's own GET / must answer within a second meanwhile.
TURN_SECONDS, STATUS_SECONDS = 15.0, 1.0


class StallingProxy:
    """TCP on 127.0.0.1 that forwards to `target` until `stall()`: then every byte is swallowed, new connections
    are accepted and never answered (as a database host that hangs)."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.stalled = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets: List[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.sockets.append(client)
            if self.stalled.is_set():
                continue  # accepted, never answered
            upstream = socket.create_connection(self.target)
            self.sockets.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if not self.stalled.is_set():
                try:
                    sink.sendall(data)
                except OSError:
                    return

    def stall(self) -> None:
        self.stalled.set()

    def close(self) -> None:
        """Close everything; shut down first, so that a client blocked on a stalled connection gets its end now
        (close alone does not wake a thread blocked in recv on the same socket)."""
        for sock in [self.server, *self.sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


@pytest.fixture()
def proxy(postgres_url: str) -> Iterator[StallingProxy]:
    url = make_url(postgres_url)
    running = StallingProxy(url.host or "127.0.0.1", url.port or 5432)
    yield running
    running.close()


def _via(postgres_url: str, proxy: StallingProxy) -> Any:
    return make_url(postgres_url).set(host="127.0.0.1", port=proxy.port)


def _timed_turn(stack: Servers, sender: str, text: str) -> tuple:
    started = time.monotonic()
    replies = stack.say(sender, text)
    return time.monotonic() - started, all_text(replies)


def _status_answers_quickly(stack: Servers) -> float:
    """How long Rasa's GET / takes while a turn waits on the stalled database."""
    started = time.monotonic()
    assert requests.get(f"{stack.rasa_url}/", timeout=STATUS_SECONDS * 5).status_code == 200
    return time.monotonic() - started


def _while_a_turn_waits(stack: Servers, sender: str, text: str) -> Dict[str, Any]:
    """Send a turn in the background; check GET / meanwhile; return the turn's time and text."""
    result: Dict[str, Any] = {}

    def turn() -> None:
        result["seconds"], result["text"] = _timed_turn(stack, sender, text)

    worker = threading.Thread(target=turn)
    worker.start()
    time.sleep(1.5)  # the turn is now waiting on the database
    result["status_seconds"] = _status_answers_quickly(stack)
    worker.join(TURN_SECONDS + 30)
    return result


@pytest.fixture()
def stack_with(tmp_path: Path):  # type: ignore[no-untyped-def]
    started: List[Servers] = []

    def start(**kwargs: Any) -> Servers:
        if not MODEL.exists():
            pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
        servers = Servers(model=MODEL, work=tmp_path / uuid.uuid4().hex[:6], **kwargs)
        servers.work.mkdir(parents=True)
        started.append(servers)
        return servers.start()

    yield start
    for servers in started:
        # Worker threads still wait on the stalled database: nothing to finish cleanly, so a short grace.
        servers.stop(grace=2)


def test_a_stalled_knowledge_base_still_gets_emergency_advice_and_kind_replies(
        postgres_url: str, proxy: StallingProxy, stack_with) -> None:
    stack = stack_with(database_url=_via(postgres_url, proxy).render_as_string(hide_password=False))
    sender = f"stall-kb-{uuid.uuid4().hex[:6]}"
    # An earlier conversation with a marker in it (mixed case, not ASCII), then Rasa restarted: its log filter no
    # longer knows the marker, so only not logging conversations keeps it out of the logs.
    marker = f"Quökka{uuid.uuid4().hex[:6]}Ünï"
    _timed_turn(stack, f"{sender}-e", f"hi, {marker} here: knot in my upper back")
    stack.stop_rasa()
    stack.start_rasa()
    _timed_turn(stack, sender, "hi")  # the stack works through the proxy
    proxy.stall()

    emergency = _while_a_turn_waits(stack, f"{sender}-e", EMERGENCY_SIGNS)
    assert emergency["status_seconds"] < STATUS_SECONDS, emergency
    assert emergency["seconds"] < TURN_SECONDS, emergency
    assert "emergency" in emergency["text"].lower(), emergency

    plain = _while_a_turn_waits(stack, f"{sender}-p", "knot under my right shoulder blade, dull ache, 3 weeks")
    assert plain["status_seconds"] < STATUS_SECONDS and plain["seconds"] < TURN_SECONDS, plain
    assert "try again" in plain["text"] or "isn't responding" in plain["text"], plain
    # Nothing of the earlier conversation (message, slot values, the request bodies) reached a log.
    logs = [path.read_text(errors="replace") for path in Path(stack.work).glob("*.log")]
    assert logs and not [log for log in logs if marker in log or marker.lower() in log.lower()]


def test_a_stalled_tracker_store_holds_neither_the_turn_nor_rasa(
        postgres_url: str, proxy: StallingProxy, stack_with) -> None:
    url = _via(postgres_url, proxy)
    tracker = {"type": "stores.tracker.ForgetfulSQLTrackerStore", "dialect": "postgresql", "url": url.host,
               "port": url.port, "db": url.database, "username": url.username or "postgres"}
    if url.password:
        tracker["password"] = url.password
    stack = stack_with(tracker_store=tracker)
    sender = f"stall-tracker-{uuid.uuid4().hex[:6]}"
    _timed_turn(stack, sender, "hi")  # works through the proxy
    proxy.stall()

    turn = _while_a_turn_waits(stack, sender, EMERGENCY_SIGNS)
    assert turn["status_seconds"] < STATUS_SECONDS, turn
    assert turn["seconds"] < TURN_SECONDS, turn
    # The conversation could not be read: the turn goes on from a fresh one kept in memory (Rasa's fail-safe),
    # and the emergency signs are still answered as one.
    assert "emergency" in turn["text"].lower(), turn


def test_a_forget_the_tracker_store_could_not_finish_is_finished_later(
        postgres_url: str, proxy: StallingProxy, tmp_path: Path, monkeypatch) -> None:
    """The personal rows go at once; the conversation cannot (its store stalls as the turn is saved): the request
    is kept, and `knotcare forget-pending` finishes it once the store answers again."""
    import asyncio
    import os
    import subprocess
    import sys

    import sqlalchemy as sa
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from knotcare import privacy
    from knotcare import schema as tables
    from stores.tracker import ForgetfulSQLTrackerStore

    kb_url = f"sqlite:///{tmp_path / 'kb.db'}"
    monkeypatch.setenv("DATABASE_URL", kb_url)
    via = _via(postgres_url, proxy)
    store = ForgetfulSQLTrackerStore(Domain.empty(), dialect="postgresql", host=via.host, port=via.port,
                                     db=via.database, username=via.username or "postgres", password=via.password)
    sender = f"forget-stall-{uuid.uuid4().hex[:6]}"
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered("knot in my neck"))
    asyncio.run(store.save(tracker))
    # The forget turn: the action recorded the request and deleted the personal rows; then the store stalls.
    kb = sa.create_engine(kb_url, future=True)
    privacy.forget_started(kb, sender)
    tracker.update(UserUttered("/affirm"))
    tracker.update(ActionExecuted(privacy.FORGET_ACTION))
    proxy.stall()
    # Not asyncio.run: it would wait for the worker thread, which the stalled socket holds until the proxy closes.
    loop = asyncio.new_event_loop()
    with pytest.raises(asyncio.TimeoutError):
        loop.run_until_complete(store.save(tracker))
    proxy.close()  # frees the worker thread
    loop.close()
    store.engine.dispose()

    def pending() -> list:
        with kb.connect() as connection:
            return list(connection.execute(sa.select(tables.pending_forgets.c.conversation)).scalars())

    def stored() -> int:
        engine = sa.create_engine(postgres_url, future=True)
        try:
            with engine.connect() as connection:
                return connection.execute(sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s"),
                                          {"s": sender}).scalar()
        finally:
            engine.dispose()

    assert pending() == [sender] and stored() > 0
    done = subprocess.run([sys.executable, "-m", "knotcare.cli", "forget-pending", "--tracker-url", postgres_url],
                          env={**os.environ, "DATABASE_URL": kb_url}, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0 and "1 unfinished" in done.stderr, done.stderr
    assert pending() == [] and stored() == 0
    kb.dispose()
