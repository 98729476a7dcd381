"""A newcomer's first `make run`: a fresh clone, a fresh HOME and empty caches, to the first REST reply.

Clones this repository into a temporary folder, sets HOME (and with it the pip, uv and npm caches) to an
empty folder there, runs `make run` and times, from its own output: installing (until training starts),
training, and starting the servers until the first REST reply. Then stops it and runs `make run` again
(nothing changed: no install, no training) and times that to its first reply. The first message is
"I have back pain": the reply must ask which part of the back.

Usage: python benchmarks/first_run.py [--repo PATH] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

import requests

from harness.stack import free_port

ROOT = Path(__file__).resolve().parents[1]
FIRST_MESSAGE = "I have back pain"
EXPECTED = "which part of your back"
#: The markers `make run` prints (scripts/train-if-changed.sh, scripts/run.sh).
TRAIN_START, TRAIN_END, SERVERS_START = "training data changed", "trained in", "starting the action server"


class MakeRun:
    """`make run` in a clone, its output lines timestamped as they come."""

    def __init__(self, clone: Path, env: Dict[str, str]) -> None:
        self.start = time.monotonic()
        self.lines: List[tuple] = []
        self.process = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic() - self.start, line.rstrip()))

    def seconds_at(self, marker: str) -> Optional[float]:
        """When a line with `marker` was printed (seconds from the start), or None."""
        return next((t for t, line in self.lines if marker in line), None)

    def stop(self) -> None:
        """Stop make and everything it started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def first_reply(run: MakeRun, url: str, limit: float) -> tuple:
    """Send the first message until Rasa answers; (seconds from the start, reply text)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if run.process.poll() is not None:
            raise SystemExit("make run stopped:\n" + "\n".join(line for _, line in run.lines[-40:]))
        try:
            replies = requests.post(url, json={"sender": "first-run", "message": FIRST_MESSAGE}, timeout=30).json()
            if replies:
                return time.monotonic() - run.start, " ".join(r.get("text") or "" for r in replies)
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("no reply within the limit:\n" + "\n".join(line for _, line in run.lines[-40:]))


def main() -> int:
    """Clone, run twice, print the seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(ROOT), help="what to clone (default: this repository)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="first-run-"))
    clone, home = work / "knotcare", work / "home"
    home.mkdir()
    subprocess.run(["git", "clone", "--quiet", args.repo, str(clone)], check=True)
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "UV_", "NPM_", "npm_", "VIRTUAL_ENV", "RASA_AUTH"))}
    env.update({"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), **{k: str(v) for k, v in ports.items()}})
    # The machine's Python 3.10 is found through pyenv, which lives in the old HOME.
    env.setdefault("PYENV_ROOT", str(Path(os.environ.get("HOME", "/root")) / ".pyenv"))
    url = f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook"
    try:
        run = MakeRun(clone, env)
        try:
            seconds, reply = first_reply(run, url, limit=1800)
        finally:
            run.stop()
        train_start, train_end = run.seconds_at(TRAIN_START), run.seconds_at(TRAIN_END)
        servers = run.seconds_at(SERVERS_START)
        second = MakeRun(clone, env)
        try:
            again, _ = first_reply(second, url, limit=300)
        finally:
            second.stop()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    right = EXPECTED in reply.lower()
    print(f"first make run, fresh clone and empty caches: first reply after {seconds:.0f} s (target 300 s)")
    if train_start is not None and train_end is not None and servers is not None:
        print(f"  install (venv, uv, web widget, spaCy blank, seed): {train_start:.0f} s")
        print(f"  training: {train_end - train_start:.0f} s (target 120 s)")
        print(f"  servers up and first reply: {seconds - servers:.0f} s")
    print(f"  first reply to {FIRST_MESSAGE!r}: {'right' if right else 'WRONG'}: {reply[:120]!r}")
    print(f"second make run (nothing changed): first reply after {again:.0f} s (target 30 s)")
    return 0 if right else 1


if __name__ == "__main__":
    sys.exit(main())
