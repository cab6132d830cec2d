"""peek: home's first lists read with stdlib sqlite3 alone, the same as the Store's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.store import Store, peek

from .history import make_history

# peek reads plaintext SQLite with the stdlib alone; an encrypted file always goes to the Store.
pytestmark = pytest.mark.plaintext


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("peek") / "r.db"
    make_history(path, conversations=300, answers_per=8, seed=3)
    return path


def test_the_same_lists_as_the_store(history: Path) -> None:
    found = peek.home_lists(history)
    assert found is not None
    names, running = found
    with Store.open(history) as store:
        assert names == store.mentorships.names()
        expected = store.conversations(status="in_progress", by="updated_at", limit=50)
    assert running == expected
    assert running, "the seeded history has conversations in progress"


def test_leaves_no_log_so_the_next_open_finds_the_file_clean(history: Path) -> None:
    assert peek.home_lists(history) is not None
    for suffix in ("-wal", "-shm", "-journal"):
        assert not history.with_name(history.name + suffix).exists()
    assert peek.home_lists(history) is not None  # and again


def test_an_open_store_means_ask_the_store(history: Path) -> None:
    with Store.open(history):  # its log exists: another writer may be appending
        assert peek.home_lists(history) is None
    assert peek.home_lists(history) is not None


def test_anything_unusual_means_ask_the_store(tmp_path: Path, history: Path) -> None:
    assert peek.home_lists(tmp_path / "missing.db") is None
    other = tmp_path / "cipher.db"
    other.write_bytes(b"\x8f" * 4096)  # what an encrypted file starts with: no SQLite header
    assert peek.home_lists(other) is None
    copy = tmp_path / "copy.db"
    copy.write_bytes(history.read_bytes())  # no stamp of our clean close beside it
    assert peek.home_lists(copy) is None
    empty = tmp_path / "new.db"
    Store.open(empty).close()  # migrated, no conversations
    assert peek.home_lists(empty) == ([], [])


def test_peek_does_not_import_sqlite_utils(history: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from reflectcoach.store import peek; "
        f"assert peek.home_lists(Path({str(history)!r})) is not None; "
        "print('sqlite_utils' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
