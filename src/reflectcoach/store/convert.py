"""Encrypt, decrypt, or change the key of a database file (`reflectcoach encrypt`, `decrypt`,
`passphrase`), so that a crash at any moment leaves the old file or the new one, complete.

The new file is written beside the old (`<db>.converting`) by SQLCipher's `sqlcipher_export`
(encrypting never writes a plaintext copy: the export encrypts page by page), checked
(integrity_check, the row count of every table, the schema number), fsynced, and renamed over
the old one; the folder is fsynced so the rename survives a power cut. Until the rename the old
file is the database, after it the new one: `os.replace` is atomic. The old file's pages are
not overwritten (they may survive in free disk blocks and in backups: README says so).

A conversion refuses while another program has the database open (its writes would go to the
old file after the rename), while a session holds one of its conversations, or while another
program holds the write lock; meanwhile it holds the write lock itself.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from . import cipher, files, integrity, leftover, wal
from .db import Store
from .errors import DatabaseBusy, StoreError, translate
from .key import Key
from .leases import Holder

SUFFIX = leftover.SUFFIX


class ConversionRefused(StoreError):
    """Nothing was changed: the database is in use, or the new copy did not check out."""


@dataclass(frozen=True)
class Converted:
    path: Path
    rows: dict[str, int]  # every table's row count, the same before and after


temp_path = leftover.temp_path


def remove_leftover(db: Path) -> None:
    """A copy a killed conversion left (never the database: the rename had not happened)."""
    leftover.remove(db)


def convert(db: Path, old: Key | None, new: Key | None) -> Converted:
    """Replace `db` (opened with `old`, None for plaintext) by the same data under `new`
    (None: plaintext). StoreError, with the file unchanged, when it cannot be done now."""
    db = Path(db).expanduser()
    if old is None and new is None:
        raise StoreError("Nothing to convert: the database would stay plaintext.")
    # Every check a normal open makes, and migrations; through SQLCipher's SQLite even for a
    # plaintext file, as the export's own connection must be (store/rawfile.py).
    store = Store.open(db, key=old, library="sqlcipher")
    claimed: int | None = None  # our lock on the copy: a live conversion's (store/leftover.py)
    try:
        _refuse_if_in_use(store)
        remove_leftover(db)
        claimed = leftover.claim(temp_path(db))
        rows = _write_and_check(store, old, new)
    except BaseException:
        store.close()
        remove_leftover(db)
        leftover.release(claimed)
        raise
    store.close()  # the last connection: SQLite checkpoints and removes -wal and -shm
    temp = temp_path(db)
    try:
        if wal.log_path(db).exists():  # someone opened it meanwhile: their writes would be lost
            remove_leftover(db)
            raise ConversionRefused(_in_use_message(db))
        os.replace(temp, db)
    finally:
        # After the rename the descriptor is the database's, but no connection of ours is
        # left to lose a lock by its closing (store/rawfile.py).
        leftover.release(claimed)
    _fsync_folder(db.parent)
    integrity.remember_clean(db)  # checked just now: the next open need not read every page
    return Converted(db, rows)


def _in_use_message(db: Path) -> str:
    return (
        f"Another program has the reflection database {db} open (the app, or a conversation "
        "in plain mode). Close it and try again; nothing was changed."
    )


def _refuse_if_in_use(store: Store) -> None:
    if wal.in_use_elsewhere(store.path):
        raise ConversionRefused(_in_use_message(store.path))
    for conversation_id, *holder in store.db.execute(
        "SELECT conversation_id, token, pid, hostname, started_at, renewed_at, released_at "
        "FROM leases WHERE released_at IS NULL"
    ).fetchall():
        who = Holder(*holder)
        if not who.gone():
            raise ConversionRefused(
                f"Conversation {conversation_id} is open in another session "
                f"({who.describe()}). Leave it first; nothing was changed."
            )


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {
        name: conn.execute(f"SELECT count(*) FROM {quoted[name]}").fetchone()[0] for name in names
    }


def _write_and_check(store: Store, old: Key | None, new: Key | None) -> dict[str, int]:
    conn = store.db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")  # no other writer until the copy is checked
    except sqlite3.OperationalError as exc:
        problem = translate(store.path, exc)
        if isinstance(problem, DatabaseBusy):
            raise ConversionRefused(
                f"The reflection database {store.path} is busy: another program is writing "
                "to it. Try again in a moment; nothing was changed."
            ) from None
        raise problem from exc
    try:
        rows = _counts(conn)
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        temp = temp_path(store.path)  # created and locked by convert (leftover.claim)
        source = (
            cipher.plain_connect(store.path, timeout=files.BUSY_TIMEOUT_S)
            if old is None
            else cipher.connect(store.path, old, timeout=files.BUSY_TIMEOUT_S)
        )
        try:
            cipher.export_to(source, temp, new)
        finally:
            source.close()
        _verify(temp, new, rows, int(version))
    except sqlite3.Error as exc:
        raise translate(store.path, exc) from exc
    finally:
        conn.execute("ROLLBACK")  # nothing was written to the old file
    return rows


def _verify(temp: Path, key: Key | None, rows: dict[str, int], version: int) -> None:
    if key is None:
        check = sqlite3.connect(temp)
    else:
        check = cipher.connect(temp, key, timeout=files.BUSY_TIMEOUT_S)
    try:
        (result,) = check.execute("PRAGMA integrity_check(1)").fetchone()
        copied = _counts(check)
        (copied_version,) = check.execute("PRAGMA user_version").fetchone()
    finally:
        check.close()
    if result != "ok" or copied != rows or copied_version != version:
        raise ConversionRefused(
            f"The converted copy of the reflection database did not check out ({result}); "
            "the database was not changed."
        )
    with open(temp, "rb+") as fp:
        os.fsync(fp.fileno())


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
