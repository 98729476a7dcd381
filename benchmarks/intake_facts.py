"""The four intake facts as people type them (blind set): right, wrong, missed and falsely filled, per fact.

Starts its own action server and Rasa with the trained model unless --url and --token point at a running one.

Usage: python benchmarks/intake_facts.py [--file F] [--model M] [--url U --token T] [--show-misses]
"""

from __future__ import annotations

import sys

from harness.facts import FACTS, answer_reached, load_cases, read_all, tally
from harness.vignettes import assistant_at, assistant_options
from knotcare.config import ROOT

DEFAULT_FILE = ROOT / "tests" / "nlu" / "blind_facts" / "messages.yml"


def main() -> int:
    """Hold every case and print, for each fact, how often it was read right."""
    args = assistant_options(__doc__.splitlines()[0], DEFAULT_FILE).parse_args()
    cases = load_cases(args.file)
    with assistant_at(args.url, args.token, args.model) as assistant:
        readings = read_all(assistant, cases)

    print(f"cases: {len(cases)}  ({args.file})")
    print(f"{'fact':<20} {'right':>14} {'wrong':>6} {'missed':>7} {'false fill':>16}")
    for fact, row in tally(readings).items():
        stated, unstated = row["stated"] or 1, row["unstated"] or 1
        print(f"{fact:<20} {row['right']:>4}/{row['stated']:<4} {row['right'] / stated:>5.1%} {row['wrong']:>6}"
              f" {row['missed']:>7} {row['false']:>6}/{row['unstated']:<4} {row['false'] / unstated:>5.1%}")
    for asked in ("none",) + FACTS:
        group = [r for r in readings if r.case.asked == asked]
        if group:
            whole = sum(all(v in ("", "right") for v in r.verdicts.values()) for r in group)
            print(f"asked {asked:<20} every fact right  {whole}/{len(group)} = {whole / len(group):.1%}")
    unreached = [r.case.id for r in readings if answer_reached(r) is False]
    if unreached:
        print(f"question never asked (answer not scored as an answer): {', '.join(unreached)}")
    if args.show_misses:
        for r in readings:
            bad = {f: v for f, v in r.verdicts.items() if v not in ("", "right")}
            if bad:
                shown = ", ".join(f"{f} {v}: gold {r.case.gold.get(f)} read {r.slots.get(f)}" for f, v in bad.items())
                print(f"  {r.case.id} [{r.case.asked}] {shown} :: {r.case.text[:140]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
