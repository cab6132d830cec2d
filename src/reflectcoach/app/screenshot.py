"""Saving the palette's Screenshot: an SVG of the screen, which may show private answers.

Textual writes it into the Downloads folder with the umask's mode (usually 0644) and fails
when that folder is missing. Here the folder is made when missing (0700), the data folder is
used when it cannot be, and the file is created new, for its owner only (0600), never
written through a link or over an existing file. `deliver` is the app's Screenshot: the
file saved and the path said in a notice.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflectcoach.core import paths
from reflectcoach.core.private import create_private, make_dirs
from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from textual.app import App

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
    import platformdirs  # only when a screenshot is saved

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
    make_dirs(folder)  # each missing folder 0700, its parents too, whatever the umask
    stem, suffix = os.path.splitext(name)
    for attempt in range(1, MAX_TRIES + 1):
        path = folder / (name if attempt == 1 else f"{stem}-{attempt}{suffix}")
        try:
            fd = create_private(path)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fp:
                fp.write(svg)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(f"{folder / name} and {MAX_TRIES - 1} numbered names exist")


def deliver(
    app: App[Any], filename: str | None, path: str | None, time_format: str | None
) -> str | None:
    """The app's Screenshot: saved by `save`, private and into a folder that exists, and the
    path said in a notice; None when it could not be saved (the notice says why)."""
    name = filename or file_name(app.title, dt.datetime.now(), time_format)
    folder = Path(path).expanduser() if path else None
    try:
        # Without Rich's web font: opening it fetches nothing (offline).
        svg = offline(app.export_screenshot())
        written = save(svg, name, folder)
    except OSError as problem:
        where = folder or downloads_dir()
        app.notify(
            clean(f"Could not save the screenshot in {where}: {problem.strerror or problem}"),
            title="Screenshot",
            severity="error",
            markup=False,
        )
        return None
    app.notify(clean(f"Saved the screenshot to {written}"), title="Screenshot", markup=False)
    return os.fspath(written)
