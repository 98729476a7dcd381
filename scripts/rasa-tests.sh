#!/usr/bin/env bash
# Rasa's own evaluations on the trained model: the held-out NLU set and the test stories.
set -euo pipefail
cd "$(dirname "$0")/.."
model=models/knotcare.tar.gz
rm -rf results/nlu results/core
echo "rasa test nlu on the held-out set (tests/nlu/test_nlu.yml) ..."
.venv/bin/rasa test nlu --nlu tests/nlu/test_nlu.yml --model "$model" --out results/nlu --quiet > results.nlu.log 2>&1 \
  || { tail -50 results.nlu.log; exit 1; }
.venv/bin/python benchmarks/nlu_accuracy.py results/nlu --gate
echo "rasa test core on the test stories (tests/stories/) ..."
.venv/bin/rasa test core --stories tests/stories --model "$model" --out results/core \
  --fail-on-prediction-errors --quiet > results.core.log 2>&1 || { tail -60 results.core.log; cat results/core/failed_test_stories.yml 2>/dev/null | head -80; exit 1; }
echo "rasa test core: all test stories passed"
rm -f results.nlu.log results.core.log
