"""Red flags typed late in a conversation, labelled blind: caught at every stage, benign remarks left alone.

Starts its own action server and Rasa with the trained model unless --url and --token point at a running one
(check-in cases then need --database-url, the servers' knowledge base). harness/late_flags.py says how each
case is held. Target: no dangerous miss (an emergency or urgent case left with a routine or no decision).

Usage: python benchmarks/late_flags.py [--file F] [--model M] [--url U --token T --database-url D] [--show-misses]
"""

from __future__ import annotations

from harness.late_flags import STAGES, figures, load_cases, run_all
from harness.vignettes import assistant_at, assistant_options
from knotcare.config import ROOT

DEFAULT_FILE = ROOT / "tests" / "triage" / "late_flags_blind.yml"


def main() -> int:
    """Hold every case and print the figures (and, with --show-misses, each miss with its transcript)."""
    parser = assistant_options(__doc__.splitlines()[0], DEFAULT_FILE)
    parser.add_argument("--database-url", help="the running servers' knowledge base (for check-in cases)")
    args = parser.parse_args()

    cases = load_cases(args.file)
    with assistant_at(args.url, args.token, args.model) as assistant:
        assistant.database_url = assistant.database_url or args.database_url
        outcomes = run_all(assistant, cases)
    result = figures(outcomes)
    print(f"late messages: {result['total']}  ({args.file})")
    print(f"{'stage':<12} serious caught   benign left alone")
    for stage in STAGES:
        row = result["per_stage"][stage]
        print(f"{stage:<12} {row['caught']:>3}/{row['serious']:<10} {row['left']:>3}/{row['benign']}")
    caught = sum(r["caught"] for r in result["per_stage"].values())
    serious = sum(r["serious"] for r in result["per_stage"].values())
    print(f"serious caught (sent to a clinician or more urgent)  {caught}/{serious}")
    print(f"dangerous misses  {len(result['dangerous'])}  (target 0)")
    print(f"false alarms      {len(result['false_alarms'])}/{result['total'] - serious}")
    print(f"exact level       {result['exact']}/{result['total']}")
    print(f"red flags named, all read  {result['flags'][0]}/{result['flags'][1]}")
    print(f"stage not reached {len(result['errors'])}")
    if args.show_misses:
        for o in result["missed"] + result["false_alarms"] + result["errors"]:
            kind = "ERROR " + o.error if o.error and o.error != "no decision" else (
                "FALSE ALARM" if o.false_alarm else "DANGEROUS" if o.dangerous else "MISS")
            print(f"  {kind} {o.case.id} [{o.case.stage}] gold {o.case.gold}, got {o.level}"
                  f" flags {sorted(o.red_flags)} (named {sorted(o.case.flags)})")
            print("    " + "\n    ".join(o.transcript[-6:]))
        for o in outcomes:
            if o.flags_missed and not o.missed:
                print(f"  FLAG NOT READ {o.case.id} [{o.case.stage}] {sorted(o.flags_missed)} (level {o.level}):"
                      f" {o.case.message!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
