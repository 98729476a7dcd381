"""Latency of Knotcare beside the stock `rasa init` bot, trained and measured in the same run.

Trains both models (timing each), starts each Rasa server (and Knotcare's action
server) on free loopback ports, holds scripted conversations over the REST
channel, and prints per-message p50/p95 latency, messages per second, training
time and peak memory (VmHWM) of every server process.

Usage: python benchmarks/latency.py [--conversations 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import requests

from harness.stack import Stack, free_port, peak_rss_mb, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}

KNOTCARE_SCRIPT = ["hi", "knot under my right shoulder blade, dull ache, 3 weeks, about 5/10", "/deny", "/deny",
                   "/deny", "how long should i hold the pressure?", "is it normal to be sore after?", "thanks"]
STOCK_SCRIPT = ["hello", "I am feeling great", "are you a bot?", "I am sad", "yes", "no", "thanks", "bye"]


def train(args: Sequence[str], cwd: Path) -> float:
    start = time.monotonic()
    subprocess.run(list(args), cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def converse(url: str, script: List[str], conversations: int) -> List[float]:
    """Send every message of the script in `conversations` fresh conversations; latencies in ms."""
    latencies: List[float] = []
    session = requests.Session()
    for _ in range(conversations):
        sender = f"bench-{uuid.uuid4().hex[:8]}"
        for text in script:
            start = time.perf_counter()
            response = session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                    timeout=60)
            latencies.append((time.perf_counter() - start) * 1000)
            response.raise_for_status()
    return latencies


def report(name: str, latencies: List[float], wall: float, train_s: float, memory: Dict[str, Optional[float]]) -> Dict:
    qs = statistics.quantiles(latencies, n=100)
    row = {"name": name, "p50": statistics.median(latencies), "p95": qs[94], "rate": len(latencies) / wall,
           "n": len(latencies), "train": train_s, "memory": memory}
    mem = ", ".join(f"{k} {v:.0f} MB" for k, v in memory.items() if v)
    print(f"{name:10s} p50 {row['p50']:6.1f} ms  p95 {row['p95']:6.1f} ms  {row['rate']:5.1f} msg/s  "
          f"({row['n']} messages)  trained in {train_s:5.0f} s  peak memory: {mem}")
    return row


def main() -> int:
    """Train, serve and measure both bots; print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--model", type=Path, help="measure this Knotcare model instead of training one")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="knotcare-bench-"))
    processes: List[subprocess.Popen] = []
    try:
        # The reference: the stock bot, as `rasa init` makes it.
        stock_dir = work / "stock"
        stock_dir.mkdir()
        stock_train = train([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(stock_dir)], work)
        stock_model = next((stock_dir / "models").glob("*.tar.gz"))
        # Ours, trained from scratch into a temporary folder (the cache is bypassed with --force).
        ours_train = float("nan") if args.model else train(
            [str(BIN / "rasa"), "train", "--domain", "domain", "--data", "data/nlu", "data/rules", "data/stories",
             "--force", "--out", str(work / "ours"), "--fixed-model-name", "knotcare"], ROOT)
        ours_model = args.model.resolve() if args.model else work / "ours" / "knotcare.tar.gz"

        rows = []
        stock_port = free_port()
        # The same tracker store as ours (SQLite), so the comparison is like for like.
        stock_endpoints = stock_dir / "bench-endpoints.yml"
        stock_endpoints.write_text(
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {stock_dir / 'tracker.db'}\n")
        stock = subprocess.Popen([str(BIN / "rasa"), "run", "-m", str(stock_model), "-i", "127.0.0.1", "-p",
                                  str(stock_port), "--endpoints", str(stock_endpoints)], cwd=stock_dir, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(stock)
        wait_until_up(f"http://127.0.0.1:{stock_port}/", stock, None, 240)
        start = time.monotonic()
        latencies = converse(f"http://127.0.0.1:{stock_port}", STOCK_SCRIPT, args.conversations)
        rows.append(report("rasa init", latencies, time.monotonic() - start, stock_train,
                           {"rasa": peak_rss_mb(stock.pid)}))
        stock.terminate()

        stack = Stack(model=ours_model, work=work / "stack").start()
        processes += [p for p in (stack.rasa, stack.actions) if p is not None]
        start = time.monotonic()
        latencies = converse(stack.rasa_url, KNOTCARE_SCRIPT, args.conversations)
        rows.append(report("knotcare", latencies, time.monotonic() - start, ours_train,
                           {"rasa": peak_rss_mb(stack.rasa.pid), "actions": peak_rss_mb(stack.actions.pid)}))
        ratio = rows[1]["p50"] / rows[0]["p50"]
        print(f"knotcare p50 / stock p50 = {ratio:.2f} (goal: at most 1.2)")
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
