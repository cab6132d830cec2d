"""While this process has the database open, nothing in it may open and close the file, its
-wal or its -shm outside SQLite: closing any descriptor of a file drops every POSIX lock the
process holds on it, and the next process to close its connection then deletes the -wal and
-shm that our connection is still writing into (docs/architecture.md, "Touching a database
outside SQLite"). Each test below does one thing the app or the CLI does beside an open
Store, lets another process open and close the database, and checks that nothing was
unlinked and that the other process sees what was written afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from app.terminal import unlinked_database_files

from reflectcoach.store import Store, files, integrity, peek, wal

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


def other_process_lists(db: Path) -> str:
    """`reflectcoach list` in a process of its own: it opens the database and closes it."""
    result = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "list", "--limit", "100"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def start(store: Store, script_id: str) -> str:
    return store.start(
        script_id=script_id,
        script_version=1,
        script_sha256="0" * 64,
        title=script_id,
        mentorship="Kim",
        current_step="a",
    )


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Path, Store]]:
    db = tmp_path / "r.db"
    store = Store.open(db)
    start(store, "before")
    yield db, store
    store.close()


def _second_store(db: Path) -> None:
    Store.open(db).close()  # what every app worker did: a Store of its own, opened and closed


def _salt(db: Path) -> None:
    from reflectcoach.store import cipher

    cipher.salt_of(db)


READS: dict[str, Callable[[Path], object]] = {
    "is_plaintext": files.is_plaintext,
    "looks_encrypted": files.looks_encrypted,
    "a second Store": _second_store,
    "peek": peek.home_lists,
    "wal.check": wal.check,
    "wal.in_use_elsewhere": wal.in_use_elsewhere,
    "wal.problem_in": lambda db: wal.problem_in(wal.log_path(db)),
    "integrity.needs_check": integrity.needs_check,
    "cipher.salt_of": _salt,
}


@pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
def test_a_raw_read_beside_an_open_store_keeps_its_locks(
    live: tuple[Path, Store], read: Callable[[Path], object]
) -> None:
    db, store = live
    read(db)
    read(db)  # and again: a kept descriptor is reused, not opened twice
    other_process_lists(db)
    assert wal.log_path(db).exists(), "the other process deleted our write-ahead log"
    assert db.with_name(db.name + "-shm").exists()
    assert unlinked_database_files(os.getpid(), db) == []
    start(store, "after")
    assert "after" in other_process_lists(db)  # what we wrote went into the file it reads


def test_descriptors_are_closed_with_the_last_store(tmp_path: Path) -> None:
    db = tmp_path / "r.db"

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    before = open_fds()
    first, second = Store.open(db), Store.open(db)
    files.is_plaintext(db)
    wal.in_use_elsewhere(db)
    first.close()
    assert files.is_plaintext(db) or files.looks_encrypted(db)
    second.close()
    assert open_fds() == before
