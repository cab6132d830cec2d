"""Reading a database file, its `-wal` or its `-shm` outside SQLite, without dropping locks.

POSIX advisory locks belong to a process and an inode: closing *any* descriptor of the file
releases every lock the process holds on it, including those of its SQLite connections
("How To Corrupt An SQLite Database File", 2.2). Another process closing its connection then
believes it is the last one, checkpoints and deletes the `-wal` and `-shm` that this process
is still writing into. So while this process has a connection to a database (`hold`), every
raw read of that database or its companions goes through a descriptor opened once and kept
until the last connection is gone (`release`); when nothing is held, a descriptor is opened
and closed as usual. A lock serialises both, so no connection appears between a check and a
close. The rule is in docs/architecture.md ("Touching a database outside SQLite"); every
place that reads a database path without SQLite calls this module.

One SQLite library per file and process, for the same reason: a connection of a second copy
of SQLite (stdlib `sqlite3` beside `sqlcipher3`) closes its descriptors without knowing the
first one's locks. `Store.open(..., library="sqlcipher")` is how a conversion reads a
plaintext file with SQLCipher's `sqlcipher_export` without mixing the two.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

COMPANIONS = ("-wal", "-shm", "-journal")

Inode = tuple[int, int]  # (device, inode): what locks belong to

_lock = threading.RLock()
_held: dict[Inode, _Hold] = {}  # a database's (device, inode) -> this process's hold


@dataclass
class _Hold:
    connections: int = 0
    kept: dict[Inode, int] = field(default_factory=dict)  # file's inode -> its fd


def _inode(path: Path) -> Inode | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def database_of(path: Path) -> Path:
    """The database a path belongs to: itself, or the file a `-wal`/`-shm` stands beside."""
    for suffix in COMPANIONS:
        if path.name.endswith(suffix):
            return path.with_name(path.name[: -len(suffix)])
    return path


def hold(db: Path) -> Inode | None:
    """A connection of this process to `db` is about to open: from now on raw reads of it
    keep their descriptors. Returns what `release` takes (the file may be renamed over
    before the connection closes, as a conversion does)."""
    with _lock:
        inode = _inode(db)
        if inode is not None:
            _held.setdefault(inode, _Hold()).connections += 1
        return inode


def release(inode: Inode | None) -> None:
    """A connection `hold` counted has closed; the last one closes the kept descriptors
    (nothing of this process holds a lock on the file any more)."""
    with _lock:
        entry = _held.get(inode) if inode is not None else None
        if entry is None:
            return
        entry.connections -= 1
        if entry.connections <= 0:
            del _held[inode]  # type: ignore[arg-type]
            for fd in entry.kept.values():
                os.close(fd)


def held(db: Path) -> bool:
    """Whether a connection of this process has `db` open."""
    with _lock:
        inode = _inode(db)
        return inode is not None and inode in _held


@contextlib.contextmanager
def descriptor(path: Path) -> Iterator[int]:
    """A read-only descriptor of `path` (a database or one of its companions) that is safe
    to use while this process has the database open: kept, never closed, while it is held.
    OSError as `os.open` raises it (FileNotFoundError, IsADirectoryError...)."""
    flags = os.O_RDONLY | os.O_NONBLOCK  # a named pipe must not block the open
    if path != database_of(path):
        flags |= getattr(os, "O_NOFOLLOW", 0)  # companions are SQLite's, never links
    with _lock:
        entry = _held.get(_inode(database_of(path)) or (-1, -1))
        if entry is None:
            fd = os.open(path, flags)
            try:
                _refuse_non_file(fd, path)
                yield fd
            finally:
                os.close(fd)
            return
        inode = _inode(path)
        fd = entry.kept.get(inode) if inode is not None else None
        if fd is None:
            fd = os.open(path, flags)
            try:
                _refuse_non_file(fd, path)
            except OSError:
                os.close(fd)  # not a regular file: SQLite holds no lock on it
                raise
            info = os.fstat(fd)
            entry.kept[(info.st_dev, info.st_ino)] = fd
        yield fd


class NotAFile(OSError):
    """A folder, pipe, device or socket where SQLite keeps a file."""


def _refuse_non_file(fd: int, path: Path) -> None:
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        raise NotAFile(f"{path} is not a regular file")


def head(path: Path, size: int) -> tuple[bytes, int]:
    """The first `size` bytes of `path` and its whole size, read as `descriptor` allows."""
    with descriptor(path) as fd:
        return os.pread(fd, size, 0), os.fstat(fd).st_size


def same_file(path: Path, db: Path) -> bool:
    """Whether `path` is the database `db` or one of its companions (by inode): a file
    that must never be read, written or replaced as anything else."""
    target = _inode(path)
    if target is None:
        return False
    return any(
        _inode(candidate) == target
        for candidate in (db, *(db.with_name(db.name + s) for s in COMPANIONS))
    )
