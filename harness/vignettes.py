"""Triage vignettes: whole conversations with a gold level, run against the running assistant.

A vignette is what a person would type, the answers they would give to the
intake's questions, and the level a clinician would choose. Running one goes
through everything the product does (NLU, the intake form, the red-flag
screen, the triage engine over the knowledge base) over Rasa's REST channel,
and reads the decision from the tracker. Plain Python and HTTP: the script in
benchmarks/ and the end-to-end test share it.
"""

from __future__ import annotations

import argparse
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

import requests
import yaml

from knotcare.config import ROOT
from knotcare.triage.engine import LEVELS, urgency
from knotcare.triage.screen import SCREEN

#: The most turns a vignette may take before it counts as stuck.
MAX_TURNS = 16
#: The levels whose miss is dangerous: a routine or no decision for one of them is a dangerous miss.
SERIOUS = ("emergency", "urgent")


@dataclass(frozen=True)
class Vignette:
    """One case: the person's messages, their answers to the intake's questions, and the gold level."""

    id: str
    gold: str
    messages: Sequence[str]
    answers: Mapping[str, str] = field(default_factory=dict)
    screen_yes: Sequence[str] = ()
    why: str = ""
    #: whose pain it is (the contract's `subject` slot), when the file says
    subject: Optional[str] = None


@dataclass
class Outcome:
    """What the assistant decided for a vignette, with the transcript for anyone checking."""

    vignette: Vignette
    level: Optional[str]
    slots: Dict[str, Any]
    transcript: List[str]
    error: str = ""

    @property
    def exact(self) -> bool:
        """Decided at exactly the gold level."""
        return self.level == self.vignette.gold

    @property
    def under_triaged(self) -> bool:
        """Decided at a less urgent level than the gold one (or not decided at all)."""
        return self.level not in LEVELS or urgency(self.level) > urgency(self.vignette.gold)

    @property
    def over_triaged(self) -> bool:
        """Decided at a more urgent level than the gold one."""
        return self.level in LEVELS and urgency(self.level) < urgency(self.vignette.gold)

    @property
    def dangerous(self) -> bool:
        """A serious case (gold emergency or urgent) that got a routine, gentle advice only, or no decision."""
        return self.vignette.gold in SERIOUS and self.level not in SERIOUS + ("see_clinician",)

    @property
    def subject_right(self) -> Optional[bool]:
        """Whether the `subject` slot names whose pain it is (None when the vignette does not say)."""
        if self.vignette.subject is None:
            return None
        return (self.slots.get("subject") or "self") == self.vignette.subject


def load_vignettes(path: Path) -> List[Vignette]:
    """Read a vignette file; raise ValueError on an unknown level or screen, or a duplicate id."""
    rows = yaml.safe_load(path.read_text())["vignettes"]
    vignettes = [Vignette(id=r["id"], gold=r["gold"], messages=tuple(r["messages"]),
                          answers=dict(r.get("answers") or {}), screen_yes=tuple(r.get("screen_yes") or ()),
                          why=r.get("why", ""), subject=r.get("subject")) for r in rows]
    ids = [v.id for v in vignettes]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate vignette ids")
    for vignette in vignettes:
        if vignette.gold not in LEVELS:
            raise ValueError(f"{path}: vignette {vignette.id}: unknown level {vignette.gold!r}")
        # A misspelt screen would silently be answered "no", which hides a sign the case says is there.
        unknown = [name for name in vignette.screen_yes if name not in SCREEN]
        if unknown:
            raise ValueError(f"{path}: vignette {vignette.id}: unknown screen {unknown}")
    return vignettes


class Assistant:
    """A small client for the running Rasa server: REST messages and the tracker's slots (and, where known, the
    servers' knowledge base URL, for sets that move time on)."""

    def __init__(self, rasa_url: str, token: str, database_url: Optional[str] = None) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.database_url = database_url
        self.http = requests.Session()

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        """Send one message over the REST channel; return the replies."""
        response = self.http.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                  json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def slots(self, sender: str) -> Dict[str, Any]:
        """The conversation's slots, through the tracker API."""
        response = self.http.get(f"{self.rasa_url}/conversations/{sender}/tracker",
                                 params={"token": self.token}, timeout=30)
        response.raise_for_status()
        return response.json()["slots"]


def assistant_options(description: str, default_file: Path) -> argparse.ArgumentParser:
    """The options of every benchmark run against the assistant: the set (--file), the model to start it with
    (--model) or a running one (--url, --token), and --show-misses."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--file", type=Path, default=default_file)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "knotcare.tar.gz")
    parser.add_argument("--url", help="a running Rasa server (else one is started)")
    parser.add_argument("--token", default="", help="its HTTP API token")
    parser.add_argument("--show-misses", action="store_true", help="print every miss")
    return parser


@contextmanager
def assistant_at(url: Optional[str], token: str, model: Path) -> Iterator[Assistant]:
    """The running assistant at `url`; without one, a stack started with `model` on free ports, then stopped."""
    if url:
        yield Assistant(url, token)
        return
    from harness.stack import Stack

    stack = Stack(model=model, work=Path(tempfile.mkdtemp(prefix="assistant-"))).start()
    try:
        yield Assistant(stack.rasa_url, stack.token, stack.env["DATABASE_URL"])
    finally:
        stack.stop()


def hold_all(assistant: Assistant, vignettes: Sequence[Vignette], prefix: str = "vignette") -> Dict[str, Outcome]:
    """Every vignette held once, four conversations at a time, by id."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        # A REST sender is at most 64 characters (contract): the unique part first, the id as far as it fits.
        outcomes = pool.map(lambda v: run_vignette(assistant, v, f"{prefix}-{uuid.uuid4().hex[:6]}-{v.id}"[:64]),
                            vignettes)
        return {o.vignette.id: o for o in outcomes}


def _reply(vignette: Vignette, requested: str) -> Optional[str]:
    """What the person answers to the intake's question for `requested`, or None if the vignette has no answer."""
    if requested.startswith("screen_"):
        return "/affirm" if requested in vignette.screen_yes else "/deny"
    return vignette.answers.get(requested)


def run_vignette(assistant: Assistant, vignette: Vignette, sender: str) -> Outcome:
    """Hold the vignette's conversation: its messages, then its answers to every question, until a decision."""
    transcript: List[str] = []

    def turn(text: str) -> Dict[str, Any]:
        transcript.append(f"> {text}")
        transcript.extend(f"< {r.get('text', '')[:160]}" for r in assistant.say(sender, text))
        return assistant.slots(sender)

    slots: Dict[str, Any] = {}
    for message in vignette.messages:
        slots = turn(message)
    for _ in range(MAX_TURNS):
        requested = slots.get("requested_slot")
        if not requested or slots.get("triage_level"):
            break  # the decision is what a vignette measures (the plan's own questions may follow)
        answer = _reply(vignette, requested)
        if answer is None:
            return Outcome(vignette, slots.get("triage_level"), slots, transcript,
                           error=f"the vignette has no answer for {requested}")
        slots = turn(answer)
    error = "" if slots.get("triage_level") else "no decision"
    return Outcome(vignette, slots.get("triage_level"), slots, transcript, error=error)


@dataclass(frozen=True)
class Summary:
    """The figures the Safety section reports."""

    total: int
    exact: int
    over: int
    under: int
    caught: Dict[str, str]  # level -> "k/n" for emergency and urgent (at or above the gold level)
    per_level: Dict[str, str]  # gold level -> "exact/n"
    dangerous: int = 0  # serious cases that got a routine, gentle advice only or no decision
    subject: str = ""  # "k/n" vignettes whose subject slot was right, of those that give one

    @property
    def exact_rate(self) -> float:
        """Share of vignettes at exactly the gold level."""
        return self.exact / self.total if self.total else 0.0

    @property
    def over_rate(self) -> float:
        """Share of vignettes sent to a more urgent level than needed."""
        return self.over / self.total if self.total else 0.0


def summarise(outcomes: Sequence[Outcome]) -> Summary:
    """Sensitivity for emergency and urgent, exact-level accuracy, over- and under-triage."""
    caught: Dict[str, str] = {}
    per_level: Dict[str, str] = {}
    for level in LEVELS:
        cases = [o for o in outcomes if o.vignette.gold == level]
        if not cases:
            continue
        per_level[level] = f"{sum(o.exact for o in cases)}/{len(cases)}"
        if level in ("emergency", "urgent"):
            caught[level] = f"{sum(not o.under_triaged for o in cases)}/{len(cases)}"
    judged = [o.subject_right for o in outcomes if o.subject_right is not None]
    return Summary(total=len(outcomes), exact=sum(o.exact for o in outcomes),
                   over=sum(o.over_triaged for o in outcomes), under=sum(o.under_triaged for o in outcomes),
                   caught=caught, per_level=per_level, dangerous=sum(o.dangerous for o in outcomes),
                   subject=f"{sum(judged)}/{len(judged)}" if judged else "")
