# `make run` and `make test` are all a newcomer needs: each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench snapshots screenshots clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# Bytecode up front: start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
	@$(BIN)/python -m compileall -q src > /dev/null
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/python -m compileall -q src > /dev/null
	$(BIN)/reflectcoach

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	@$(BIN)/python -m compileall -q src scripts > /dev/null
	$(BIN)/python scripts/bench.py

snapshots: $(STAMP)
	$(BIN)/pytest -q tests/app --snapshot-update

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .ruff_cache
