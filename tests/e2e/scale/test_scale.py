"""Two Rasa instances on PostgreSQL + Redis: no lost, duplicated or reordered events; restarts and outages.

The tests share one pair of instances and run in file order: the atomic lock
store first, a restart mid-conversation, then PostgreSQL and Redis outages.
Rasa's stock lock store handing one ticket to two instances is shown at the
store itself (test_redis_lock.py), without two more restarts of both servers.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import TYPE_CHECKING, Any, Dict, List, Tuple

import pytest

from channels.guard import unavailable_reply
from tests.e2e.scale.conftest import ATOMIC, REST_TOKEN, ROOT, Instance, Pair
from tests.e2e.scale.tcp_proxy import TcpProxy

if TYPE_CHECKING:
    import requests

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]

CONVERSATIONS = 12
MESSAGES = 4  # per conversation, half through each instance, all sent at once


def _storm(pair: Pair, tag: str) -> Tuple[Dict[str, List[str]], List[str]]:
    """Send every message of every conversation at the same moment, alternating instances."""
    sent: Dict[str, List[str]] = {f"{tag}-{uuid.uuid4().hex[:8]}": [] for _ in range(CONVERSATIONS)}
    errors: List[str] = []
    jobs = []
    for sender, texts in sent.items():
        for n in range(MESSAGES):
            text = f"hello there {sender[-8:]} message {n}"
            texts.append(text)
            jobs.append((pair.a if n % 2 == 0 else pair.b, sender, text))
    start = threading.Barrier(len(jobs))

    def send(instance: Instance, sender: str, text: str) -> None:
        start.wait()
        try:
            response = instance.say(sender, text)
            if response.status_code != 200:
                errors.append(f"{sender}: HTTP {response.status_code}")
        except Exception as error:  # a timeout counts as a failure too
            errors.append(f"{sender}: {error}")

    threads = [threading.Thread(target=send, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return sent, errors


def problems(events: List[Dict[str, Any]], texts: List[str]) -> List[str]:
    """What is wrong with a stored conversation: a message lost or stored twice, or turns interleaved."""
    found: List[str] = []
    said = [e.get("text") for e in events if e["event"] == "user"]
    for text in texts:
        if said.count(text) != 1:
            found.append(f"{text!r} stored {said.count(text)} times")
    # Each turn is: user, one or more actions, action_listen; the next user message only after that listen.
    waiting_for_listen = False
    for event in events:
        if event["event"] == "user":
            if waiting_for_listen:
                found.append(f"{event.get('text')!r} stored inside another turn")
            waiting_for_listen = True
        elif event["event"] == "action" and event.get("name") == "action_listen":
            waiting_for_listen = False
    if waiting_for_listen:
        found.append("the last turn has no closing action_listen")
    return found


def _check(pair: Pair, sent: Dict[str, List[str]]) -> Dict[str, List[str]]:
    return {sender: p for sender, texts in sent.items() if (p := problems(pair.a.events(sender), texts))}


def test_the_atomic_lock_store_loses_nothing_across_two_instances(pair: Pair) -> None:
    sent, errors = _storm(pair, "atomic")
    assert not errors, errors
    assert _check(pair, sent) == {}
    # The lock store leaves no tickets behind.
    assert not [k for k in pair.redis.scan_iter(f"{pair.prefix}*") if not k.endswith(b":counter")]


def test_nginx_in_front_balances_limits_and_checks_the_origin(pair: Pair, tmp_path) -> None:
    """scripts/scale.sh's nginx config (deploy/nginx.conf.template) in front of the two instances."""
    import os
    import shutil
    import subprocess

    import requests

    from harness.stack import free_port

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port, origin = free_port(), "http://localhost:8080"
    env = {**os.environ, "SCALE_CONFIG_ONLY": "1", "SCALE_RUN_DIR": str(tmp_path), "RASA_PORT": str(port),
           "ACTIONS_PORT": str(free_port()), "WEB_PORT": str(free_port()), "WEB_ORIGIN": origin,
           "SCALE_RASA_PORTS": f"{pair.a.rasa_port} {pair.b.rasa_port}", "SCALE_ACTION_PORTS": str(pair.a.actions_port),
           "SCALE_LIMIT_LOOPBACK": "1", "SCALE_RATE": "5r/s", "SCALE_BURST": "10"}
    rendered = subprocess.run(["bash", "scripts/scale.sh"], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=60)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    process = subprocess.Popen([nginx, "-p", str(tmp_path / "nginx"), "-c", str(tmp_path / "nginx/nginx.conf"),
                                "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            try:
                requests.get(url, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        sender = f"nginx-{uuid.uuid4().hex[:8]}"
        hook = f"{url}/webhooks/rest/webhook"
        # Through nginx REST is not this machine's any more: without the token, 401.
        assert requests.post(hook, json={"sender": sender, "message": "hi"}, headers={"Origin": origin},
                             timeout=60).status_code == 401
        bearer = {"Origin": origin, "Authorization": f"Bearer {REST_TOKEN}"}
        for n in range(4):
            response = requests.post(hook, json={"sender": sender, "message": f"hi {n}"}, headers=bearer, timeout=60)
            assert response.status_code == 200, response.text
        # Both instances served (least_conn spreads REST; the lock store keeps the order).
        log = (tmp_path / "nginx/access.log").read_text()
        assert f":{pair.a.rasa_port}" in log and f":{pair.b.rasa_port}" in log, log
        assert sender not in log and "hi 0" not in log  # no query strings, no bodies
        # A foreign origin is refused; a body over 64k is refused before reaching Rasa.
        assert requests.post(hook, json={"sender": sender, "message": "hi"}, timeout=30,
                             headers={**bearer, "Origin": "https://evil.example"}).status_code == 403
        assert requests.post(hook, json={"sender": sender, "message": "x" * 70_000}, headers=bearer,
                             timeout=30).status_code == 413
        # The HTTP API is not served through the public door, token or not; Rasa's status is.
        tracker = f"{url}/conversations/{sender}/tracker"
        assert requests.get(tracker, params={"token": pair.a.token}, timeout=30).status_code == 404
        assert requests.get(f"{url}/model/parse", timeout=30).status_code == 404
        assert requests.get(f"{url}/", timeout=30).status_code == 200
        # A flood from one address is cut to the rate + burst with 429.
        statuses = [requests.get(f"{url}/", timeout=30).status_code for _ in range(40)]
        assert 429 in statuses and 200 in statuses
        assert problems(pair.a.events(sender), [f"hi {n}" for n in range(4)]) == []
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_restarted_instance_continues_the_conversation_from_postgresql(pair: Pair) -> None:
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    assert pair.a.say(sender, "knot in my lower back, dull ache").status_code == 200
    # Both instances restart.
    pair.restart_with_lock_store(ATOMIC)
    assert pair.a.say(sender, "about 3 weeks").status_code == 200
    slots = _slots(pair.b, sender)
    assert slots["body_region"] == "lower_back"
    assert slots["pain_quality"] == "dull_ache"
    assert slots["pain_duration_days"] == 21


def _slots(instance: Instance, sender: str) -> Dict[str, Any]:
    import requests

    response = requests.get(f"{instance.rasa_url}/conversations/{sender}/tracker",
                            params={"token": instance.token}, timeout=60)
    return response.json()["slots"]


def _turn_while_down(pair: Pair, proxy: TcpProxy, store: str, sender: str) -> requests.Response:
    """Begin `sender`'s conversation, then send a turn while `proxy`'s `store` is away: the turn's response, once
    the store is back and Rasa is seen to have lived through it."""
    assert pair.a.say(sender, "knot in my neck, dull ache").status_code == 200
    proxy.stop()
    try:
        response = pair.a.say(sender, "about 2 weeks", timeout=60)
        assert response.status_code < 500
    finally:
        proxy.start()
    assert pair.a.rasa.poll() is None, f"Rasa exited when {store} went away"
    return response


def test_postgresql_down_is_a_clear_error_and_recovers(pair: Pair) -> None:
    sender = f"pgdown-{uuid.uuid4().hex[:8]}"
    # Rasa's fail-safe tracker store answers the turn from memory and logs the error.
    _turn_while_down(pair, pair.postgres_proxy, "PostgreSQL", sender)
    log = (pair.a.work / "rasa.log").read_text(errors="replace")
    assert "Error happened when trying to retrieve conversation tracker" in log
    # Back: the conversation goes on from what PostgreSQL holds.
    time.sleep(1)
    assert pair.a.say(sender, "about 2 weeks").status_code == 200
    slots = _slots(pair.b, sender)
    assert slots["body_region"] == "neck" and slots["pain_quality"] == "dull_ache"
    assert slots["pain_duration_days"] == 14


def test_redis_down_is_a_clear_error_and_recovers(pair: Pair) -> None:
    sender = f"redisdown-{uuid.uuid4().hex[:8]}"
    # Rasa cannot take the conversation's lock, so it does not process the message at all (rather than risk
    # two instances processing it): a LockError in the log, and the person is told, with the emergency advice.
    response = _turn_while_down(pair, pair.redis_proxy, "Redis", sender)
    assert [m.get("text") for m in response.json()] == [unavailable_reply()]
    assert "LockError" in (pair.a.work / "rasa.log").read_text(errors="replace")
    assert pair.a.say(sender, "about 2 weeks").status_code == 200
    slots = _slots(pair.a, sender)
    assert slots["body_region"] == "neck" and slots["pain_quality"] == "dull_ache"
    assert slots["pain_duration_days"] == 14
