"""`files.looks_encrypted`: what front ends ask before asking for a passphrase. A folder, a
missing or empty file and a plaintext database never do (the app once asked for a folder)."""

from __future__ import annotations

from pathlib import Path

from reflectcoach.store import Store
from reflectcoach.store.files import looks_encrypted


def test_only_a_non_empty_file_that_is_not_plain_sqlite_looks_encrypted(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    empty = tmp_path / "empty.db"
    empty.touch()
    plain = tmp_path / "plain.db"
    Store.open(plain, key=None).close()
    other = tmp_path / "other.db"
    other.write_bytes(bytes(range(256)) * 16)
    assert not looks_encrypted(folder)
    assert not looks_encrypted(tmp_path / "missing.db")
    assert not looks_encrypted(empty)
    assert not looks_encrypted(plain)
    assert looks_encrypted(other)
