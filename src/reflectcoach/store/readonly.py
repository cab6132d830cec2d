"""The command line's lists, `reflectcoach list` and `reflectcoach commitments`, read with the
standard library's sqlite3 alone, as `reflectcoach due` reads (store/nudges.py).

`Store.open` imports sqlite-utils and checks the file (a log a crash left, integrity, the
schema, a conversion's leftover): most of what `list` cost on a long history, and nothing a
read needs when the file is exactly as our last clean close left it (`peek.clean`), at the
schema this version writes, with no conversion's leftover beside it and nothing for
`files.prepare` to tighten or refuse (`files.settled`). Anything else returns
None and the caller opens the Store, which migrates, checks, asks for a passphrase or says
what is wrong, as before. An encrypted file is read so too, through SQLCipher, when the
caller has its key (an unlocked session's, a remembered one: no derivation).

The file is opened `immutable`, as peek.py does (no `-wal` or `-shm` created, so the next
`Store.open` still finds it clean), and asked again after the read, with the file's inode,
size and mtime: a writer that started meanwhile sends the caller to the Store rather than
trusting what was read.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, Unpack

from . import files, integrity, leftover
from .errors import StoreError
from .peek import clean
from .queries import conversations_sql, dicts
from .queries import where_clause as conversations_where
from .rows import SCHEMA_VERSION

if TYPE_CHECKING:
    from .commitments import Commitment
    from .key import Key
    from .nudges import Nudge
    from .rows import Conversation, Filters

T = TypeVar("T")


@contextmanager
def _connected(path: Path, key: Key | None) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to `path` (through SQLCipher with `key`), or None when only
    the Store may read it."""
    if not _untouched(path, key):
        yield None
        return
    query = "?mode=ro&immutable=1"
    try:
        if key is None:
            conn = sqlite3.connect(path.resolve().as_uri() + query, uri=True)
        else:  # the only library this process opens the file with (store/rawfile.py)
            from .cipher import connect

            conn = connect(path, key, timeout=0, query=query)
    except (sqlite3.Error, StoreError):  # a wrong key: the Store says so
        yield None
        return
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        yield conn if version == SCHEMA_VERSION else None
    finally:
        conn.close()


def _untouched(path: Path, key: Key | None) -> bool:
    """As our last clean close left it, with no conversion's leftover beside it: `peek.clean`,
    whose SQLite header an encrypted file has not (its first bytes are its salt)."""
    if leftover.temp_path(path).exists() or not files.settled(path):
        return False
    # No companion at all: a clean close leaves none, and anything there (even a folder
    # where the -shm goes) is the Store's to check and report.
    if any(path.with_name(path.name + s).exists() for s in ("-wal", "-shm", "-journal")):
        return False
    if key is None:
        return clean(path)
    return path.is_file() and not integrity.needs_check(path)


def _read(path: Path, key: Key | None, read: Callable[[sqlite3.Connection], T]) -> T | None:
    try:
        before = _identity(path)
        with _connected(path, key) as conn:
            if conn is None:
                return None
            found = read(conn)
    except (sqlite3.Error, OSError):
        return None
    # A writer that began (or came and went) while we read: what was read may be torn, so
    # the Store reads instead.
    return found if _untouched(path, key) and _identity(path) == before else None


def _identity(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def conversations(
    path: Path, *, limit: int | None, key: Key | None = None, **filters: Unpack[Filters]
) -> tuple[list[Conversation], int] | None:
    """`Store.conversations(limit=..., **filters)` (newest first) and how many match in all
    (`Store.count`), or None when only `Store.open` may read the file. No `query`: the
    Store picks a search's plan."""
    if filters.get("query") is not None:
        return None

    def read(conn: sqlite3.Connection) -> tuple[list[Conversation], int]:
        found = conversations_sql(limit=limit, **filters)
        where = conversations_where(**filters)
        if found is None or where is None:
            return [], 0
        rows: list[Conversation] = list(dicts(conn.execute(*found)))  # type: ignore[arg-type]
        if limit is None or len(rows) < limit:
            return rows, len(rows)
        clause, params = where
        (total,) = conn.execute(f"SELECT count(*) FROM conversations c{clause}", params).fetchone()
        return rows, int(total)

    return _read(path, key, read)


def commitments(
    path: Path,
    *,
    mentorship: str | None,
    statuses: Collection[str],
    due_before: dt.date | None,
    limit: int | None,
    key: Key | None = None,
) -> tuple[list[Commitment], int] | None:
    """`Store.commitments.all(...)` (oldest due first, undated last), at most `limit` of
    them, and how many match in all; None when only `Store.open` may read the file."""
    from .commitments import ORDER, SELECT, from_row, where_clause  # not for `list`

    where, params = where_clause(mentorship=mentorship, statuses=statuses, due_before=due_before)
    mine, named = "", []  # the mentorship's own clause, for the dated read below
    if mentorship is not None:
        mine, named = where_clause(mentorship=mentorship)
        mine = mine.removeprefix(" WHERE ")

    def read(conn: sqlite3.Connection) -> tuple[list[Commitment], int]:
        sql = f"{SELECT}{where} ORDER BY {ORDER} LIMIT ?"
        values = [*params, -1 if limit is None else limit]
        if due_before is not None and limit is not None:
            # Every row is dated, so `due IS NULL` leaves the order: each status is then a
            # range of commitments_status_due read in order and cut at `limit`, instead of
            # every match read and sorted (a lifetime's thousands of overdue ones).
            dated = ORDER.removeprefix("due IS NULL, ")
            one = (
                f"SELECT * FROM ({SELECT} WHERE status = ? AND due IS NOT NULL AND due < ?"
                f"{' AND ' + mine if mine else ''} ORDER BY {dated} LIMIT ?)"
            )
            sql = " UNION ALL ".join(one for _ in statuses) + f" ORDER BY {dated} LIMIT ?"
            day = due_before.isoformat()
            values = [*(v for s in statuses for v in (s, day, *named, limit)), limit]
        found = [from_row(row) for row in conn.execute(sql, values).fetchall()]
        if limit is None or len(found) < limit:
            return found, len(found)
        (total,) = conn.execute(f"SELECT count(*) FROM commitments{where}", params).fetchone()
        return found, int(total)

    return _read(path, key, read)


def nudges(path: Path, today: dt.date, key: Key) -> list[Nudge] | None:
    """`reflectcoach due`'s nudges of an encrypted file read with its key (a plaintext one is
    nudges.peek_nudges'); None when only `Store.open` may read it."""
    from .nudges import nudges as said  # for `due` alone: `list` loads this module too

    return _read(path, key, lambda conn: said(conn, today))
