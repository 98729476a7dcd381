"""Triage vignettes end to end: sensitivity for emergency and urgent, exact-level accuracy, over-triage.

Each vignette in tests/triage/vignettes.yml is held as a whole conversation with
the running assistant (NLU, intake form, red-flag screen, triage engine), and
the decision is read from the tracker. Starts its own action server and Rasa
with the trained model unless --url and --token point at a running one.

Usage: python benchmarks/triage_vignettes.py [--file F] [--model M] [--url U --token T] [--only ID,..] [--show-misses]
       [--gate]
--gate exits 1 on any under-triaged emergency or urgent vignette, any dangerous miss, or exact accuracy below 90%.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List, Sequence

from knotcare.config import ROOT
from knotcare.stack import Stack
from knotcare.vignettes import Assistant, Outcome, load_vignettes, run_vignette, summarise

#: The bar in clinical-red-flags.md: every emergency and urgent case caught, 90% at exactly the right level.
EXACT_TARGET = 0.90


def run_all(assistant: Assistant, path: Path, only: Sequence[str] = ()) -> List[Outcome]:
    """Every vignette of the file (or only the named ones), four conversations at a time."""
    vignettes = [v for v in load_vignettes(path) if not only or v.id in only]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda v: run_vignette(assistant, v, f"vignette-{v.id}-{uuid.uuid4().hex[:6]}"),
                             vignettes))


def main() -> int:
    """Run the vignettes and print the figures; with --gate, fail on under-triage or low accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=ROOT / "tests" / "triage" / "vignettes.yml")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "knotcare.tar.gz")
    parser.add_argument("--url", help="a running Rasa server (else one is started)")
    parser.add_argument("--token", default="", help="its HTTP API token")
    parser.add_argument("--show-misses", action="store_true", help="print the transcript of every miss")
    parser.add_argument("--gate", action="store_true", help="exit 1 below the safety bar")
    parser.add_argument("--only", default="", help="comma-separated vignette ids to run")
    args = parser.parse_args()

    stack = None
    if args.url:
        assistant = Assistant(args.url, args.token)
    else:
        stack = Stack(model=args.model, work=Path(tempfile.mkdtemp(prefix="vignettes-"))).start()
        assistant = Assistant(stack.rasa_url, stack.token)
    try:
        outcomes = run_all(assistant, args.file, [x for x in args.only.split(",") if x])
    finally:
        if stack:
            stack.stop()

    summary = summarise(outcomes)
    print(f"vignettes: {summary.total}  ({args.file})")
    for level, caught in summary.caught.items():
        print(f"sensitivity {level:<10} {caught}  (decided at this level or a more urgent one)")
    print(f"exact level     {summary.exact}/{summary.total} = {summary.exact_rate:.1%}  (target {EXACT_TARGET:.0%})")
    print(f"over-triage     {summary.over}/{summary.total} = {summary.over_rate:.1%}")
    print(f"under-triage    {summary.under}/{summary.total}")
    print(f"dangerous misses {summary.dangerous}  (emergency or urgent given a routine, gentle advice or nothing)")
    if summary.subject:
        print(f"subject right   {summary.subject}")
    print("exact by gold level: " + ", ".join(f"{k} {v}" for k, v in summary.per_level.items()))
    misses = [o for o in outcomes if not o.exact]
    for outcome in misses:
        v = outcome.vignette
        print(f"  MISS {v.id}: gold {v.gold}, got {outcome.level} {outcome.slots.get('triage_rule_ids')}"
              f"{'  (' + outcome.error + ')' if outcome.error else ''}")
    for outcome in outcomes:
        if outcome.subject_right is False:
            v = outcome.vignette
            print(f"  SUBJECT {v.id}: gold {v.subject}, got {outcome.slots.get('subject')}")
        if args.show_misses:
            print("    " + "\n    ".join(outcome.transcript))
    unsafe = [o for o in outcomes if o.vignette.gold in ("emergency", "urgent") and o.under_triaged]
    if args.gate and (unsafe or summary.dangerous or summary.exact_rate < EXACT_TARGET):
        print(f"GATE FAILED: {len(unsafe)} under-triaged emergency/urgent, exact {summary.exact_rate:.1%}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
