"""End-to-end: the trained model, the action server and Rasa, started on free ports."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, TypeVar

import pytest
import requests

from harness.stack import Stack

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "knotcare.tar.gz"
#: Of the cases a set does not need held one by one, the tests hold every third (benchmarks/ run every set whole).
SAMPLE_EVERY = 3
T = TypeVar("T")


def held_in_tests(cases: Sequence[T], must_hold: Callable[[T], bool]) -> List[T]:
    """The part of a blind set the tests run: every case `must_hold` says (each serious one, so that CI names any
    dangerous miss) and every SAMPLE_EVERY-th of the others in file order, the same ones on every run. The sets
    are large and each case is a conversation with the running stack; the whole sets are measured by the
    scripts in benchmarks/."""
    sampled = {id(case) for case in [case for case in cases if not must_hold(case)][::SAMPLE_EVERY]}
    return [case for case in cases if must_hold(case) or id(case) in sampled]


class Servers(Stack):
    """The running stack, with helpers to talk to it over REST and read the tracker."""

    def say(self, sender: str, text: Any) -> List[Dict[str, Any]]:
        """Send one message over the REST channel; return the bot's replies."""
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text}, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def tracker(self, sender: str) -> Dict[str, Any]:
        """The conversation's tracker, through the tracker API (with the token)."""
        response = requests.get(f"{self.rasa_url}/conversations/{sender}/tracker",
                                params={"token": self.token}, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def slots(self, sender: str) -> Dict[str, Any]:
        """The conversation's slots."""
        return self.tracker(sender)["slots"]

    def slots_after_the_turn(self, sender: str, text: str, timeout: float = 30.0) -> Dict[str, Any]:
        """The conversation's slots once the turn of the message `text` is stored. A socket's replies are sent while
        the turn still runs, before its tracker is saved, so reading the slots at the first reply can see the turn
        before."""
        deadline = time.monotonic() + timeout
        while True:
            tracker = self.tracker(sender)
            stored = (tracker.get("latest_message") or {}).get("text") == text \
                and tracker.get("latest_action_name") == "action_listen"
            if stored or time.monotonic() > deadline:
                return tracker["slots"]
            time.sleep(0.2)


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Servers]:
    """Action server + Rasa with the trained model, each on a free loopback port."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    stack = Servers(model=MODEL, work=tmp_path_factory.mktemp("e2e"))
    try:
        yield stack.start()
    finally:
        stack.stop()


@pytest.fixture()
def actions_down(servers: Servers) -> Iterator[Servers]:
    """The stack with its action server stopped; restarted afterwards for the other tests."""
    servers.stop_actions()
    try:
        yield servers
    finally:
        servers.start_actions()


@dataclass
class SocketSession:
    """A socket.io connection to Rasa with a confirmed session; `received` collects its bot_uttered events."""

    client: Any
    session_id: str
    received: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def conversation(self) -> str:
        """The conversation id Rasa keeps this session's tracker under."""
        return f"web:{self.session_id}"

    def send(self, payload: Any, event: str = "user_uttered") -> None:
        """Emit `payload` as it is (malformed ones included)."""
        self.client.emit(event, payload)
        time.sleep(0.05)  # else the client batches more packets into one long-polling POST than engine.io takes


@contextmanager
def socket_session(rasa_url: str, requested: Optional[str] = None) -> Iterator[SocketSession]:
    """A socket with the session the server confirms (`requested` is the id asked for, as a widget that kept one).

    python-socketio's synchronous client (requests, long-polling): its asyncio client needs a newer aiohttp
    than Rasa 3.6.21 pins (aiohttp.ClientWSTimeout)."""
    import socketio

    client = socketio.Client(reconnection=False)
    session = SocketSession(client, "")
    confirmed = threading.Event()

    def confirm(session_id: str) -> None:
        session.session_id = session_id  # issued by the server (channels/socketio.py)
        confirmed.set()

    client.on("bot_uttered", session.received.append)
    client.on("session_confirm", confirm)
    client.connect(rasa_url, socketio_path="/socket.io/", transports=["polling"])
    try:
        client.emit("session_request", {"session_id": requested})
        assert confirmed.wait(30), "no session_confirm from Rasa's socket.io channel"
        yield session
    finally:
        # engine.io's close, without waiting out the pending long-poll (up to the 25 s ping interval)
        client.eio.disconnect(abort=True)


def wait_for_replies(received: List[Dict[str, Any]], timeout: float = 60.0) -> List[Dict[str, Any]]:
    """Wait until `received` has something (or time runs out); return it."""
    deadline = time.monotonic() + timeout
    while not received and time.monotonic() < deadline:
        time.sleep(0.1)
    return received


def all_text(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies: List[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def opened(servers: Servers, sender: str, text: str, asked: str) -> str:
    """Open `sender`'s conversation with `text` and check that the intake asks for `asked` next; the sender."""
    servers.say(sender, text)
    assert servers.slots(sender)["requested_slot"] == asked
    return sender


def asked_during_the_intake(servers: Servers, sender: str, opener: str, question: str, region: str) -> str:
    """Open the intake with `opener`, which names `region` only, and ask `question` while it waits for how the
    pain feels: the reply's text, once the intake is seen to ask that again and to keep the region."""
    opened(servers, sender, opener, "pain_quality")
    text = all_text(servers.say(sender, question))
    assert "feel like" in text.lower()  # the form asks its question again
    slots = servers.slots(sender)
    assert slots["requested_slot"] == "pain_quality" and slots["body_region"] == region
    return text


def assert_held_safely(outcome: Any) -> None:
    """A serious vignette (emergency or urgent): no dangerous miss and no under-triage; the transcript if not."""
    assert not outcome.dangerous and not outcome.under_triaged, "\n".join(
        [f"got {outcome.level}, gold {outcome.vignette.gold}"] + outcome.transcript)


def assert_exact_and_subject(outcomes: Dict[str, Any]) -> None:
    """At least 90% of the vignettes at exactly the gold level, and 98% with the right subject."""
    from harness.vignettes import summarise

    summary = summarise(list(outcomes.values()))
    right, judged = (int(x) for x in summary.subject.split("/"))
    assert summary.exact_rate >= 0.90, [f"{o.vignette.id}: {o.level}" for o in outcomes.values() if not o.exact]
    assert right / judged >= 0.98, [o.vignette.id for o in outcomes.values() if o.subject_right is False]
