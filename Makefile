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

# Tiers: the fast one (lint, data validation, unit and action tests: no model, about a minute) fails first;
# then training and the tiers that need the model (integration, servers, browser, scale, Rasa's own tests).
test: install $(SPACY_MODEL) ## every test: unit, integration (SQLite + PostgreSQL), Rasa data/NLU/stories, end-to-end
	@t=$$(date +%s); $(MAKE) --no-print-directory lint validate \
	  && $(ENV) $(BIN)/pytest -q -p no:cacheprovider tests/unit tests/integration/actions \
	  && echo "tier 1 (lint, validate, unit and action tests): $$(( $$(date +%s) - t )) s"
	@t=$$(date +%s); $(MAKE) --no-print-directory train && echo "tier 2 (training): $$(( $$(date +%s) - t )) s"
	@t=$$(date +%s); $(ENV) $(BIN)/pytest -q --durations=15 tests --ignore=tests/unit --ignore=tests/integration/actions \
	  && echo "tier 3 (integration, end to end, channels, clinic, scale): $$(( $$(date +%s) - t )) s"
	@# Sequential on purpose: beside tier 3 (which starts Rasa servers) it slowed tier 3 by more than it saved.
	@t=$$(date +%s); $(MAKE) --no-print-directory test-rasa && echo "tier 4 (Rasa NLU gate, test stories): $$(( $$(date +%s) - t )) s"

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
	@$(BIN)/ruff check knotcare harness actions components policies channels stores benchmarks tests
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
