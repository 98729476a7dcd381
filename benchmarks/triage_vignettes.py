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

import sys

from harness.vignettes import assistant_at, assistant_options, hold_all, load_vignettes, summarise
from knotcare.config import ROOT

#: The bar in clinical-red-flags.md: every emergency and urgent case caught, 90% at exactly the right level.
EXACT_TARGET = 0.90


def main() -> int:
    """Run the vignettes and print the figures; with --gate, fail on under-triage or low accuracy."""
    parser = assistant_options(__doc__.splitlines()[0], ROOT / "tests" / "triage" / "vignettes.yml")
    parser.add_argument("--gate", action="store_true", help="exit 1 below the safety bar")
    parser.add_argument("--only", default="", help="comma-separated vignette ids to run")
    args = parser.parse_args()

    only = [x for x in args.only.split(",") if x]
    vignettes = [v for v in load_vignettes(args.file) if not only or v.id in only]
    with assistant_at(args.url, args.token, args.model) as assistant:
        outcomes = list(hold_all(assistant, vignettes).values())

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
