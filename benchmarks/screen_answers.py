"""Typed answers to the red-flag screen, labelled blind: how many are read as meant, and the unsafe ones.

Starts its own action server and Rasa with the trained model unless --url and --token point at a running one.
Target: no yes, doubt or other answer read as a no (harness/screen_answers.py says how each is read).

Usage: python benchmarks/screen_answers.py [--file F] [--model M] [--url U --token T] [--show-misses]
"""

from __future__ import annotations

from harness.screen_answers import load_answers, read_all, summary
from harness.vignettes import assistant_at, assistant_options
from knotcare.config import ROOT

DEFAULT_FILE = ROOT / "tests" / "nlu" / "blind_screen_answers" / "answers.yml"


def main() -> int:
    """Read every answer and print the figures (and, with --show-misses, each answer not read as meant)."""
    args = assistant_options(__doc__.splitlines()[0], DEFAULT_FILE).parse_args()

    answers = load_answers(args.file)
    with assistant_at(args.url, args.token, args.model) as assistant:
        readings = read_all(assistant, answers)
    result = summary(readings)
    print(f"typed screen answers: {len(readings)}  ({args.file})")
    for means in ("yes", "no", "unsure", "other"):
        right, total = result[means]
        print(f"  meant {means:<7} read as meant {right}/{total}")
    print(f"red flags named in an answer, all read  {result['flags'][0]}/{result['flags'][1]}")
    print(f"unsafe (a yes, a doubt or another answer read as a no)  {len(result['unsafe'])}  (target 0)")
    print(f"question not reached  {len(result['not_reached'])}")
    if args.show_misses:
        for r in readings:
            if not r.right or r.flags_missed:
                print(f"  {r.answer.id} {r.answer.question} {r.answer.subject}: meant {r.answer.means}"
                      f" {sorted(r.answer.red_flags)}; read {r.read_as} {sorted(r.red_flags)} {r.level or ''}"
                      f" :: {r.answer.text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
