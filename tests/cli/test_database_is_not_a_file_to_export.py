"""The database (or its log) named as an export's target or an import's source is refused:
writing it would replace the database, and reading it beside our own connection would drop
that connection's locks (store/rawfile.py)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "json", "-o", "{db}"),
        ("export", "--format", "markdown", "-o", "{db}"),
        ("import", "{db}"),
        ("commitments", "--ics", "{db}"),
    ],
)
def test_the_database_is_refused_as_a_file_to_write_or_read(tmp_path: Path, args) -> None:
    db = tmp_path / "r.db"
    assert run(db, "list").returncode == 0  # creates it
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = run(db, *(a.format(db=db) for a in args))
    assert result.returncode != 0
    assert "is your reflection database" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert run(db, "list").returncode == 0
