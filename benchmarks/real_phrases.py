"""Real messages from public corpora, labelled blind: region recall, false regions, subject accuracy.

Starts its own action server and Rasa with the trained model unless --url and --token point at a running one.
Targets (issue "real words, real writers"): region recall >= 95%, at most 2% of messages with a false
region, subject right >= 98%.

Usage: python benchmarks/real_phrases.py [--file F] [--model M] [--url U --token T] [--show-misses]
"""

from __future__ import annotations

import sys

from harness.real_phrases import figures, load_messages, read_all
from harness.vignettes import assistant_at, assistant_options
from knotcare.config import ROOT

DEFAULT_FILE = ROOT / "tests" / "nlu" / "real_phrases" / "messages.yml"


def main() -> int:
    """Read every message and print the figures (and, with --show-misses, each miss)."""
    args = assistant_options(__doc__.splitlines()[0], DEFAULT_FILE).parse_args()

    messages = load_messages(args.file)
    with assistant_at(args.url, args.token, args.model) as assistant:
        readings = read_all(assistant, messages)

    result = figures(readings)
    print(f"real messages: {result.messages}  ({args.file})")
    print(f"region recall   {result.recalled}/{result.gold_regions} = {result.recall:.1%}  (target 95%)")
    print(f"false regions   {result.with_false_region}/{result.messages} messages = {result.false_rate:.1%}"
          "  (target <= 2%)")
    print(f"subject right   {result.subject_right}/{result.messages} = {result.subject_rate:.1%}  (target 98%)")
    print(f"naming a region, not understood  {result.region_not_understood}/{result.with_region}  (target 0)")
    if result.flagged or result.unflagged:
        print(f"red flag read   {result.flag_read}/{result.flagged} messages with one"
              f"   false red flag {result.false_flag}/{result.unflagged} messages with none")
        print(f"serious, decided at once at their level or above  {result.serious_in_time}/{result.serious}"
              f"   dangerous misses {result.dangerous_misses}  (target 0)")
    if args.show_misses:
        for r in readings:
            missed = set(r.message.regions) - r.recalled
            flags = r.message.red_flags
            wrong_flags = flags is not None and bool(flags) != bool(r.red_flags)
            not_taken_up = bool(r.message.regions) and r.not_understood
            if missed or r.false_regions or r.subject != r.message.subject or wrong_flags or r.under_triaged \
                    or not_taken_up:
                print(f"  {r.message.id}: gold {sorted(r.message.regions)} {r.message.subject}"
                      f" {sorted(flags or ())} {r.message.level or ''}; read {sorted(r.regions)} {r.subject}"
                      f" {sorted(r.red_flags)} {r.level or ''}{' NOT UNDERSTOOD' if not_taken_up else ''}"
                      f" :: {r.message.text[:160]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
