"""Held-out intent macro-F1 over several random seeds: the NLU model of config.yml, trained and tested apart.

One seed's figure moves by about 0.005 from seed to seed, so the gate for a change to the pipeline is the
mean of three. Each seed trains the NLU part alone (`rasa train nlu`, an empty cache of its own) and is
tested on tests/nlu/test_nlu.yml (`rasa test nlu`). Prints each seed's macro-F1 and accuracy, the mean and
the training seconds.

Usage: python benchmarks/nlu_seeds.py [--seeds 42 7 123] [--epochs N] [--config config.yml]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RASA = Path(sys.executable).parent / "rasa"


def with_seed(config: dict, seed: int, epochs: int | None) -> dict:
    """The config with DIET's random seed (and, if given, its epochs) set."""
    for component in config["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["random_seed"] = seed
            if epochs:
                component["epochs"] = epochs
    return config


def run_seed(config_path: Path, seed: int, epochs: int | None, work: Path) -> tuple:
    """Train and test one seed; (macro-F1, accuracy, training seconds)."""
    config = with_seed(yaml.safe_load(config_path.read_text()), seed, epochs)
    seeded = work / f"config-{seed}.yml"
    seeded.write_text(yaml.safe_dump(config, sort_keys=False))
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(work / f"cache-{seed}")}
    start = time.monotonic()
    subprocess.run([str(RASA), "train", "nlu", "--config", str(seeded), "--nlu", "data/nlu", "--out", str(work),
                    "--fixed-model-name", f"nlu-{seed}", "--quiet"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    out = work / f"results-{seed}"
    subprocess.run([str(RASA), "test", "nlu", "--nlu", "tests/nlu/test_nlu.yml", "--model",
                    str(work / f"nlu-{seed}.tar.gz"), "--out", str(out), "--quiet"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = json.loads((out / "intent_report.json").read_text())
    return report["macro avg"]["f1-score"], report["accuracy"], seconds


def main() -> int:
    """Run every seed and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 7, 123])
    parser.add_argument("--epochs", type=int, help="override DIET's epochs")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    args = parser.parse_args()
    scores = []
    with tempfile.TemporaryDirectory(prefix="nlu-seeds-") as folder:
        for seed in args.seeds:
            f1, accuracy, seconds = run_seed(args.config, seed, args.epochs, Path(folder))
            scores.append(f1)
            print(f"seed {seed:>4}: intent macro-F1 {f1:.3f}  accuracy {accuracy:.3f}  NLU training {seconds:.0f} s",
                  flush=True)
    print(f"mean intent macro-F1 over {len(scores)} seeds: {statistics.mean(scores):.4f} "
          f"(min {min(scores):.3f}, max {max(scores):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
