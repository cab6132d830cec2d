"""Writing a file the person named: owner-only, never half-written, never replacing a device.

A regular file (or nothing) at the path is written through a partial file in the same folder,
created exclusively (`mkstemp`: O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 from the first byte) and
renamed over the target only once complete, so a crash leaves the old file or the new one. A
character device or FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is written in place: renaming
over it would replace the device with a regular file. A folder, a block device or a socket is
refused. Nothing here follows a planted symlink at a name we choose.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from reflectcoach.core.terminal import for_terminal

PARTIAL_SUFFIX = ".partial"


class NotWritable(OSError):
    """The path names something a file must not be written over (its message says what)."""


def _kind(path: Path) -> int | None:
    """The file type at `path` after following symlinks, or None when nothing is there."""
    try:
        return stat.S_IFMT(os.stat(path).st_mode)
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def open_text(path: Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """A text stream (UTF-8) that becomes the content of `path` when the block ends cleanly.

    Raises OSError (NotWritable for a folder, block device or socket) with nothing left
    behind and whatever was at `path` unchanged.
    """
    kind = _kind(path)
    if kind in (stat.S_IFCHR, stat.S_IFIFO):
        # No O_CREAT or O_TRUNC: if the device went away meanwhile, fail rather than make a file.
        with os.fdopen(os.open(path, os.O_WRONLY), "w", encoding="utf-8", newline=newline) as fp:
            yield for_terminal(fp)  # `-o /dev/tty` is a terminal too
        return
    if kind == stat.S_IFDIR:
        raise NotWritable(21, "it is a folder; name a file inside it", str(path))
    if kind is not None and kind != stat.S_IFREG:
        raise NotWritable(22, "it is not a regular file, a device or a pipe", str(path))
    # A symlink to a regular file: write where it points, keeping the link.
    target = Path(os.path.realpath(path)) if kind is not None else path
    _remove_stale_partial(target)
    fd, partial = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=target.parent
    )
    _lock(fd)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fp:
            yield fp
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise


def _lock(fd: int) -> bool:
    """Hold an exclusive lock on a partial while writing it: the kernel drops it when the
    process dies, so an unlocked partial of ours is one a crash left. False if held."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _remove_stale_partial(target: Path) -> None:
    """Remove partials a crashed export left for this target, only if they are ours: regular
    files (not symlinks) owned by this user, with the name we give them (or `<name>.partial`,
    the fixed name earlier versions used), that no running export holds."""
    legacy = target.name + PARTIAL_SUFFIX
    prefix = f".{target.name}."
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            name = entry.name
            ours = name == legacy or (name.startswith(prefix) and name.endswith(PARTIAL_SUFFIX))
            if not ours:
                continue
            try:
                fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                continue  # a symlink, or gone: not ours to touch
            try:
                info = os.fstat(fd)
                if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and _lock(fd):
                    os.unlink(entry.path)
            finally:
                os.close(fd)
