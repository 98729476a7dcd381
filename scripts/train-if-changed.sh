#!/usr/bin/env bash
# Train only when the training inputs changed since the last model (a fingerprint
# of config, domain, NLU data, rules, stories, patterns and our components' and policies' code). Rasa
# would check too, but only after ~20 s of loading; this check takes milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
model=models/knotcare.tar.gz
stamp=models/.fingerprint
# The model also carries a copy of the triage rules (policies/safety_net.py), and each component's
# configuration with its defaults as they were at training (components/*.py), so those count too.
fingerprint=$(cat config.yml data/kb/triage_rules.yml $(find domain data/nlu data/rules data/stories data/patterns -type f -name '*.yml' | sort) \
              $(find components policies -type f -name '*.py' | sort) | sha256sum | cut -d' ' -f1)
if [ -f "$model" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
  echo "model is up to date ($model)"
  exit 0
fi
mkdir -p models
echo "training data changed: training $model ..."
start=$(date +%s)
.venv/bin/rasa train --domain domain --data data/nlu data/rules data/stories --fixed-model-name knotcare --out models --quiet
echo "$fingerprint" > "$stamp"
echo "trained in $(( $(date +%s) - start )) s"
