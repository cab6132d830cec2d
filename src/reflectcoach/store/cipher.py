"""Encrypted database files: SQLCipher 4 connections (sqlcipher3) opened with a Key.

Only imported for a file that has a key: the plaintext path never loads sqlcipher3. An
encrypted file has no "SQLite format 3" header (its first 16 bytes are the salt), so it is
told from a plaintext one by its first bytes, and from a damaged file or a wrong passphrase
only by whether the key opens it (SQLITE_NOTADB), which is one message for both.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from . import rawfile
from .errors import StoreError
from .key import SALT_BYTES, Key


def _graft_errors() -> None:
    """Make each sqlcipher3 exception also the stdlib sqlite3 one of the same name.

    sqlcipher3 is a separate build of Python's sqlite3 module with its own exception classes;
    every `except sqlite3.OperationalError` in the store (and in sqlite-utils, which falls back
    on such errors) must catch them alike. Adding the stdlib class as a base keeps both
    hierarchies intact (their layouts are the same: plain Exception subclasses)."""
    for name in (
        "InterfaceError",
        "DatabaseError",
        "DataError",
        "OperationalError",
        "IntegrityError",
        "InternalError",
        "ProgrammingError",
        "NotSupportedError",
    ):
        ours, theirs = getattr(sqlcipher, name), getattr(sqlite3, name)
        if theirs not in ours.__mro__:
            ours.__bases__ = (*ours.__bases__, theirs)


_graft_errors()


class WrongPassphrase(StoreError):
    """The key does not open the file: a wrong passphrase, or not a reflectcoach database."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Could not open {path}: wrong passphrase, or not a reflectcoach database. "
            "reflectcoach has not changed it."
        )


def salt_of(path: Path) -> bytes | None:
    """The salt at the start of an existing encrypted file; None for a new, empty one."""
    # docs/architecture.md, "Touching a database outside SQLite": never a plain open().
    salt = rawfile.head(path, SALT_BYTES)[0]
    return salt if len(salt) == SALT_BYTES else None


def connect(
    path: Path,
    key: Key,
    *,
    timeout: float,
    query: str = "",
    salt: bytes | None = None,
    shared: bool = False,
) -> sqlite3.Connection:
    """A connection to `path` with `key` applied and checked (WrongPassphrase if it does not
    open the file). `query`: URI parameters such as "?mode=ro". Nothing is written."""
    if salt is None:
        salt = salt_of(path)
    uri = path.resolve().as_uri() + query
    conn: Any = sqlcipher.connect(uri, uri=True, timeout=timeout, check_same_thread=not shared)
    try:
        # SQLCipher's log would print "hmac check failed" on stderr for a wrong passphrase.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{key.pragma_for(salt)}"')
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
                raise WrongPassphrase(path) from None
            raise
    except BaseException:
        conn.close()
        raise
    return conn  # type: ignore[no-any-return]


def plain_connect(
    path: Path, *, timeout: float, query: str = "", shared: bool = False
) -> sqlite3.Connection:
    """An sqlcipher3 connection without a key: a plaintext file, read for `sqlcipher_export`
    (the whole process then opens it through SQLCipher only: store/rawfile.py)."""
    conn: Any = sqlcipher.connect(
        path.resolve().as_uri() + query, uri=True, timeout=timeout, check_same_thread=not shared
    )
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn  # type: ignore[no-any-return]


def export_to(conn: sqlite3.Connection, target: Path, key: Key | None) -> None:
    """Copy everything `conn` holds into the empty file `target`, encrypted with `key` (or
    plaintext for None), in one pass by SQLCipher's `sqlcipher_export`: no temporary
    plaintext copy ever exists when encrypting. The schema number goes along (export does
    not copy user_version)."""
    pragma = "" if key is None else key.pragma_for(None)
    (version,) = conn.execute("PRAGMA main.user_version").fetchone()
    conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), pragma))
    try:
        conn.execute("SELECT sqlcipher_export('converted')").fetchone()
        conn.execute(f"PRAGMA converted.user_version = {int(version)}")
    finally:
        conn.execute("DETACH DATABASE converted")
