# Broadsheet — every target sets up .venv by itself; `make run` and `make test` are all a new user needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The benchmark scripts (the other files in bench/ are their generators and adapters).
BENCHES := extraction.py feedparse.py refresh.py prefetch.py startup.py ui.py rows.py rules.py

.DEFAULT_GOAL := help
.PHONY: help install run test check lint typecheck bench snapshots clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)  ## Create .venv and install Broadsheet with its dev tools

run: $(STAMP)  ## Start the app (ARGS="--sample" for the bundled edition)
	$(BIN)/broadsheet $(ARGS)

test: $(STAMP)  ## Run the test suite
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check tui tests bench
	$(BIN)/ruff format --check tui tests bench

typecheck: $(STAMP)  ## mypy on the package
	$(BIN)/mypy

check: lint typecheck test  ## ruff, mypy and the tests

snapshots: $(STAMP)  ## Re-record the snapshot tests after a deliberate UI change
	$(BIN)/python -m pytest tests/ui --snapshot-update

bench: $(STAMP)  ## Benchmarks against the peers (installs the bench extra)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@for script in $(BENCHES); do echo "== bench/$$script"; $(BIN)/python bench/$$script || exit 1; done

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
