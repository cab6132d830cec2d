"""The database file on disk: private modes, refusing what must not be touched, connecting.

Everything here runs before SQLite is allowed to write a byte: a file that is not SQLite, is
cut short, or is read-only is reported (StoreError) and left exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reflectcoach.core.paths import APP, data_dir
from reflectcoach.core.private import FILE_MODE, FOLDER_MODE, create_private, make_dirs

from . import rawfile
from .errors import ELSEWHERE, StoreError, damaged, read_only

if TYPE_CHECKING:
    from .key import Key

HEADER = b"SQLite format 3\x00"
# Which copy of SQLite opens a file: the standard library's, or SQLCipher's (store/rawfile.py:
# one process never opens one file through both).
Library = Literal["sqlite3", "sqlcipher"]
BUSY_TIMEOUT_S = 5.0
BUSY_TIMEOUT_ENV = "REFLECTCOACH_BUSY_TIMEOUT"  # seconds; tests shorten the wait


def busy_timeout() -> float:
    """How long a write waits for another program's write lock before DatabaseBusy."""
    value = os.environ.get(BUSY_TIMEOUT_ENV)
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass  # a mistyped setting keeps the default rather than failing every open
    return BUSY_TIMEOUT_S


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


class Encrypted(StoreError):
    """The file is not plain SQLite and no key was given: encrypted (or damaged)."""


class NotEncrypted(StoreError):
    """A key was given for a plaintext database."""


def prepare(path: Path, *, encrypted: bool = False) -> list[str]:
    """Create the folder (0700) and an empty file (0600) if missing; check what exists.
    `encrypted`: a key was given, so an existing file must not be plaintext.

    Returns the notices a person should see once: a database, its -wal or -shm, or the default
    data folder, found readable by others and made private (see `_tighten`)."""
    _check_kind(path)
    _make_dirs(path.parent)
    try:
        fd = create_private(path)
    except FileExistsError:
        pass
    except PermissionError:
        raise read_only(path, f"the folder {path.parent}") from None
    except OSError as exc:
        raise StoreError(f"Cannot create the reflection database {path}: {exc.strerror}.") from exc
    else:
        os.close(fd)
    _check_writable(path)
    _check_header(path, encrypted)
    return _tighten(path)


def _tighten(path: Path) -> list[str]:
    """Make the database and its -wal/-shm 0600, and the default data folder 0700, where
    group or others could read or write them (a copy restored from a backup, an older
    version, a umask of 022 at the time). Said once: afterwards there is nothing to tighten.

    A folder the person chose (`--db ~/notes/r.db`, REFLECTCOACH_DB) is theirs and keeps its
    mode: it may be shared on purpose, and other files live there. The database files in it
    are ours and are still made private, which the folder's mode cannot undo for their content.
    """
    changed: list[str] = []
    targets = [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))]
    modes = [(target, FILE_MODE) for target in targets]
    if _is_default_folder(path.parent):
        modes.append((path.parent, FOLDER_MODE))
    for target, wanted in modes:
        try:
            info = os.stat(target)
        except FileNotFoundError:
            continue
        if not stat.S_IMODE(info.st_mode) & 0o077 or info.st_uid != os.geteuid():
            continue  # private already, or not ours to change
        try:
            os.chmod(target, stat.S_IMODE(info.st_mode) & ~0o077 | (wanted & 0o700))
        except OSError:
            continue  # a file system without modes: nothing we can do, nothing to say
        changed.append(f"{target} ({stat.S_IMODE(info.st_mode):04o} -> {wanted:04o})")
    if not changed:
        return []
    return [
        "Others could read your reflections; reflectcoach made these private (owner only): "
        + ", ".join(changed)
        + "."
    ]


def settled(path: Path) -> bool:
    """Whether `prepare` would find nothing to say about this existing database: a regular
    file, private already (or not ours to tighten), readable and writable, in a writable
    folder that, if it is the default one, is private too. A read without the Store
    (readonly.py) asks this first, so that it never skips one of prepare's notices."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
            return False
        folder = os.stat(path.parent)
        loose = [t for t in (info, folder) if t.st_mode & 0o077 and t.st_uid == os.geteuid()]
        # A loose folder matters only if it is the default one, which is named APP on every
        # platform: asked before finding the default folder, which imports platformdirs
        # (5 ms of every `list` with --db in a folder others may read).
        named = APP in (path.parent.name, path.parent.resolve().name)
        if info in loose or (loose and named and _is_default_folder(path.parent)):
            return False
        return os.access(path, os.R_OK) and _writable(path) and _writable(path.parent)
    except OSError:
        return False


def _is_default_folder(folder: Path) -> bool:
    try:
        return folder.resolve() == data_dir().resolve()
    except OSError:
        return False


def _check_kind(path: Path) -> None:
    """Only a regular file, or nothing, can be the database: SQLite would block forever
    reading a named pipe, and would write journals beside a device (`/dev/null-journal`)."""
    try:
        kind = stat.S_IFMT(os.stat(path).st_mode)
    except FileNotFoundError:
        if path.is_symlink():
            raise StoreError(
                f"The reflection database {path} is a symbolic link to "
                f"{os.readlink(path)}, which does not exist; fix the link, {ELSEWHERE}."
            ) from None
        return
    except NotADirectoryError:
        return  # a file where a folder should be: _make_dirs says so
    except OSError as exc:
        raise StoreError(f"Cannot open the reflection database {path}: {exc.strerror}.") from exc
    if kind != stat.S_IFREG:
        what = _KINDS.get(kind, "not a regular file")
        raise StoreError(
            f"The reflection database {path} is {what}, not a file; "
            f"reflectcoach has not touched it ({ELSEWHERE})."
        )


def _make_dirs(folder: Path) -> None:
    try:
        make_dirs(folder)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the folder {exc.filename or folder} for the reflection database: "
            f"{exc.strerror}; {ELSEWHERE}."
        ) from exc
    if not folder.is_dir():
        raise StoreError(f"{folder} is not a folder, so it cannot hold the reflection database.")


def _writable(target: Path) -> bool:
    # The owner-write bit is honoured even for root, who could write anyway: a file or
    # folder someone made read-only is never written behind their back.
    mode = target.stat().st_mode
    return os.access(target, os.W_OK) and bool(mode & stat.S_IWUSR)


def _check_writable(path: Path) -> None:
    try:
        if not os.access(path, os.R_OK):
            raise StoreError(
                f"The reflection database {path} cannot be read (permission denied). "
                f"Check its permissions, {ELSEWHERE}."
            )
        if not _writable(path):
            raise read_only(path, "the file")
        # WAL needs to create <db>-wal and <db>-shm next to the file.
        if not _writable(path.parent):
            raise read_only(path, f"its folder {path.parent}")
    except OSError as exc:
        raise StoreError(f"Cannot open the reflection database {path}: {exc.strerror}.") from exc


def _busy(path: Path) -> bool:
    """Another connection may be writing (or a crash left work to recover)."""
    return any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal"))


def is_plaintext(path: Path) -> bool:
    """Whether an existing, non-empty file starts as plain SQLite does; False for an
    encrypted file (or one that is not SQLite at all), and for a missing or empty one."""
    try:
        # docs/architecture.md, "Touching a database outside SQLite": never a plain open().
        return rawfile.head(path, len(HEADER))[0] == HEADER
    except OSError:
        return False


def looks_encrypted(path: Path) -> bool:
    """Non-empty and not plain SQLite: encrypted, or not a database at all (only the key
    can tell). Reads 16 bytes; what front ends ask before deciding to ask for a passphrase."""
    try:
        info = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        return False  # a folder, a device, a new file: prepare() says what is wrong
    return not is_plaintext(path)


def _check_header(path: Path, encrypted: bool = False) -> None:
    busy = _busy(path)
    header, size = rawfile.head(path, 100)  # docs/architecture.md: never a plain open()
    busy = busy or _busy(path)
    if size == 0:
        return  # new, empty: SQLite initialises it
    plain = header.startswith(HEADER)
    if encrypted:
        if plain:
            raise NotEncrypted(
                f"The reflection database {path} is not encrypted, but a passphrase was given. "
                "Open it without one, or encrypt it first with `reflectcoach encrypt`. "
                "reflectcoach has not changed it."
            )
        return  # encrypted: only the key can tell whether it is ours (cipher.connect)
    if not plain and len(header) == 100:
        raise Encrypted(
            f"The reflection database {path} is encrypted, or is not an SQLite database file "
            "(it does not start as one). If it is encrypted, give its passphrase: reflectcoach "
            "asks for it on a terminal, or reads the file named by REFLECTCOACH_PASSPHRASE_FILE "
            f"or the descriptor given with --passphrase-fd. reflectcoach has not changed it "
            f"({ELSEWHERE})."
        )
    if len(header) < 100 or not plain:
        raise damaged(path, "it is not an SQLite database file")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise damaged(path, "its header is invalid")
    pages = int.from_bytes(header[28:32], "big")
    valid = pages > 0 and header[24:28] == header[92:96]  # change counter == valid-for
    # A checkpoint writes page 1 before growing the file, so only judge a file at rest.
    if valid and not busy and size < pages * page_size:
        raise damaged(path, f"it is cut short: {size} of {pages * page_size} bytes")


class Schema:
    """What a database file holds, read without writing a byte (see `read_schema`)."""

    def __init__(
        self,
        objects: list[tuple[str, str]],
        applied: list[str],
        problem: str | None = None,
        user_version: int = 0,
    ) -> None:
        self.objects = objects  # (type, name) of every table, view, index and trigger
        self.applied = applied  # names of the migrations of our set recorded in it
        self.problem = problem  # the first problem SQLite's quick_check found, if asked
        self.user_version = user_version  # PRAGMA user_version: our schema number, once set


def read_schema(
    path: Path,
    migration_set: str,
    *,
    check: bool = False,
    key: Key | None = None,
    library: Library = "sqlite3",
) -> Schema | None:
    """The schema of an existing database, or None for a new, empty file; with `check`, also
    the first problem of SQLite's `quick_check`.

    Nothing of another program's is touched. With a WAL beside the file, a read-only
    connection reads its frames without checkpointing or deleting it. Without one the main file
    is complete and is read as `immutable`, which creates no `-wal`/`-shm` and ignores a hot
    rollback journal (a writer that crashed mid-transaction), leaving it for its owner, or for
    us if the file turns out to be ours; the check then waits until that journal is rolled back.
    """
    if path.stat().st_size == 0 and not _busy(path):
        return None
    wal = path.with_name(path.name + "-wal").exists()
    hot_journal = path.with_name(path.name + "-journal").exists()
    query = "?mode=ro" if wal else "?mode=ro&immutable=1"
    if key is not None:
        from .cipher import connect as cipher_connect  # SQLCipher only for encrypted files

        conn = cipher_connect(path, key, timeout=BUSY_TIMEOUT_S, query=query)
    elif library == "sqlcipher":
        from .cipher import plain_connect  # SQLCipher's SQLite only when asked for

        conn = plain_connect(path, timeout=BUSY_TIMEOUT_S, query=query)
    else:
        conn = sqlite3.connect(path.resolve().as_uri() + query, uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        objects = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        applied: list[str] = []
        if ("table", "_sqlite_migrations") in objects:
            rows = conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (migration_set,)
            )
            applied = [name for (name,) in rows]
        problem = None
        if check and not hot_journal:
            (result,) = conn.execute("PRAGMA quick_check(1)").fetchone()
            problem = None if result == "ok" else str(result)
        (user_version,) = conn.execute("PRAGMA user_version").fetchone()
        return Schema(objects, applied, problem, int(user_version))
    except sqlite3.DatabaseError as exc:
        raise damaged(path, f"SQLite says: {exc}") from None
    finally:
        conn.close()


def connect(
    path: Path,
    timeout: float | None = None,
    key: Key | None = None,
    library: Library = "sqlite3",
    shared: bool = False,
) -> sqlite3.Connection:
    """An sqlite3 connection with a busy timeout (`busy_timeout()` unless given) and foreign
    keys; nothing written yet. With `key`, an SQLCipher connection with the key checked; with
    `library="sqlcipher"`, a plaintext file through SQLCipher's SQLite. `shared`: usable
    from any thread, one at a time (the caller serialises: app/workers.py)."""
    seconds = busy_timeout() if timeout is None else timeout
    if key is not None:
        from .cipher import connect as cipher_connect  # SQLCipher only for encrypted files

        conn = cipher_connect(path, key, timeout=seconds, shared=shared)
    elif library == "sqlcipher":
        from .cipher import plain_connect  # SQLCipher's SQLite only when asked for

        conn = plain_connect(path, timeout=seconds, shared=shared)
    else:
        conn = sqlite3.connect(path, timeout=seconds, check_same_thread=not shared)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def configure(conn: sqlite3.Connection) -> None:
    """WAL (persistent, set once per file) and synchronous=FULL (per connection).

    Two processes switching a new file to WAL at the same moment can get "database is locked"
    at once (SQLite skips the busy handler where waiting could deadlock): retry until the
    busy timeout, checking whether the other one has switched it meanwhile.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "wal":
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            mode = "busy"
        if mode.lower() == "wal":
            break
        if time.monotonic() > deadline:
            raise StoreError(
                f"Could not switch the reflection database to WAL mode (it stayed {mode}); "
                "another program may be holding it open. Close it and try again."
            )
        time.sleep(0.02)
    conn.execute("PRAGMA synchronous = FULL")
