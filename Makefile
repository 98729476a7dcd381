# Knotcare: `make run` starts the assistant, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
SPACY_MODEL := build/spacy-en-blank/meta.json
ENV := source scripts/env.sh &&

.PHONY: help run test install seed train lint validate test-unit test-integration test-rasa test-e2e nlu-report benchmark clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

run: install $(SPACY_MODEL) seed train ## set up, seed, train if data changed, start actions + Rasa + web page
	@bash scripts/run.sh

test: install $(SPACY_MODEL) train ## every test: unit, integration (SQLite + PostgreSQL), Rasa data/NLU/stories, end-to-end
	@$(MAKE) --no-print-directory lint validate
	@$(ENV) $(BIN)/pytest -q tests
	@$(MAKE) --no-print-directory test-rasa

install: $(VENV)/.installed ## make .venv and install pinned dependencies (only when they changed)

$(VENV)/.installed: pyproject.toml constraints.txt scripts/find-python.sh
	@py=$$(bash scripts/find-python.sh) && echo "using $$py" && \
	  { [ -x $(BIN)/python ] || $$py -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip==24.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

$(SPACY_MODEL): $(VENV)/.installed
	@$(ENV) $(BIN)/knotcare nlp build --out build/spacy-en-blank

seed: install ## load the reviewed YAML under data/kb into the knowledge base (when changed)
	@$(ENV) $(BIN)/knotcare db seed --if-needed

train: install $(SPACY_MODEL) ## train the model when the training data changed
	@$(ENV) bash scripts/train-if-changed.sh

lint: install ## ruff on all Python code
	@$(BIN)/ruff check knotcare actions components channels benchmarks tests

validate: install ## rasa data validate --fail-on-warning
	@$(ENV) $(BIN)/rasa data validate --domain domain --data data/nlu data/rules data/stories --fail-on-warning --quiet

test-unit: install $(SPACY_MODEL) ## unit tests only (no servers, no trained model)
	@$(ENV) $(BIN)/pytest -q tests/unit tests/actions

test-rasa: install train ## rasa test nlu (held-out set, report in results/) and rasa test core (test stories)
	@$(ENV) bash scripts/rasa-tests.sh

benchmark: install train ## latency of Knotcare beside the stock `rasa init` bot (see benchmarks/)
	@$(ENV) $(BIN)/python benchmarks/latency.py

clean: ## remove trained models, build output and local state
	rm -rf models build var results .rasa
