"""The app and the CLI on one database at the same time (issue 19).

With the app open in one terminal and `reflectcoach list` run in another, the CLI must never
find itself the last user of the database and checkpoint and delete the write-ahead log the
app still writes into: the app would go on committing answers into an unlinked file that no
other process reads and that `kill -9` throws away. Seen from outside, in /proc: the app's
descriptors of the database, its -wal or its -shm say "(deleted)".

(a) is the scenario the bug was found with, step by step; (b) a few seeded rounds of
scripts/crash_app_cli.py (`make crash-app` runs hundreds).
"""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reflectcoach.store import Store

from .terminal import Terminal, app_env, held_locks, unlinked_database_files

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-03-14"
needs_proc = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir() or sys.platform == "win32",
    reason="a pty, SIGKILL and Linux /proc/PID/fd",
)


def current_question(number: int, text: str):
    """The app asks question `number` (its "Question N of about M") and it reads `text`: the
    question being asked, not one in the history above it (those start with "Q:")."""

    def shown(screen: str) -> bool:
        rows = [row.strip() for row in screen.splitlines()]
        return any(row.startswith(f"Question {number} of") for row in rows) and any(
            row.startswith(text) for row in rows
        )

    return shown


def assert_holds_its_locks(pid: int, db: Path) -> None:
    """The app's connection still has its locks: on the database (SHARED) and on the -shm
    (in use). Whether a second process then deletes the log depended on its SQLite (Python's
    3.40 here did, SQLCipher's 3.53 did not); losing the locks is the fault either way."""
    locks = held_locks(pid, db)
    assert locks.get("") and locks.get("-shm"), f"the app's locks are gone: {locks}"


def stored_elsewhere(env: dict[str, str]) -> list[tuple[str, object]]:
    """The check-in's answers as another process reads them now: a JSON export."""
    done = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "export", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    exported = json.loads(done.stdout)["conversations"]
    (conversation,) = [c for c in exported if c["script_id"] == "check_in"]
    return [(a["step"], a["answer"]) for a in conversation["answers"]]


@pytest.mark.encrypted_too  # SQLCipher's connections lost their locks the same way
@needs_proc
def test_list_while_the_app_answers_unlinks_nothing_and_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    env = {**app_env(tmp_path), "REFLECTCOACH_DB": str(db), "REFLECTCOACH_TODAY": TODAY}
    term = Terminal(["start", "check_in", "-m", "Kim"], env=env, size=(120, 40))
    expected: list[tuple[str, object]] = []

    def answer(keys: bytes, step: str, value: object, number: int, then: str) -> None:
        """Give an answer; it is acknowledged once the next question is asked."""
        term.write(keys)
        expected.append((step, value))
        term.wait_for_screen(current_question(number, then), f"question {number}: {then}")

    try:
        term.wait_for_screen(
            current_question(1, "Which are you in this mentorship?"), "the first question"
        )
        answer(b"1", "role", "mentee", 2, "And the other person's first name?")
        term.write(b"\x1b")  # save & leave: home
        term.wait_for_text("Pick up where you left off")
        term.wait_for_text("Check in around a regular meeting ·")  # on the resume list
        term.write(b"c")
        term.wait_for_screen(
            current_question(2, "And the other person's first name?"), "resumed at question 2"
        )
        listed = subprocess.run(
            [sys.executable, "-m", "reflectcoach", "list"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert listed.returncode == 0, listed.stderr
        assert "check_in" in listed.stdout and "Kim" in listed.stdout
        assert unlinked_database_files(term.proc.pid, db) == []
        assert_holds_its_locks(term.proc.pid, db)

        answer(b"\r", "partner", "Kim", 3, "Is your meeting with Kim ahead of you")
        assert stored_elsewhere(env) == expected
        # No commitment of Kim's is open, so the follow-up is passed over.
        answer(b"1", "moment", "before", 4, "What has happened since you last met")
        assert stored_elsewhere(env) == expected
        term.write(b"Kim moved teams")
        term.wait_for_text("Kim moved teams")
        answer(b"\x13", "since", "Kim moved teams", 5, "What do you most want to cover")
        assert stored_elsewhere(env) == expected
        assert unlinked_database_files(term.proc.pid, db) == []
        assert_holds_its_locks(term.proc.pid, db)
        term.kill()
    finally:
        term.close()
    with Store.open(db) as store:
        (conversation,) = store.conversations()
        stored = [(a["step_id"], a["value"]) for a in store.answers(conversation["id"])]
    assert stored == expected


def harness_module():
    """scripts/crash_app_cli.py, imported (scripts/ is not a package)."""
    path = ROOT / "scripts" / "crash_app_cli.py"
    spec = importlib.util.spec_from_file_location("crash_app_cli", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_app_cli"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@needs_proc  # in the suite's storage; `make crash-app` (and --storage encrypted) for more
def test_a_few_rounds_of_the_app_and_cli_harness_find_nothing(tmp_path: Path, storage: str) -> None:
    crash = harness_module()
    # Plaintext or encrypted databases, as this run of the suite has them (its own key).
    harness = crash.Harness(tmp_path, random.Random(19), storage=storage)
    harness.setup()
    started = time.monotonic()
    try:
        for _ in range(5):
            harness.round()
    finally:
        harness.close()
    report = crash.table(harness, 5, 19, time.monotonic() - started)
    assert harness.violations == [], report
    assert harness.acknowledged > 0 and sum(harness.commands.values()) > 0, report
