"""The copy a conversion writes beside the database (`<db>.converting`), and what a killed one
leaves behind.

A conversion (store/convert.py) creates the copy itself and holds an exclusive `flock` on it
until the copy has been renamed over the database (or removed). A copy nobody holds a lock on
was left by a conversion that was killed before its rename: the database is then the old,
complete file, and the copy (after `decrypt`, a plaintext copy of every answer) is removed by
the next `Store.open` of that database, which says so once.

`flock` and SQLite's POSIX locks do not interact on Linux, and the copy is not the database,
so holding this descriptor drops no lock SQLite took (docs/architecture.md, "Touching a
database outside SQLite"); it is closed only after SQLite's last use of the copy.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from reflectcoach.core.private import create_private

SUFFIX = ".converting"
COMPANIONS = ("-journal", "-wal", "-shm")


def temp_path(db: Path) -> Path:
    return db.with_name(db.name + SUFFIX)


def claim(temp: Path) -> int:
    """Create the copy (0600, O_EXCL) and lock it as a live conversion's; the descriptor
    returned is closed by `release` once the copy is renamed or removed."""
    fd = create_private(temp)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(fd)
        raise
    return fd


def release(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def remove(db: Path) -> None:
    """The copy and its SQLite companions, whoever left them (the conversion's own cleanup)."""
    temp = temp_path(db)
    for leftover in (temp, *(temp.with_name(temp.name + s) for s in COMPANIONS)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def remove_stale(db: Path) -> str | None:
    """Remove a copy no live conversion holds; the notice to give once, or None when there
    was none (or a conversion is running and holds it)."""
    temp = temp_path(db)
    try:
        fd = os.open(temp, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a link or something we cannot read: not ours to touch
        return (
            f"Found {temp}, which a conversion (encrypt, decrypt, passphrase) would have "
            f"written, but cannot check it ({exc.strerror}); remove it yourself if it is a "
            "leftover."
        )
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # a conversion is writing it right now
        # Still the file we locked (not one a conversion created meanwhile)?
        if not os.path.samestat(os.fstat(fd), os.lstat(temp)):
            return None
        remove(db)
    except FileNotFoundError:
        return None
    finally:
        os.close(fd)
    return (
        f"Removed {temp.name}, the unfinished copy an interrupted encrypt, decrypt or "
        "passphrase change left beside the database; the database itself was not changed."
    )
