"""Home's first lists, read with the standard library's sqlite3 alone.

`Store.open` imports sqlite-utils (about 40 ms here, most of what home waited for) and checks
the file (a log a crash left, integrity, migrations). To draw its lists on start, home needs
two reads, and a plain read-only connection is enough when the file is exactly as our last
clean close left it: no write-ahead log or rollback journal beside it, the integrity stamp
matching (`integrity.needs_check`), and a schema with mentorship keys. Anything else returns
None, and the caller opens the Store as before. An encrypted file does not start with
SQLite's header, so it goes to the Store too (which alone imports the cipher).

The file is opened `immutable` (as `files.read_schema` does): no `-wal` or `-shm` is created,
so the next `Store.open` still finds the file clean. The caller reads the Store afterwards
anyway (home refreshes its lists from it), so a writer that started meanwhile only means
those lists change a moment later.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from . import integrity, rawfile
from .queries import MENTORSHIP_NAMES, conversations_sql, dicts
from .rows import Conversation

HEADER = b"SQLite format 3\x00"
MENTORSHIP_KEYS = 4  # the schema version (m004) that added conversations.mentorship_key


def clean(path: Path) -> bool:
    """A plaintext file exactly as our last clean close left it: what a stdlib read-only
    connection may read without the Store (here and in store/nudges.py)."""
    try:
        # docs/architecture.md, "Touching a database outside SQLite": never a plain open().
        if rawfile.head(path, len(HEADER))[0] != HEADER:
            return False
    except OSError:
        return False
    for suffix in ("-wal", "-journal"):
        if path.with_name(path.name + suffix).exists():
            return False
    return not integrity.needs_check(path)


def home_lists(path: Path, *, limit: int = 50) -> tuple[list[str], list[Conversation]] | None:
    """The mentorship names (`Store.mentorships`) and the conversations in progress, most
    recently updated first (`Store.conversations(status="in_progress", by="updated_at")`),
    or None when only `Store.open` may read this file."""
    if not clean(path):
        return None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version < MENTORSHIP_KEYS:
            return None
        names = [name for (name,) in conn.execute(MENTORSHIP_NAMES)]
        found = conversations_sql(limit=limit, by="updated_at", status="in_progress")
        assert found is not None  # a status filter always can match
        running: list[Conversation] = list(dicts(conn.execute(*found)))  # type: ignore[arg-type]
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return names, running
