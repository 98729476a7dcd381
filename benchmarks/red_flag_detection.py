"""Sentence-level red-flag and condition detection: precision and recall per code.

Reads Rasa NLU files, takes each example's annotated `red_flag` and `condition`
values as the gold codes (annotations mark only affirmed mentions about the
writer), runs the fact extractor, and compares the sets of affirmed codes.

Usage: python benchmarks/red_flag_detection.py [files...] [--show-errors]
Default files: the training data (data/nlu). The held-out set is tests/nlu/test_nlu.yml.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Set, Tuple

import yaml
from rasa.shared.nlu.training_data.loading import load_data

from knotcare.nlp.extractor import default_extractor

ENTITIES = ("red_flag", "condition")


def examples(paths: List[str]) -> List[Tuple[str, str, Dict[str, Set[str]], bool]]:
    """(text, intent or kind, {entity: gold codes}, whether the gold can hold refinements) for every example.

    Two formats: Rasa NLU files (gold = annotated entities), and sentence files
    (`sentences: [{text, red_flags: [...], conditions: [...], kind}]`, as in
    tests/triage/red_flag_sentences.yml).
    """
    out = []
    for path in paths:
        if path.endswith(".yml") and "sentences:" in Path(path).read_text(encoding="utf-8")[:2000]:
            for item in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["sentences"]:
                gold = {"red_flag": set(item.get("red_flags") or ()), "condition": set(item.get("conditions") or ())}
                out.append((item["text"], item.get("kind", "?"), gold, True))
            continue
        for message in load_data(path).training_examples:
            gold = {e: {x["value"] for x in message.get("entities", []) if x["entity"] == e} for e in ENTITIES}
            # An annotated span holds one code: a refinement read beside its code ("rear ended" is
            # high_energy_injury as well as major_trauma) cannot be annotated there.
            out.append((message.get("text"), message.get("intent"), gold, False))
    return out


def main() -> int:
    """Print per-code precision/recall and the sentence-level totals."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", default=["data/nlu"])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    extractor = default_extractor()
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    errors: List[str] = []
    data = examples(args.files)
    for text, intent, gold, refinements in data:
        mentions = extractor.affirmed(text)
        for entity in ENTITIES:
            found = {m.value for m in mentions if m.entity == entity}
            if not refinements:
                found -= extractor.refinements(entity)
            for code in found & gold[entity]:
                tp[code] += 1
            for code in found - gold[entity]:
                fp[code] += 1
                errors.append(f"FALSE {entity}={code} [{intent}] {text}")
            for code in gold[entity] - found:
                fn[code] += 1
                errors.append(f"MISSED {entity}={code} [{intent}] {text}")
    codes = sorted(set(tp) | set(fp) | set(fn))
    print(f"{len(data)} sentences from {', '.join(args.files)}")
    print(f"{'code':32s} {'precision':>9s} {'recall':>7s}   tp  fp  fn")
    for code in codes:
        p = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else 1.0
        r = tp[code] / (tp[code] + fn[code]) if tp[code] + fn[code] else 1.0
        print(f"{code:32s} {p:9.2f} {r:7.2f} {tp[code]:4d} {fp[code]:3d} {fn[code]:3d}")
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'ALL':32s} {total_tp / max(1, total_tp + total_fp):9.2f} {total_tp / max(1, total_tp + total_fn):7.2f}"
          f" {total_tp:4d} {total_fp:3d} {total_fn:3d}")
    if args.show_errors:
        print("\n".join(sorted(errors)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
