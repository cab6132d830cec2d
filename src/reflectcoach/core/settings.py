"""Choices a person makes once and expects kept: the theme, who conversations are usually
about, the folder exports last went to.

A small JSON file in the user config folder (platformdirs), `settings.json`. It is written
for its owner only (0600) and atomically: a new temp file beside it (O_CREAT | O_EXCL |
O_NOFOLLOW, so nothing already there is followed or reused) and then `os.replace`, so a
crash leaves the old file or the new one, never half of one.

It is read without blocking or following links: a named pipe, a device or a symbolic link
at its place is not settings. JSON nested deeper than MAX_DEPTH is refused before parsing.
A file that cannot be read as settings is reported once (`problem`) and ignored: the defaults
are used and the file is left exactly as it is, so whatever the person wrote there can still
be mended. Changes are then kept for this run only. Nothing here raises on a bad file or a
failed write: settings are a convenience, never a reason not to start.

Standard library only (and platformdirs, through `paths`): the CLI and the app both use it.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from reflectcoach.core import paths
from reflectcoach.core.private import write_private

FILE_NAME = "settings.json"
MAX_BYTES = 64 * 1024  # far more than a few names; a bigger file is not ours
MAX_VALUE = 4096  # a theme name, a mentorship or a folder path fits with room to spare
MAX_DEPTH = 32  # settings are flat; the json module recurses once per level
# Never blocks (a named pipe with no writer would wait for one) and never follows a link.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC

THEME = "theme"
MENTORSHIP = "mentorship"
EXPORT_FOLDER = "export_folder"
KNOWN = (THEME, MENTORSHIP, EXPORT_FOLDER)


def default_path() -> Path:
    """`<user config dir>/reflectcoach/settings.json`."""
    return paths.config_dir() / FILE_NAME


class UserSettings:
    """The saved choices, all text; `path` None keeps them in memory only (tests, and any
    run that was not given a file)."""

    def __init__(
        self,
        path: Path | None = None,
        values: dict[str, str] | None = None,
        *,
        problem: str | None = None,
        others: dict[str, object] | None = None,
    ) -> None:
        self.path = path
        self.values: dict[str, str] = dict(values or {})
        # Set when the file could not be read: shown once, and the file is never written.
        self.problem = problem
        # Keys a newer version wrote: kept as they are when this one saves.
        self.others: dict[str, object] = dict(others or {})

    @classmethod
    def load(cls, path: Path | None) -> UserSettings:
        """The settings in `path`; defaults when it is missing; defaults and a `problem`
        when it cannot be read or is not settings."""
        if path is None:
            return cls()
        try:
            raw = _read(path)
        except FileNotFoundError:
            return cls(path)
        except OSError as error:
            return cls(path, problem=_damaged(path, error.strerror or str(error)))
        except _NotSettings as why:
            return cls(path, problem=_damaged(path, str(why)))
        if len(raw) > MAX_BYTES:
            return cls(path, problem=_damaged(path, f"it is larger than {MAX_BYTES:,} bytes"))
        if _depth(raw) > MAX_DEPTH:
            return cls(path, problem=_damaged(path, f"it nests deeper than {MAX_DEPTH} levels"))
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            return cls(path, problem=_damaged(path, f"it is not valid JSON ({error})"))
        if not isinstance(data, dict):
            return cls(path, problem=_damaged(path, "it is not a JSON object"))
        values: dict[str, str] = {}
        others: dict[str, object] = {}
        for key, value in data.items():
            if key not in KNOWN:
                others[key] = value
            elif value is None:
                continue
            elif not isinstance(value, str) or len(value) > MAX_VALUE:
                return cls(path, problem=_damaged(path, f"{key!r} is not a short text"))
            else:
                values[key] = value
        return cls(path, values, others=others)

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def set(self, key: str, value: str | None) -> str | None:
        """Remember `value` (None forgets it) and save; a message if it could not be saved
        (the value is still used for this run)."""
        if value is None:
            if key not in self.values:
                return None
            del self.values[key]
        elif self.values.get(key) == value:
            return None
        else:
            self.values[key] = value
        return self.save()

    def save(self) -> str | None:
        """Write the file; None when done (or nothing to write to), else why not."""
        if self.path is None or self.problem is not None:
            return None
        text = json.dumps({**self.others, **self.values}, ensure_ascii=False, indent=2) + "\n"
        try:
            write_private(self.path, text)
        except OSError as error:
            return f"Could not save the settings to {self.path}: {error.strerror or error}."
        return None


class _NotSettings(Exception):
    """What is at the path cannot be a settings file; str() says why."""


def _read(path: Path) -> bytes:
    """At most MAX_BYTES + 1 bytes of the regular file at `path`, opened without blocking or
    following a link (a FIFO, a device or a link is refused, not read)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if os.path.islink(path):
            raise _NotSettings("it is a symbolic link, which is never followed") from None
        raise error
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotSettings("it is not a regular file")
        chunks: list[bytes] = []
        left = MAX_BYTES + 1
        while left > 0 and (chunk := os.read(fd, left)):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _depth(raw: bytes) -> int:
    """How deep the JSON arrays and objects in `raw` nest (brackets inside strings are text);
    one pass, no recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _damaged(path: Path, why: str) -> str:
    return (
        f"The settings file {path} could not be used: {why}. The defaults are used and the "
        "file is left as it is; fix or delete it to save settings again."
    )
