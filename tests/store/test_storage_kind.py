"""The run's storage kind (tests/conftest.py) is what databases really are: plaintext by
default, encrypted with `--storage encrypted`, for the store and for the CLI alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reflectcoach.store import Store


def test_a_new_database_is_what_the_run_says(db_path: Path, encrypted: bool) -> None:
    Store.open(db_path).close()
    assert db_path.read_bytes().startswith(b"SQLite format 3") is not encrypted


def test_the_cli_creates_what_the_run_says(tmp_path: Path, encrypted: bool) -> None:
    db = tmp_path / "cli.db"
    done = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "list"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert db.read_bytes().startswith(b"SQLite format 3") is not encrypted
    with Store.open(db) as store:
        assert store.encrypted is encrypted
