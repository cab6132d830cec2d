"""`list` and `commitments` on a long history (issue 26): read without sqlite-utils, as `due`
is, and `commitments` prints a bounded list that says what it left out."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from store.history import make_history

from reflectcoach.store import Store

from .test_plain import env_for

TODAY = "2100-01-01"  # every dated commitment of the history is overdue

# Encrypted too: there the lists are read through SQLCipher with the key (readonly.py).
pytestmark = pytest.mark.encrypted_too


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lists") / "r.db"
    make_history(path, conversations=500, answers_per=3, seed=6, commitments=True)
    return path


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**env_for(db.parent), "REFLECTCOACH_TODAY": TODAY},
        timeout=60,
    )


def open_due(db: Path) -> int:
    """How many --due lists: open ones dated before a week after TODAY (all dated ones)."""
    week_after = dt.date.fromisoformat(TODAY) + dt.timedelta(days=8)
    with Store.open(db) as store:
        return store.commitments.count(
            statuses=("open", "partly", "not_yet"), due_before=week_after
        )


# Plaintext: an encrypted file is read through the Store (it needs the cipher and a key).
@pytest.mark.plaintext
@pytest.mark.parametrize("command", [["list"], ["commitments", "--due"], ["commitments"]])
def test_the_lists_import_no_sqlite_utils(db: Path, command: list[str]) -> None:
    check = (
        "import sys\n"
        "from reflectcoach.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(db)!r}, *{command!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('sqlite_utils' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check],
        capture_output=True,
        text=True,
        env={**env_for(db.parent), "REFLECTCOACH_TODAY": TODAY},
        timeout=60,
    )
    assert done.stdout.strip(), done.stderr
    assert done.stderr.strip().splitlines()[-1] == "False"


def test_commitments_due_prints_at_most_a_hundred_and_says_how_many_more(db: Path) -> None:
    total = open_due(db)
    assert total > 100
    done = run(db, "commitments", "--due")
    assert done.returncode == 0, done.stderr
    shown = done.stdout.splitlines()
    assert len(shown) == 100
    assert all("(overdue)" in line for line in shown)
    assert done.stderr == (
        f"Showing the first 100 of {total:,} (oldest due first); use --limit N to see more.\n"
    )


def test_limit_sets_how_many_and_json_keeps_every_one(db: Path) -> None:
    total = open_due(db)
    few = run(db, "commitments", "--due", "--limit", "3")
    assert len(few.stdout.splitlines()) == 3
    assert few.stderr.startswith(f"Showing the first 3 of {total:,} ")
    every = run(db, "commitments", "--due", "--limit", str(total))
    assert len(every.stdout.splitlines()) == total
    assert every.stderr == ""
    as_json = run(db, "commitments", "--due", "--json")
    assert len(json.loads(as_json.stdout)) == total
    assert as_json.stderr == ""
    assert len(json.loads(run(db, "commitments", "--json", "--limit", "4").stdout)) == 4


def test_the_first_lines_are_the_same_whichever_way_the_file_is_read(db: Path) -> None:
    """The Store's read (the file in use elsewhere: a log beside it) prints what the read
    without it prints."""
    alone = run(db, "commitments", "--due", "--limit", "20")
    listed = run(db, "list", "-m", "ada", "--limit", "5")
    with Store.open(db):  # another connection: readonly.py leaves the file to the Store
        through = run(db, "commitments", "--due", "--limit", "20")
        listed_through = run(db, "list", "-m", "ada", "--limit", "5")
    assert (through.stdout, through.stderr) == (alone.stdout, alone.stderr)
    assert (listed_through.stdout, listed_through.stderr) == (listed.stdout, listed.stderr)
    assert len(listed.stdout.splitlines()) == 1 + 5


def test_limit_is_refused_with_a_calendar(db: Path) -> None:
    done = run(db, "commitments", "--ics", "-", "--limit", "3")
    assert done.returncode != 0
    assert "--ics writes every commitment; not with --limit." in done.stderr
    assert "Traceback" not in done.stderr
