# Two commands set everything up on a fresh machine with only python3: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test bench clean lint-content

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/roleplay

# -n auto: one pytest-xdist worker per core (each test process has its own temporary home and cache)
test: $(STAMP_TEST)
	$(BIN)/ruff check roleplay tests bench tools
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy roleplay/core
	$(BIN)/python -m pytest -n auto

lint-content: $(STAMP_RUN)
	$(BIN)/roleplay validate phrasebook scenarios
	$(BIN)/roleplay test

bench: $(STAMP_TEST)
	$(BIN)/python bench/match_bench.py
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/tui_bench.py
	$(BIN)/python bench/scale_bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
