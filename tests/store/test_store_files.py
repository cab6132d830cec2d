"""The file on disk: modes, pragmas, and files that must be refused and left untouched."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from reflectcoach.store import Store, StoreError

from .helpers import WEEKLY, damage_data_pages, run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_is_private(db_path: Path) -> None:
    with Store.open(db_path) as store:
        run(store, WEEKLY)
        assert mode(db_path.parent) == 0o700
        assert mode(db_path) == 0o600
        for suffix in ("-wal", "-shm"):
            sidecar = db_path.with_name(db_path.name + suffix)
            assert sidecar.exists()
            assert mode(sidecar) == 0o600


def test_missing_parents_are_created_private(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "reflections.db"
    Store.open(path).close()
    assert mode(tmp_path / "a") == 0o700
    assert mode(tmp_path / "a" / "b") == 0o700


def test_existing_folder_mode_is_left_alone(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o755)
    Store.open(tmp_path / "r.db").close()
    assert mode(tmp_path) == 0o755


def test_wal_synchronous_full_busy_timeout_foreign_keys(fresh_store: Store) -> None:
    conn = fresh_store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_pragmas_apply_on_reopen(db_path: Path) -> None:
    Store.open(db_path).close()
    with Store.open(db_path) as store:
        conn = store.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_reopen_keeps_data_and_context_manager_closes(db_path: Path) -> None:
    with Store.open(str(db_path)) as store:
        conversation_id = run(store, WEEKLY)
    with pytest.raises(sqlite3.ProgrammingError):
        store.db.execute("SELECT 1")
    with Store.open(db_path) as store:
        assert store.conversation(conversation_id) is not None
        assert len(store.answers(conversation_id)) == len(WEEKLY)


def test_empty_existing_file_is_initialised(db_path: Path) -> None:
    db_path.parent.mkdir()
    db_path.touch()
    with Store.open(db_path) as store:
        assert store.conversations() == []


def _refused(path: Path, *words: str) -> StoreError:
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert path.read_bytes() == before
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message
    return caught.value


@pytest.mark.plaintext
def test_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("# my notes\nnot a database at all\n" * 20)
    _refused(path, "not an SQLite database", "REFLECTCOACH_DB")
    assert not (tmp_path / "notes.db-wal").exists()


@pytest.mark.plaintext
def test_short_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    path.write_bytes(b"SQLite format 3\x00")
    _refused(path, "not an SQLite database")


def _filled(db_path: Path) -> None:
    with Store.open(db_path) as store:
        for number in range(40):
            run(store, WEEKLY, mentorship=f"m{number}")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.mark.plaintext
def test_truncated_file_is_refused_untouched(db_path: Path) -> None:
    _filled(db_path)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    _refused(db_path, "cut short", "damaged")


@pytest.mark.plaintext
def test_corrupt_schema_is_refused_untouched(db_path: Path) -> None:
    _filled(db_path)
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)  # the rest of page 1: sqlite_master
    db_path.write_bytes(bytes(data))
    _refused(db_path, "damaged")


@pytest.mark.plaintext
def test_corrupt_data_page_gives_store_error_when_read(db_path: Path) -> None:
    _filled(db_path)
    damage_data_pages(db_path)
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="damaged"), Store.open(db_path) as store:
        store.conversations()
        list(store.iter_conversations())
        store.search("team")
    assert db_path.read_bytes() == before


def test_read_only_file_is_refused_untouched(db_path: Path) -> None:
    _filled(db_path)
    os.chmod(db_path, 0o400)
    try:
        _refused(db_path, "read-only", "chmod")
    finally:
        os.chmod(db_path, 0o600)


def test_read_only_folder_is_refused_untouched(db_path: Path) -> None:
    _filled(db_path)
    os.chmod(db_path.parent, 0o500)
    try:
        _refused(db_path, "read-only", str(db_path.parent))
        # The database and the stamp of its last clean close; nothing new.
        assert sorted(p.name for p in db_path.parent.iterdir()) == [
            db_path.name,
            db_path.name + "-clean",
        ]
    finally:
        os.chmod(db_path.parent, 0o700)


def test_new_file_in_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    try:
        with pytest.raises(StoreError, match="read-only"):
            Store.open(folder / "r.db")
    finally:
        os.chmod(folder, 0o700)


def test_folder_as_database_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_parent_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        Store.open(blocker / "r.db")


@pytest.mark.plaintext
def test_someone_elses_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.commit()
    conn.close()
    _refused(path, "not a reflectcoach database")


@pytest.mark.plaintext
def test_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('reflectcoach', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(db_path)
