"""The last net: an unexpected exception's details go to a private file, not on screen.

A traceback on a terminal is no help to the person reading it, and Textual's own shows the
locals of every frame: answers, names, the conversation being written. So the app writes
the traceback (without locals) to a new file in the user state folder, owner-only (0600, in
a 0700 folder), and shows one line saying where it is. Every answer is committed before the
next question is shown, so "nothing you answered was lost" is true whenever this runs.

No Textual here: the app calls `report` from its exception hook; any front end may.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import stat
import sys
import traceback
from pathlib import Path

from reflectcoach import __version__
from reflectcoach.core.paths import state_dir
from reflectcoach.core.private import FOLDER_MODE, create_private, make_dirs

STOPPED = "reflectcoach hit a problem and stopped; nothing you answered was lost."


def log_dir() -> Path:
    return state_dir() / "logs"


def report(error: BaseException, folder: Path | None = None) -> str:
    """Write `error`'s traceback to a new log file; the one line to show the person."""
    try:
        written = write(error, folder or log_dir())
    except Exception as problem:  # the last net must not fail itself: say why, and stop
        reason = getattr(problem, "strerror", None) or str(problem) or type(problem).__name__
        return f"{STOPPED} (The details could not be saved: {reason}.)"
    return f"{STOPPED} Details: {written}"


def write(error: BaseException, folder: Path) -> Path:
    """A new file `crash-<UTC time>-<pid>.log` in `folder` (made private if it is not),
    created exclusively and never through a symlink."""
    _private_folder(folder.parent)
    _private_folder(folder)
    now = dt.datetime.now(dt.UTC)
    stem = f"crash-{now:%Y%m%dT%H%M%SZ}-{os.getpid()}"
    frames = traceback.format_exception(error)  # frames and messages, no locals
    # Textual's WorkerFailed keeps the worker's own exception apart, with the frames that
    # say where it happened: without them the log says only what went wrong.
    inner = getattr(error, "error", None)
    if isinstance(inner, BaseException) and inner is not error:
        frames += ["\nIn the worker:\n", *traceback.format_exception(inner)]
    text = "".join(
        [
            f"reflectcoach {__version__} stopped at {now.isoformat(timespec='seconds')}\n",
            f"Python {sys.version.split()[0]} on {platform.platform()}\n\n",
            *frames,
        ]
    )
    for attempt in range(100):
        path = folder / (stem + (f"-{attempt}" if attempt else "") + ".log")
        try:
            handle = create_private(path)
        except FileExistsError:
            continue
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as fp:
            fp.write(text)
        return path
    raise FileExistsError(f"{folder} already holds a hundred logs named {stem}")


def _private_folder(folder: Path) -> None:
    """`folder` exists, is a real folder of this user's, and only they can read it."""
    make_dirs(folder)  # what is missing, 0700 whatever the umask
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):  # a symlink or a file where the folder should be
        raise NotADirectoryError(f"{folder} is not a folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise PermissionError(f"{folder} belongs to someone else")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(folder, FOLDER_MODE)
