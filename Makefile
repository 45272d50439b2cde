# The two commands: `make demo` runs the pipeline on local defaults,
# `make test` runs every check. Both set up what they need first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export MELTANO_CLI_DISABLE_VERSION_CHECK := true
export MELTANO_SEND_ANONYMOUS_USAGE_STATS := false
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test stop setup plugins postgres lint typecheck sqllint pytest clean

demo: setup plugins
	$(BIN)/python scripts/demo.py

test: setup plugins postgres lint typecheck sqllint pytest

stop:
	-$(BIN)/python scripts/sandbox.py stop
	-$(BIN)/python scripts/localpg.py stop

setup: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt tap-salesrabbit/pyproject.toml sandbox/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements-dev.txt
	touch $@

plugins: .meltano/.installed

.meltano/.installed: meltano.yml $(VENV)/.installed
	$(BIN)/meltano install
	touch $@

postgres: setup
	$(BIN)/python scripts/localpg.py start

lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy

sqllint:
	$(BIN)/sqlfluff lint transform

pytest:
	$(BIN)/pytest

clean: stop
	rm -rf $(VENV) .meltano .local transform/target transform/logs
