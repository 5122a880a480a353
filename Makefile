# Pendopo - the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.txt layers/common/requirements.txt | sha1sum | cut -c1-12)
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers/common
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: venv run demo test test-unit lint bench build clean

venv: $(STAMP)

$(STAMP): requirements-dev.txt layers/common/requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

## Start the whole system locally (moto as AWS, the HTTP gateway); Ctrl-C stops it.
run: venv
	$(PY) -m infra.local.stack

## The same, with demo complaints loaded.
demo: venv
	$(PY) -m infra.local.stack --demo

## Every test: unit, integration (moto), end-to-end over HTTP.
test: venv
	$(PY) -m pytest

test-unit: venv
	$(PY) -m pytest tests/unit

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy layers/common functions infra
	$(VENV)/bin/sam validate --lint --region ap-southeast-3
	$(VENV)/bin/cfn-lint template.yaml

bench: venv
	$(PY) -m infra.bench

build: venv
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/sam build

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
