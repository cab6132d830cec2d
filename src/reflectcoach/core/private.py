"""Files and folders reflectcoach makes for itself, owner-only whatever the umask.

A mode given to `mkdir` or `open` is masked by the umask, and `Path.mkdir(parents=True)` gives
the parents it creates the default mode, not the one asked for: with `umask 000` both would
leave world-writable folders and files (anyone could then plant a script cache or settings).
Everything here sets the mode explicitly after creating, and only on what it created: a folder
that already existed is the person's, and keeps its mode.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
# Created new or not at all, never through a link, and not inherited by programs we start.
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_NEW |= getattr(os, "O_CLOEXEC", 0)


def make_dirs(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents, each 0700; the folders created, outermost
    first. Raises OSError (FileExistsError-free: a folder made meanwhile by another process is
    fine) when one cannot be made."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    created: list[Path] = []
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # another process made it first: theirs, as it is
        os.chmod(directory, FOLDER_MODE)
        created.append(directory)
    return created


def create_private(path: Path) -> int:
    """Create `path` as a new file for its owner only (0600 whatever the umask) and return
    its descriptor, open for writing. FileExistsError when anything is at `path` already,
    a link included."""
    fd = os.open(path, _NEW, FILE_MODE)
    try:
        if hasattr(os, "fchmod"):  # not on Windows, where the mode means little
            os.fchmod(fd, FILE_MODE)  # whatever the umask
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    return fd


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, readable by its owner only, all at once (fsynced, renamed
    into place). Missing folders are made (0700). Raises OSError with no temp file left."""
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """`write_private` for bytes (a share bundle)."""
    make_dirs(path.parent)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = create_private(temp)
    except FileExistsError:
        # Left by a run that crashed with this pid: it is only ever our own temp file.
        temp.unlink()
        fd = create_private(temp)
    try:
        with os.fdopen(fd, "wb") as fp:
            os.fchmod(fp.fileno(), FILE_MODE)  # whatever the umask
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _remove_stale_temps(path)


def _remove_stale_temps(path: Path) -> None:
    """Temp files of `path` that a killed writer left (`.NAME.PID.tmp`, PID gone): never
    read, only removed, so a folder does not fill with them (make crash counts them)."""
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix) : -len(".tmp")]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        try:
            os.unlink(path.parent / name)
        except OSError:
            continue  # gone already, or not ours to remove


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True
