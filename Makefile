# `make run` and `make test` are all a newcomer needs: each creates .venv on first use and
# installs exactly what requirements.lock names, so every machine tests the same packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
UV_VERSION := 0.13.9

.PHONY: run test lint format lock bench snapshots screenshots clean check-consumers sync-check

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	@# The project itself, built with the locked setuptools rather than whatever is newest today.
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# Bytecode up front: start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
	@$(BIN)/python -m compileall -q src > /dev/null
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/python -m compileall -q src > /dev/null
	$(BIN)/reflectcoach

# The tests' files on a RAM disk where there is room: each answer's COMMIT waits for fsync,
# which a RAM disk answers at once (a third of the suite's time on a disk shared with other
# work). What the tests prove is unchanged: killing a process (the crash tests) never needed
# fsync, and no suite can cut the power.
TEST_TMPDIR := $(shell df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 && $$4 > 4000000 { print "/dev/shm" }')
# Two test workers per core: an app test spends much of its time waiting on Textual's frames
# and timers, which another worker's test fills (tests/app/test_conversation.py here: 42 s
# with 2 workers, 29 s with 4, 31 s with 6). The encrypted pass, all store work, gains
# nothing from it (51 s with 2, 57 s with 4): one worker per core. `worksteal` hands an idle
# worker part of a busy one's queue, so a few long tests at the end wait for no one (the main
# pass: 246 s with the default distribution, 197 s with it).
TEST_WORKERS := $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 )))

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	TMPDIR=$(or $(TEST_TMPDIR),$(TMPDIR)) $(BIN)/pytest -q -n $(TEST_WORKERS) --dist worksteal
	@# The store, engine and CLI tests again, every database encrypted, with the app tests that
	@# storage changes (tests/conftest.py says which and why).
	TMPDIR=$(or $(TEST_TMPDIR),$(TMPDIR)) $(BIN)/pytest -q -n auto --dist worksteal --storage encrypted

# The floors as a contract (pyproject's [tool.importlinter]): an upward import fails.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	@$(BIN)/python -m compileall -q src scripts > /dev/null
	$(BIN)/python -m scripts.bench

# Newest versions within pyproject's ranges, for every platform, with hashes; commit the result.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'
	$(BIN)/uv pip compile pyproject.toml --extra test --group build --universal \
		--python-version 3.11 --generate-hashes --upgrade --quiet \
		--custom-compile-command 'make lock' -o $(LOCK)

# Every output opened by the program that reads it: mermaid-cli, pandoc, cmark-gfm,
# LibreOffice, khal, age, tmux (scripts/check_consumers.sh). Installs what it can (apt-get as root, npm);
# names every check it skipped. NO_INSTALL=1 installs nothing.
check-consumers: $(STAMP)
	scripts/check_consumers.sh

snapshots: $(STAMP)
	$(BIN)/pytest -q tests/app --snapshot-update

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .ruff_cache

# SIGKILLs at random moments of conversations, imports, exports, commitment status changes,
# mentorship renames, .ics calendars, drafts, settings (and the keyring), then every promise checked
# (scripts/crash_harness.py). Minutes, not for CI: `make crash KILLS=500 SEED=2` for more.
KILLS ?= 200
SEED ?= 1
.PHONY: crash
crash: $(STAMP)
	$(BIN)/python scripts/crash_harness.py --kills $(KILLS) --seed $(SEED)

# The app in a pseudo-terminal and every database command of the CLI on one database at once,
# SIGKILLs on both sides, then every promise checked (scripts/crash_app_cli.py; Linux /proc).
# Minutes, not for CI: `make crash-app ROUNDS=500 SEED=2` for more.
ROUNDS ?= 200
.PHONY: crash-app
crash-app: $(STAMP)
	$(BIN)/python scripts/crash_app_cli.py --rounds $(ROUNDS) --seed $(SEED)

# Encryption conversions killed at many points (tests/cli/test_encryption_kill.py; the suite
# runs 24): `make crash-encryption KILL_POINTS=600` for more.
KILL_POINTS ?= 300
.PHONY: crash-encryption
crash-encryption: $(STAMP)
	KILL_POINTS=$(KILL_POINTS) $(BIN)/pytest -q tests/cli/test_encryption_kill.py

# Two real Syncthing instances on 127.0.0.1 carry one folder between two databases (not in CI):
# installs Debian's syncthing when it is missing and this can, else says why not.
sync-check: $(STAMP)
	@command -v syncthing > /dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q syncthing > /dev/null; \
		elif command -v sudo > /dev/null && command -v apt-get > /dev/null; then \
			sudo apt-get install -y -q syncthing > /dev/null; \
		else \
			echo "sync-check needs syncthing: no apt-get here (or no root): install it and run again"; \
			exit 2; \
		fi; }
	$(BIN)/python scripts/sync_check.py
