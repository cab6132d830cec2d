"""Was the database closed cleanly by us since it last changed? If not, check it before use.

SQLite's `quick_check` reads every page (about 0.35 s for ten years of reflections), too slow
for every start, so it runs only when the file may have changed behind our back: after a crash,
while another process has it open, or when the file was replaced or edited by something else.
A small stamp beside the database (`<db>-clean`: inode, size and mtime at our last clean close)
tells which.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from reflectcoach.core.private import write_private

from . import rawfile

SUFFIX = "-clean"


def _stamp_path(db: Path) -> Path:
    return db.with_name(db.name + SUFFIX)


def _stamp(db: Path) -> str:
    info = os.stat(db)
    return f"{info.st_ino} {info.st_size} {info.st_mtime_ns}\n"


def needs_check(db: Path) -> bool:
    """True unless the file is exactly as our last clean close left it, or a Store of this
    process has it open (it was checked then; a thread's own connection, the app's draft
    writer or plain mode's heartbeat, must not read every page again)."""
    if rawfile.held(db):
        return False
    if db.with_name(db.name + "-wal").exists():
        return True  # in use elsewhere, or a crash left work in the log
    try:
        with open(_stamp_path(db), encoding="ascii") as fp:
            return fp.read(200) != _stamp(db)
    except (OSError, UnicodeDecodeError):
        return True


def remember_clean(db: Path) -> None:
    """Record the file as it is now, after our connection closed. Best effort: without a
    stamp the next open checks the file, which is only slower."""
    if db.with_name(db.name + "-wal").exists():
        return  # another connection still has it open: nothing to vouch for
    with contextlib.suppress(OSError):
        write_private(_stamp_path(db), _stamp(db))
