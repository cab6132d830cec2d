"""StoreError, and turning sqlite3 errors into messages a person can act on."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from reflectcoach.core.errors import UserError

P = ParamSpec("P")
T = TypeVar("T")

ELSEWHERE = "or set REFLECTCOACH_DB to use another file"


class StoreError(UserError):
    """A problem with the reflection database; `str(e)` is a complete, user-facing message."""


class DatabaseBusy(StoreError):
    """Another program held the write lock for longer than the busy timeout. Nothing was
    written; the same write can be tried again (front ends wait and retry)."""


def damaged(path: Path, detail: str) -> StoreError:
    return StoreError(
        f"The reflection database {path} is damaged or is not a reflectcoach database "
        f"({detail}). reflectcoach has not changed it. Restore it from a backup or an export, "
        f"or move it aside and start a new one ({ELSEWHERE})."
    )


def read_only(path: Path, what: str) -> StoreError:
    return StoreError(
        f"The reflection database {path} cannot be written: {what} is read-only. "
        f"Make it writable (for example `chmod u+w`), {ELSEWHERE}."
    )


def translate(path: Path, exc: sqlite3.Error) -> StoreError:
    """The StoreError for an sqlite3 error raised while using the database at `path`."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "locked" in text:
        return DatabaseBusy(
            f"The reflection database {path} is busy: another program is still writing "
            "to it. Nothing was lost; try again in a moment."
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text:
        return damaged(path, text)
    if name.startswith("SQLITE_READONLY"):
        return read_only(path, "the file or its folder")
    if name.startswith("SQLITE_FULL"):
        return StoreError(
            f"The disk holding the reflection database {path} is full; the last change was "
            "not saved. Free some space and try again."
        )
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")):
        return StoreError(
            f"The reflection database {path} could not be read or written ({text}). "
            f"Check the disk and the file's permissions, {ELSEWHERE}."
        )
    return StoreError(f"Error in the reflection database {path}: {text}")


def guarded(method: Callable[P, T]) -> Callable[P, T]:
    """Decorate a method of an object with `.path`: sqlite3 errors become StoreError."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except sqlite3.ProgrammingError:
            raise  # a bug (closed store, wrong thread), not a problem with the file
        except sqlite3.Error as exc:
            raise translate(_path_of(args), exc) from exc

    return wrapper


def guarded_iter(method: Callable[P, Iterator[T]]) -> Callable[P, Iterator[T]]:
    """Like `guarded`, for generator methods (errors can happen while iterating)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
        try:
            yield from method(*args, **kwargs)
        except sqlite3.ProgrammingError:
            raise
        except sqlite3.Error as exc:
            raise translate(_path_of(args), exc) from exc

    return wrapper


def _path_of(args: tuple[Any, ...]) -> Path:
    owner = args[0] if args else None
    return Path(getattr(owner, "path", "<database>"))
