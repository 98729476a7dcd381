# Knotcare: `make run` starts the assistant, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
SPACY_MODEL := build/spacy-en-blank/meta.json
ENV := source scripts/env.sh &&
WEBCHAT := web/vendor/.installed

.PHONY: help run test install seed train lint validate test-fast test-unit test-integration test-rasa test-e2e benchmark clean scale load-benchmark

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

run: install $(SPACY_MODEL) seed train ## set up, seed, train if data changed, start actions + Rasa + web page
	@bash scripts/run.sh

# Tiers: the fast one (lint, data validation, unit and action tests: no model, about a minute) fails first, while
# the model trains beside it; then the tiers that need the model (integration, servers, browser, scale, Rasa's own
# tests). Rasa is CPU-bound on one core and a turn waits on the action server and the stores, so the conversation
# sets (tests/e2e/*.py, one shared stack) and then tier 4 run beside the rest of tier 3 (their own servers).
TIER3_SETS := tests/e2e --ignore=tests/e2e/channels --ignore=tests/e2e/clinic --ignore=tests/e2e/security \
	--ignore=tests/e2e/scale
TIER3_REST := tests/integration --ignore=tests/integration/actions tests/e2e/channels tests/e2e/clinic \
	tests/e2e/security tests/e2e/scale
test: install $(SPACY_MODEL) ## every test: unit, integration (SQLite + PostgreSQL), Rasa data/NLU/stories, end-to-end
	@mkdir -p build; t=$$(date +%s); \
	  ( $(MAKE) --no-print-directory train > build/train.log 2>&1; echo $$? > build/train.rc ) & \
	  $(MAKE) --no-print-directory lint validate && $(ENV) $(BIN)/pytest -q -p no:cacheprovider tests/unit \
	    tests/integration/actions; tier1=$$?; \
	  echo "tier 1 (lint, validate, unit and action tests): $$(( $$(date +%s) - t )) s"; wait; \
	  tail -2 build/train.log; echo "tier 2 (training, beside tier 1): $$(( $$(date +%s) - t )) s from the start"; \
	  [ $$tier1 -eq 0 ] && [ "$$(cat build/train.rc)" = 0 ]
	@t=$$(date +%s); \
	  ( $(ENV) $(BIN)/pytest -q -p no:cacheprovider --durations=10 $(TIER3_SETS) && \
	    echo "conversation sets (tests/e2e/*.py): $$(( $$(date +%s) - t )) s" && \
	    $(MAKE) --no-print-directory test-rasa && echo "tier 4 (Rasa NLU gate, test stories): $$(( $$(date +%s) - t )) s"; \
	    echo $$? > build/tier3-sets.rc ) > build/tier3-sets.log 2>&1 & \
	  $(ENV) $(BIN)/pytest -q -p no:cacheprovider --durations=10 $(TIER3_REST) && \
	    echo "tier 3 (integration, channels, clinic, security, scale): $$(( $$(date +%s) - t )) s"; \
	  rest=$$?; wait; echo "--- beside it, the conversation sets and tier 4:"; cat build/tier3-sets.log; \
	  echo "tiers 3 and 4: $$(( $$(date +%s) - t )) s"; [ $$rest -eq 0 ] && [ "$$(cat build/tier3-sets.rc)" = 0 ]

install: $(VENV)/.installed $(WEBCHAT) ## make .venv, install pinned dependencies and the web page's libraries (when they changed)

# uv (from PyPI) installs the same pinned set as pip in a fraction of the time (downloads in parallel, no
# resolver backtracking); pip is the fallback where uv cannot run.
UV_VERSION := 0.9.5
$(VENV)/.installed: pyproject.toml constraints.txt scripts/find-python.sh
	@py=$$(bash scripts/find-python.sh) && echo "using $$py" && \
	  { [ -x $(BIN)/python ] || $$py -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) 2>/dev/null \
	  && $(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[dev]' \
	  || { echo "uv failed: installing with pip"; $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'; }
	@touch $@

# The web page's libraries (socket.io-client, markdown-it; axe-core for the tests), pinned in
# package-lock.json: npm ci when the lock changed, then copied into web/vendor/ (knotcare/webchat.py).
node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the web widget: install Node.js and npm (Debian: apt-get install -y npm)" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(WEBCHAT): node_modules/.installed $(VENV)/.installed knotcare/webchat.py
	@$(BIN)/knotcare web vendor --node-modules node_modules --target web/vendor
	@touch $@

$(SPACY_MODEL): $(VENV)/.installed
	@$(ENV) $(BIN)/knotcare nlp build --out build/spacy-en-blank

seed: install ## load the reviewed YAML under data/kb into the knowledge base (when changed)
	@$(ENV) $(BIN)/knotcare db seed --if-needed

train: install $(SPACY_MODEL) ## train the model when the training data changed
	@$(ENV) bash scripts/train-if-changed.sh

lint: install ## ruff on all Python code; the import contracts and mypy on the domain (pyproject.toml)
	@$(BIN)/ruff check knotcare harness actions components policies channels stores patches benchmarks tests
	@out=$$($(BIN)/lint-imports --no-cache 2>&1) || { echo "$$out"; exit 1; }
	@$(BIN)/mypy --no-error-summary --cache-dir build/mypy-cache

validate: install ## rasa data validate --fail-on-warning
	@$(ENV) $(BIN)/rasa data validate --domain domain --data data/nlu data/rules data/stories --fail-on-warning --quiet

test-fast: install $(SPACY_MODEL) ## tier 1 alone: lint, data validation, unit and action tests (about a minute)
	@$(MAKE) --no-print-directory lint validate && $(ENV) $(BIN)/pytest -q -p no:cacheprovider tests/unit tests/integration/actions

test-unit: install $(SPACY_MODEL) ## the unit tests: plain Python, no database, no servers, no trained model
	@$(ENV) $(BIN)/pytest -q tests/unit

test-integration: install $(SPACY_MODEL) ## actions on a real knowledge base; repositories and stores on SQLite and PostgreSQL
	@$(ENV) $(BIN)/pytest -q tests/integration

test-e2e: install train ## the running servers: conversations, channels and the browser, clinic, security, scale
	@$(ENV) $(BIN)/pytest -q tests/e2e

test-rasa: install train ## rasa test nlu (held-out set, report in results/) and rasa test core (test stories)
	@$(ENV) bash scripts/rasa-tests.sh

scale: install $(SPACY_MODEL) train ## scale mode: 2 Rasa + 2 action servers behind nginx, PostgreSQL + Redis (docs/scale.md)
	@bash scripts/scale.sh

load-benchmark: install train ## load test: one instance, two behind nginx, and the stock bot (benchmarks/load.py)
	@$(ENV) $(BIN)/python benchmarks/load.py

benchmark: install train ## latency of Knotcare beside the stock `rasa init` bot (see benchmarks/)
	@$(ENV) $(BIN)/python benchmarks/latency.py

clean: ## remove trained models, build output and local state
	rm -rf models build var results .rasa node_modules web/vendor
