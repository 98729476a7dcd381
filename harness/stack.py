"""Start the assistant's servers (action server + Rasa) on free loopback ports, for tests and benchmarks.

One launcher for the end-to-end tests, the benchmarks and later the scale and
fault tests, so they all start the stack the same way `make run` does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
import yaml

from knotcare.config import ROOT

BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Optional[Path], limit: float) -> None:
    """Poll `url` until it answers 2xx; raise with the log's tail if the process dies or time runs out."""
    def tail() -> str:
        return log.read_text(errors="replace")[-3000:] if log and log.exists() else ""

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited early\n{tail()}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {limit:.0f}s\n{tail()}")


def peak_rss_mb(pid: int) -> Optional[float]:
    """A process's peak resident memory (VmHWM) in MB, from /proc; None where unavailable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> Optional[float]:
    """CPU time (user + system) a process has used so far, in seconds, from /proc; None where unavailable."""
    try:
        # The command name (field 2) may hold spaces: the counters follow its closing parenthesis.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> Optional[float]:
    """CPU time every core of the machine has spent busy (not idle or waiting for I/O), from /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    ticks = [int(v) for v in first[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _stop(process: Optional[subprocess.Popen], grace: float = 20) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class Stack:
    """An action server and a Rasa server with one model, each on its own free port, logs in `work`."""

    model: Path
    work: Path
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    actions_port: int = field(default_factory=free_port)
    rasa_port: int = field(default_factory=free_port)
    actions: Optional[subprocess.Popen] = None
    rasa: Optional[subprocess.Popen] = None
    #: a credentials file for Rasa (channels); None: the repository's credentials.yml
    credentials: Optional[Path] = None
    #: more environment for both servers (e.g. secrets a credentials file reads as ${VAR})
    extra_env: Dict[str, str] = field(default_factory=dict)
    #: more arguments for `rasa run` (e.g. ["--cors", "http://localhost:8080"] for the web page)
    rasa_args: List[str] = field(default_factory=list)
    #: The tracker store's endpoints entry; None: a SQLite file in `work` (forgetful, see stores/tracker.py).
    tracker_store: Optional[Dict[str, Any]] = None
    #: The lock store's endpoints entry; None: Rasa's in-memory lock store (one instance).
    lock_store: Optional[Dict[str, Any]] = None
    #: More endpoints entries (event broker, ...), written as given.
    endpoints_extra: Dict[str, Any] = field(default_factory=dict)
    #: The knowledge base URL; None: a SQLite file in `work`.
    database_url: Optional[str] = None
    #: Use this other stack's action server instead of starting one (several Rasa instances, one action server).
    shared_actions: Optional["Stack"] = None

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        """Base URL of the action server."""
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def env(self) -> Dict[str, str]:
        """The environment both servers run with: their own SQLite files, telemetry off."""
        return {**os.environ, "DATABASE_URL": self.database_url or f"sqlite:///{self.work / 'kb.db'}",
                "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", **self.extra_env}

    def endpoints(self) -> Dict[str, Any]:
        """The endpoints file's content: this stack's action server, tracker store, lock store and extras."""
        if self.shared_actions is not None:
            self.actions_port = self.shared_actions.actions_port
        config: Dict[str, Any] = {
            "action_endpoint": {"url": f"{self.actions_url}/webhook", "enable_selective_domain": True,
                                **self._action_headers()},
            "tracker_store": self.tracker_store or {"type": "stores.tracker.ForgetfulSQLTrackerStore",
                                                    "dialect": "sqlite", "db": str(self.work / "tracker.db")},
        }
        if self.lock_store:
            config["lock_store"] = self.lock_store
        return {**config, **self.endpoints_extra}

    def _action_headers(self) -> Dict[str, Any]:
        """The secret the action server asks of Rasa, when the environment sets one (actions/server.py)."""
        token = self.env.get("KNOTCARE_ACTIONS_TOKEN")
        return {"headers": {"Authorization": f"Bearer {token}"}} if token else {}

    def start(self) -> "Stack":
        """Start the action server, then Rasa; return when both answer."""
        self.work.mkdir(parents=True, exist_ok=True)
        endpoints = self.work / "endpoints.yml"
        endpoints.write_text(yaml.safe_dump(self.endpoints(), sort_keys=False))
        if self.shared_actions is None:
            self.start_actions()
        self.start_rasa()
        return self

    def start_rasa(self) -> None:
        """(Re)start the Rasa server with the endpoints file written by `start`; return when it answers."""
        endpoints = self.work / "endpoints.yml"
        log = self.work / "rasa.log"
        self.rasa = subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", str(self.model), "--enable-api", "--auth-token", self.token,
             "--interface", "127.0.0.1", "--port", str(self.rasa_port), "--endpoints", str(endpoints),
             "--credentials", str(self.credentials or ROOT / "credentials.yml"), *self.rasa_args],
            cwd=ROOT, env=self.env, stdout=log.open("a"), stderr=subprocess.STDOUT,
        )
        wait_until_up(f"{self.rasa_url}/", self.rasa, log, 240)

    def stop_rasa(self) -> None:
        """Stop the Rasa server only (fault tests)."""
        _stop(self.rasa)

    def start_actions(self) -> None:
        """(Re)start the action server and wait for its health check; nothing to do while it runs."""
        if self.actions is not None and self.actions.poll() is None:
            return  # a second one could not bind the port, and the first would be left running untracked
        log = self.work / "actions.log"
        self.actions = subprocess.Popen(
            [str(BIN / "knotcare"), "actions", "--port", str(self.actions_port)],
            cwd=ROOT, env=self.env, stdout=log.open("a"), stderr=subprocess.STDOUT,
        )
        wait_until_up(f"{self.actions_url}/health", self.actions, log, 60)

    def stop_actions(self) -> None:
        """Stop the action server only (fault tests)."""
        _stop(self.actions)

    def stop(self, grace: float = 20) -> None:
        """Stop both servers, each given `grace` seconds to finish before it is killed."""
        _stop(self.rasa, grace)
        _stop(self.actions, grace)

    def pids(self) -> List[int]:
        """Process ids of the running servers."""
        return [p.pid for p in (self.rasa, self.actions) if p is not None and p.poll() is None]
