# Moderation worker: every target creates the environment in .venv first when needed.
# `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python 3.11+ found (override with `make PYTHON=/path/to/python3.12 ...`).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The tested version of every dependency (make lock rewrites it); every install below reads it.
CONSTRAINTS := constraints.txt
DATA ?=
# Moderators' labels, written by `make export-feedback`; `make train` adds them to the seed corpus.
FEEDBACK ?= var/feedback.jsonl
SEED_CORPUS := training/data/seed_corpus.jsonl
MODEL ?= current
# Kept out of the shipped model's training and evaluated on by `make default-model` (as for the shipped bundle).
HOLDOUT ?= multilingual/zh_cold_dev.csv multilingual/pt_toldbr_validation.csv youtube_spam/Youtube05-Shakira.csv
# A folder laid out like ../shared/datasets, for `make default-model`.
DATA_DIR ?= ../shared/datasets
# Share of each non-English source `make default-model` holds out and judges per language (docs/languages.md).
SLICE_SHARE ?= 0.1
# The format of every DATA file for train/evaluate (default: detected per file; see README "Datasets").
FORMAT ?=
ARGS ?=
# A JSON Lines file for `make rescore` (default: the decided comments whose text Redis keeps).
FILE ?=

.PHONY: help install run test test-fast lint console worker rescore health metrics train export-feedback evaluate promote rollback models bench bench-quality default-model chaos clean

help: ## List the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (none found on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[worker,embedded,console,dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create the project's environment in .venv (client, worker, embedded Redis, dev tools)

run: $(STAMP) ## Start Redis (embedded if REDIS_URL is unset or unreachable), use the current model (the shipped one unless another was promoted), run a worker and moderate the demo comments
	$(PY) -m harness.demo $(ARGS)

test: $(STAMP) ## Run all tests (integration tests start a real worker and an embedded Redis when REDIS_URL is unset)
	$(PY) -m pytest $(ARGS)

test-fast: $(STAMP) ## The quick unit tests: no Redis, no worker (not integration), not slow, a tenth of the generated examples
	HYPOTHESIS_PROFILE=fast $(PY) -m pytest -m "not integration and not slow" $(ARGS)

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check moderation workers training harness tests
	$(VENV)/bin/mypy

console: $(STAMP) ## Serve the moderators' console on http://127.0.0.1:8080 (ARGS="--host 0.0.0.0 --port N"; add moderators with `moderation moderators add`)
	$(PY) -m moderation console $(ARGS)

worker: $(STAMP) ## Run a worker in the foreground against REDIS_URL (ARGS="-n bulk1@%h -Q moderation-bulk" for a bulk worker)
	$(VENV)/bin/celery -A workers.app worker --loglevel=INFO --without-gossip --without-mingle $(ARGS)

rescore: $(STAMP) ## Re-moderate a backlog with the current model on the bulk queue: make rescore FILE=comments.jsonl [ARGS=--apply] (report: reports/rescore.jsonl)
	$(PY) -m moderation rescore $(if $(FILE),$(FILE),--stored) $(ARGS)

health: $(STAMP) ## Check Redis, live workers, the model and queue depth (make reports the CLI's 4/5/6/7 as "Error N"; probes: run `moderation health`)
	@$(PY) -m moderation health $(ARGS) || { code=$$?; echo "moderation health exited $$code (README: Health); make itself exits 2, probes should run the CLI" >&2; exit $$code; }

metrics: $(STAMP) ## Serve Prometheus metrics on http://127.0.0.1:9808/metrics (ARGS="--host 0.0.0.0 --port N")
	$(PY) -m moderation metrics $(ARGS)

train: $(STAMP) ## Add labelled data to what the current model knows: make train DATA="mine.csv ..." [FORMAT=jigsaw|...] (plus var/feedback.jsonl when present); ARGS=--from-scratch trains on the given files only
	$(PY) -m training train $(if $(DATA),--data $(DATA)) --feedback $(FEEDBACK) $(if $(FORMAT),--format $(FORMAT)) $(ARGS)

export-feedback: $(STAMP) ## Write moderators' verdicts and reports as training data: var/feedback.jsonl (FEEDBACK=path)
	$(PY) -m moderation export-feedback --out $(FEEDBACK)

evaluate: $(STAMP) ## Evaluate a model, and its bias on the fairness set: make evaluate [MODEL=dir|current] [DATA=file, default: its held-out split] [FORMAT=...] (reports/)
	$(PY) -m training evaluate --model $(MODEL) $(if $(DATA),--data $(DATA)) $(if $(FORMAT),--format $(FORMAT)) --json reports/evaluation.json --plots reports/plots $(ARGS)

promote: $(STAMP) ## Make a model current: make promote [MODEL=version|dir, default the newest] [DATA=eval.jsonl] [ARGS=--force]; refuses a worse one
	$(PY) -m training promote $(if $(filter current,$(MODEL)),latest,$(MODEL)) $(if $(DATA),--data $(DATA)) $(ARGS)

rollback: $(STAMP) ## Go back to the previously promoted model
	$(PY) -m training rollback $(ARGS)

models: $(STAMP) ## List model bundles and say which is current
	$(PY) -m training models $(ARGS)

bench: $(STAMP) ## Throughput, latency and memory of the whole pipeline (own Redis and worker); reports/bench.json
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[bench]'
	$(PY) -m harness.bench $(ARGS)

chaos: $(STAMP) ## Fault scenarios with real processes (kill -9, Redis restart, SIGTERM, poison messages): lost and duplicate decisions; reports/chaos.json
	$(PY) -m harness.chaos --json reports/chaos.json $(ARGS)

bench-quality: $(STAMP) ## On ../shared/datasets (skipped when absent): ours vs a textbook baseline on the reference splits, and the current model on every corpus it never saw (vs alt-profanity-check, per language)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[bench]'
	$(PY) -m training bench-quality --json reports/quality.json $(ARGS)

default-model: $(STAMP) ## Rebuild the shipped model (moderation/models/data/default_model) from the seed corpus and DATA_DIR's may-ship corpora: make default-model [DATA_DIR=../shared/datasets] [HOLDOUT="..."] [ARGS=--replace]
	$(PY) -m training default-model --data-dir $(DATA_DIR) --holdout $(HOLDOUT) --slice-share $(SLICE_SHARE) $(ARGS)

.PHONY: api webhooks bench-api
api: $(STAMP) ## Serve the HTTP API on http://127.0.0.1:8000/v1 (ARGS="--host 0.0.0.0 --port N"; keys: `moderation api-keys add SITE`)
	$(PY) -m moderation api $(ARGS)

webhooks: $(STAMP) ## Deliver webhooks (signed POSTs of every decision to the URLs of `moderation webhooks add SITE URL`) until interrupted
	$(PY) -m moderation webhooks deliver $(ARGS)

bench-api: $(STAMP) ## The HTTP API and webhooks with a real worker, API server and deliverer: throughput, latency; reports/bench_api.json
	$(PY) -m harness.bench_api --json reports/bench_api.json $(ARGS)

clean: ## Remove the environment, caches and local Redis files (models/ is kept)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var *.egg-info

.PHONY: lock
lock: ## Rewrite constraints.txt from a fresh environment with every extra (after changing a dependency in pyproject.toml)
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (none found on PATH)"; exit 1; }
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[worker,embedded,console,dev,bench]'
	{ sed -n '/^#/p;/^#/!q' $(CONSTRAINTS); .venv-lock/bin/python -m pip freeze --exclude-editable; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf .venv-lock
