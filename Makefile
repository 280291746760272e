# `make run` and `make test` work from a clean clone: each creates .venv and
# installs the project into it when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean wheel-check

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cybrelia play scenarios/mokry-snieg.yaml

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The suite runs on every core (pytest-xdist): each test builds its own files under
# tmp_path and its own servers on free ports, so workers share nothing; the tests of one
# xdist_group go to one worker, to share a fixture that is costly to build.
test: lint
	$(BIN)/python -m pytest -q -n auto --dist loadgroup

# The wheel installed with its dependencies from the index into a fresh venv (slow: CI).
wheel-check: $(STAMP)
	.ci/wheel-check

bench: $(STAMP)
	$(BIN)/python -m benchmarks.reliability
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.tui
	$(BIN)/python -m benchmarks.report
	$(BIN)/python -m benchmarks.web
	$(BIN)/python -m benchmarks.dryrun
	$(BIN)/python -m benchmarks.world

clean:
	rm -rf $(VENV)
