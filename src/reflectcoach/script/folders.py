"""Where scripts are looked for and which files there are scripts: what every start needs
before any script is read (the script index's key, home's first frame), with the standard
library alone. The catalog (registry.py) loads the model's dataclasses, about 10 ms."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reflectcoach.core import paths as _paths

SUFFIXES = (".yaml", ".yml")


def builtin_dir() -> Path:
    """The scripts shipped in the package (src/reflectcoach/conversations).

    Package data sits beside the modules in a wheel as in a checkout; a path from `__file__`
    avoids importing importlib.resources on every start.
    """
    return Path(__file__).resolve().parent.parent / "conversations"


def script_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    """Where scripts are looked for, in order: built-in, user, $REFLECTCOACH_SCRIPTS, extra."""
    return [builtin_dir(), _paths.user_scripts_dir(), *_paths.env_script_dirs(), *extra]


def script_files(folder: Path) -> list[Path]:
    """The *.yaml and *.yml files of a directory, sorted; hidden files (editor temps) and
    parts that scripts include (`*.part.yaml`, script/includes.py) skipped."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    return sorted(
        p
        for p in entries
        if p.suffix in SUFFIXES
        and not p.name.startswith(".")
        and not p.name.endswith(".part.yaml")
        and p.is_file()
    )
