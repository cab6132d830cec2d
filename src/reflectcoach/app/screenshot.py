"""Saving the palette's Screenshot: an SVG of the screen, which may show private answers.

Textual writes it into the Downloads folder with the umask's mode (usually 0644) and fails
when that folder is missing. Here the folder is made when missing (0700), the data folder is
used when it cannot be, and the file is created new, for its owner only (0600), never
written through a link or over an existing file. Standard library and platformdirs only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from reflectcoach.core import paths

MAX_TRIES = 100  # names -2, -3, ... when two screenshots land in the same second

# Rich's SVG template loads Fira Code from a CDN (`src: local(...), url("https://...")`): a
# screenshot of someone's answers, opened in a browser, would tell that server so. The font
# is used when installed (`local`), else the template's monospace fallback.
_WEB_FONT = re.compile(r',\s*url\("[^"]*"\)\s*format\("[^"]*"\)')
_GENERATOR = re.compile(r"<!-- Generated with Rich [^>]*-->\n?")


def offline(svg: str) -> str:
    """`svg` (Textual's export_screenshot) without a reference to anything on the web."""
    head, marker, body = svg.partition("</style>")  # only the template's own style part
    if not marker:
        return svg
    return _GENERATOR.sub("", _WEB_FONT.sub("", head), count=1) + marker + body


def downloads_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_downloads_dir())


def fallback_dir() -> Path:
    return paths.data_dir() / "screenshots"


def file_name(title: str, moment: dt.datetime, time_format: str | None = None) -> str:
    """`reflectcoach 2026-03-14 09_30_00.svg`: no characters a file system may refuse."""
    stem = f"{title} {moment.strftime(time_format or '%Y-%m-%d %H_%M_%S')}"
    safe = "".join("_" if ch in '<>:"/\\|?*.' or ord(ch) < 32 else ch for ch in stem)
    return f"{safe}.svg"


def save(svg: str, name: str, folder: Path | None = None) -> Path:
    """Write `svg` as a new private file named `name` in `folder` (default: Downloads, else
    the data folder); the path written. Raises OSError when neither place can take it."""
    places = [folder] if folder is not None else [downloads_dir(), fallback_dir()]
    problem: OSError | None = None
    for place in places:
        try:
            return _write_new(place, name, svg)
        except OSError as error:
            problem = problem or error
    assert problem is not None
    raise problem


def _write_new(folder: Path, name: str, svg: str) -> Path:
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True)
    stem, suffix = os.path.splitext(name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for attempt in range(1, MAX_TRIES + 1):
        path = folder / (name if attempt == 1 else f"{stem}-{attempt}{suffix}")
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fp:
                if hasattr(os, "fchmod"):
                    os.fchmod(fp.fileno(), 0o600)  # whatever the umask
                fp.write(svg)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(f"{folder / name} and {MAX_TRIES - 1} numbered names exist")
