"""Where an export from the app goes and in which format: the rules both export places (the
review dialog and the end of a conversation) share.

The file name decides the format when it ends in one of ours (.md / .markdown, .json, .csv,
.xlsx):
a name that says `.json` never receives Markdown. Any other name takes the format chosen in
the dialog (Markdown at the end of a conversation). Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FORMAT_LABELS = {"markdown": "Markdown", "json": "JSON", "csv": "CSV", "xlsx": "Spreadsheet"}
SUFFIXES = {"markdown": ".md", "json": ".json", "csv": ".csv", "xlsx": ".xlsx"}
FORMAT_OF_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
}


def format_of(name: str | Path) -> str | None:
    """The format a file name's ending names, or None for any other ending."""
    return FORMAT_OF_SUFFIX.get(Path(name).suffix.lower())


def default_name(fmt: str, day: str, folder: str = "~", subject: str = "export") -> str:
    """Every screen's suggested file: `<folder>/reflectcoach-<subject>-<day><suffix>`, the
    subject a script id for one conversation, `export` for several."""
    return f"{folder.rstrip('/') or '/'}/reflectcoach-{subject}-{day}{SUFFIXES[fmt]}"


def with_format(name: str, fmt: str) -> str:
    """`name` ending in `fmt`'s suffix, when it ends in one of ours or in none at all (a name
    the person typed with another ending is theirs to keep)."""
    if not name.strip() or name.endswith(("/", "~")):
        return name
    if not Path(name).suffix:
        return name + SUFFIXES[fmt]
    if format_of(name) is None:
        return name
    stem = name[: len(name) - len(Path(name).suffix)]
    return stem + SUFFIXES[fmt]


@dataclass(frozen=True)
class Target:
    path: Path
    format: str
    exists: bool  # a file is there already: ask before replacing it


def resolve(
    raw: str, chosen: str, *, cwd: Path | None = None, new_folder_ok: bool = False
) -> Target | str:
    """The file to write for what was typed, and its format (the name's, else `chosen`);
    or a sentence saying what is wrong with it. With `new_folder_ok` a missing folder is
    fine (the writer makes it)."""
    raw = raw.strip()
    if not raw:
        return "Type the name of the file to write."
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    fmt = format_of(path) or chosen
    if path.is_dir():
        example = path / f"reflections{SUFFIXES[fmt]}"
        return f"{path} is a folder: add a file name, like {example}."
    if not path.parent.is_dir() and not (new_folder_ok and not path.parent.exists()):
        if path.parent.exists():
            return f"{path.parent} is not a folder."
        return f"The folder {path.parent} does not exist."
    # A link or anything else already at the name counts: replacing it always asks.
    exists = path.exists() or path.is_symlink()
    return Target(path, fmt, exists)
