"""Load: N concurrent people holding scripted conversations, on one instance, two behind nginx, and the stock bot.

For each set-up it prints latency p50/p95/p99, messages per second, errors, lost
messages (sent but not in the tracker afterwards), the peak memory (VmHWM) of
every server process, and the CPU time per message of each server process and
of the whole machine (databases, nginx and this client included):

- `rasa init`: the stock bot (trained here, as benchmarks/latency.py does), one instance;
- `knotcare x1`: one Rasa instance + one action server, tracker store in PostgreSQL;
- `knotcare x2`: scale mode (scripts/scale.sh): two Rasa instances and two action
  servers behind nginx, PostgreSQL tracker store and knowledge base, Redis lock store.

Each person sends the script's messages one after another, waiting for the reply and
then a think time (people read and type) before the next. Every run gets a PostgreSQL
database and a Redis key prefix of its own, removed afterwards.

Usage: python benchmarks/load.py [--users 50] [--think 3 6] [--rounds 1] [--steps]
                                [--only stock knotcare1 knotcare2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp
import psycopg2
import requests
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from latency import BIN, ENV, KNOTCARE_SCRIPT, ROOT, STOCK_SCRIPT, train  # noqa: E402

from harness.stack import Stack, cpu_seconds, free_port, machine_busy_seconds, peak_rss_mb, wait_until_up  # noqa: E402

POSTGRES_ADMIN = os.environ.get("KNOTCARE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class Result:
    """What one set-up did under load."""

    name: str
    latencies: List[float] = field(default_factory=list)
    #: latencies by the message's place in the script, to see which turns make the tail
    by_step: Dict[int, List[float]] = field(default_factory=dict)
    errors: List[str] = field(default_factory=list)
    sent: Dict[str, int] = field(default_factory=dict)
    lost: int = 0
    wall: float = 0.0
    memory: Dict[str, Optional[float]] = field(default_factory=dict)
    #: CPU milliseconds per message, by process, and for the whole machine (the databases and nginx too)
    cpu: Dict[str, Optional[float]] = field(default_factory=dict)

    def line(self) -> str:
        """One line of figures."""
        q = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [float("nan")] * 99
        mem = ", ".join(f"{k} {v:.0f} MB" for k, v in self.memory.items() if v)
        cpu = ", ".join(f"{k} {v:.0f}" for k, v in self.cpu.items() if v is not None)
        return (f"{self.name:12s} p50 {statistics.median(self.latencies):6.0f} ms  p95 {q[94]:6.0f} ms  "
                f"p99 {q[98]:6.0f} ms  {len(self.latencies) / self.wall:5.1f} msg/s  {len(self.latencies)} messages  "
                f"errors {len(self.errors)}  lost {self.lost}  peak memory: {mem}  CPU ms per message: {cpu}")

    def steps(self, script: List[str]) -> str:
        """p50/p95 for each message of the script."""
        def p95(values: List[float]) -> float:
            return statistics.quantiles(values, n=100)[94] if len(values) > 1 else float("nan")
        return "\n".join(f"{'':12s} message {i + 1} {text[:40]!r:44s} p50 {statistics.median(v):5.0f} ms  "
                         f"p95 {p95(v):5.0f} ms" for i, text in enumerate(script) if (v := self.by_step.get(i)))


async def person(session: aiohttp.ClientSession, url: str, script: List[str], think: Tuple[float, float],
                 rounds: int, result: Result) -> None:
    """One person's conversations, `rounds` of them one after another: each message after the reply to the
    last and a think time."""
    await asyncio.sleep(random.uniform(0, think[1]))  # people do not all start in the same millisecond
    for _ in range(rounds):
        sender = f"load-{uuid.uuid4().hex[:10]}"
        result.sent[sender] = 0
        for step, text in enumerate(script):
            start = time.perf_counter()
            try:
                async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                        timeout=aiohttp.ClientTimeout(total=60)) as response:
                    await response.read()
                    if response.status != 200:
                        result.errors.append(f"HTTP {response.status}")
                        continue
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                result.errors.append(type(error).__name__)
                continue
            result.latencies.append((time.perf_counter() - start) * 1000)
            result.by_step.setdefault(step, []).append(result.latencies[-1])
            result.sent[sender] += 1
            await asyncio.sleep(random.uniform(*think))


async def load(url: str, script: List[str], users: int, think: Tuple[float, float], rounds: int,
               result: Result) -> None:
    """Run `users` people at once against `url`, each holding `rounds` conversations."""
    connector = aiohttp.TCPConnector(limit=0)
    # Behind nginx (scale mode) REST needs its token (channels/rest.py); scripts/env.sh keeps one in var/.
    kept = ROOT / "var" / "rest-token"
    token = os.environ.get("KNOTCARE_REST_TOKEN") or (kept.read_text().strip() if kept.exists() else "")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        start = time.monotonic()
        await asyncio.gather(*(person(session, url, script, think, rounds, result) for _ in range(users)))
        result.wall = time.monotonic() - start


def count_lost(url: str, token: str, result: Result) -> None:
    """Messages answered with 200 but missing from the conversation's tracker (or stored twice)."""
    for sender, answered in result.sent.items():
        events = requests.get(f"{url}/conversations/{sender}/tracker", params={"token": token,
                              "include_events": "ALL"}, timeout=60).json()["events"]
        stored = sum(1 for e in events if e["event"] == "user")
        result.lost += abs(answered - stored)


def run(name: str, url: str, token: str, script: List[str], args: argparse.Namespace,
        pids: Dict[str, int], api_url: Optional[str] = None) -> Result:
    """Load one set-up, count what was lost (trackers read at `api_url`, else `url`), read peak memory."""
    result = Result(name)
    before = {label: cpu_seconds(pid) for label, pid in pids.items()}
    machine_before = machine_busy_seconds()
    asyncio.run(load(url, script, args.users, tuple(args.think), args.rounds, result))
    after = {label: cpu_seconds(pid) for label, pid in pids.items()}
    machine_after = machine_busy_seconds()
    per_message = 1000 / max(len(result.latencies), 1)
    result.cpu = {label: (after[label] - before[label]) * per_message
                  if before[label] is not None and after[label] is not None else None for label in pids}
    if machine_before is not None and machine_after is not None:
        # Includes this client and anything else running: run the benchmark on a quiet machine.
        result.cpu["machine"] = (machine_after - machine_before) * per_message
    count_lost(api_url or url, token, result)
    result.memory = {label: peak_rss_mb(pid) for label, pid in pids.items()}
    print(result.line(), flush=True)
    if args.steps:
        print(result.steps(script), flush=True)
    return result


class Database:
    """A PostgreSQL database of the run's own."""

    def __init__(self) -> None:
        self.name = f"knotcare_load_{uuid.uuid4().hex[:8]}"
        self.admin = psycopg2.connect(POSTGRES_ADMIN, connect_timeout=5)
        self.admin.autocommit = True
        with self.admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.name}"')
        self.url = make_url(POSTGRES_ADMIN).set(database=self.name)

    def drop(self) -> None:
        """Drop it (ending any connection left)."""
        with self.admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.name,))
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        self.admin.close()


def stock_bot(work: Path, args: argparse.Namespace) -> None:
    """Train and serve the stock `rasa init` bot, load it, stop it."""
    stock_dir = work / "stock"
    stock_dir.mkdir()
    train([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(stock_dir)], work)
    model = next((stock_dir / "models").glob("*.tar.gz"))
    port, token = free_port(), uuid.uuid4().hex
    endpoints = stock_dir / "load-endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {stock_dir / 'tracker.db'}\n")
    process = subprocess.Popen([str(BIN / "rasa"), "run", "-m", str(model), "-i", "127.0.0.1", "-p", str(port),
                                "--enable-api", "--auth-token", token, "--endpoints", str(endpoints)],
                               cwd=stock_dir, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, None, 300)
        run("rasa init", f"http://127.0.0.1:{port}", token, STOCK_SCRIPT, args, {"rasa": process.pid})
    finally:
        process.terminate()
        process.wait(timeout=30)


def one_instance(work: Path, model: Path, args: argparse.Namespace) -> None:
    """One Rasa instance and one action server, tracker store and knowledge base in PostgreSQL."""
    db = Database()
    url = db.url
    stack = Stack(model=model, work=work / "one", database_url=url.render_as_string(hide_password=False),
                  tracker_store={"type": "stores.tracker.ForgetfulSQLTrackerStore", "dialect": "postgresql",
                                 "url": url.host, "port": url.port or 5432, "db": url.database,
                                 "username": url.username or "postgres"},
                  extra_env={"SQL_POOL_SIZE": "10", "SQL_MAX_OVERFLOW": "10"})
    try:
        stack.start()
        run("knotcare x1", stack.rasa_url, stack.token, KNOTCARE_SCRIPT, args,
            {"rasa": stack.rasa.pid, "actions": stack.actions.pid})
    finally:
        stack.stop()
        db.drop()


def two_instances(work: Path, args: argparse.Namespace) -> None:
    """Scale mode (scripts/scale.sh) on free ports, loaded through nginx."""
    import redis

    db = Database()
    prefix = f"kcload{uuid.uuid4().hex[:8]}"
    run_dir = work / "scale"
    port, token = free_port(), uuid.uuid4().hex
    env = {**ENV, "DATABASE_URL": db.url.render_as_string(hide_password=False), "SCALE_RUN_DIR": str(run_dir),
           "RASA_PORT": str(port), "ACTIONS_PORT": str(free_port()), "WEB_PORT": str(free_port()),
           "SCALE_RASA_PORTS": f"{free_port()} {free_port()}", "SCALE_ACTION_PORTS": f"{free_port()} {free_port()}",
           "SCALE_LOCK_PREFIX": prefix, "RASA_AUTH_TOKEN": token, "SCALE_WEB_APP_PORT": str(free_port())}
    log = (work / "scale.log").open("w")
    process = subprocess.Popen(["bash", "scripts/scale.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while not (run_dir / "ready").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"scale mode did not start:\n{(work / 'scale.log').read_text()[-3000:]}")
            time.sleep(1)
        pids = dict(line.split() for line in (run_dir / "pids").read_text().splitlines())
        # Trackers are read on an instance: nginx serves no HTTP API.
        instance = env["SCALE_RASA_PORTS"].split()[0]
        run("knotcare x2", f"http://127.0.0.1:{port}", token, KNOTCARE_SCRIPT, args,
            {name: int(pid) for name, pid in pids.items()}, api_url=f"http://127.0.0.1:{instance}")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        client = redis.Redis(host=os.environ.get("REDIS_HOST", "127.0.0.1"), db=1)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        db.drop()


def main() -> int:
    """Run the chosen set-ups one after another and print a line of figures for each."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50, help="people talking at the same time")
    parser.add_argument("--think", type=float, nargs=2, default=[3.0, 6.0], metavar=("MIN", "MAX"),
                        help="seconds a person takes to read and type the next message")
    parser.add_argument("--rounds", type=int, default=1,
                        help="conversations each person holds one after another (more messages, steadier p95/p99)")
    parser.add_argument("--steps", action="store_true", help="also print p50/p95 for each message of the script")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "knotcare.tar.gz")
    parser.add_argument("--only", nargs="+", choices=["stock", "knotcare1", "knotcare2"],
                        default=["stock", "knotcare1", "knotcare2"])
    args = parser.parse_args()
    print(f"{args.users} concurrent conversations, think time {args.think[0]:g}-{args.think[1]:g} s, "
          f"{len(KNOTCARE_SCRIPT)} messages each, {args.rounds} after another per person, {os.cpu_count()} CPUs",
          flush=True)
    work = Path(tempfile.mkdtemp(prefix="knotcare-load-"))
    try:
        if "stock" in args.only:
            stock_bot(work, args)
        if "knotcare1" in args.only:
            one_instance(work, args.model.resolve(), args)
        if "knotcare2" in args.only:
            two_instances(work, args)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
