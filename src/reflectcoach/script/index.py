"""A cache of what the script folders hold, so that listing scripts and finding one by id
parse no YAML when no file has changed since the last run.

The cache is keyed by every script file's path, size and modification time (and the
reflectcoach version): any edit, new file or removed file means a full load, which rewrites
it. Losing or corrupting the cache file costs one full load, nothing else.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflectcoach import __version__
from reflectcoach.core import paths
from reflectcoach.core.private import write_private
from reflectcoach.script.folders import script_files

if TYPE_CHECKING:
    from reflectcoach.script.registry import Catalog

FORMAT = 1


def cache_file() -> Path:
    return paths.cache_dir() / "scripts.json"


def _signature(dirs: Sequence[Path]) -> list[list[Any]]:
    signature: list[list[Any]] = []
    for folder in dirs:
        if not folder.is_dir():
            signature.append([str(folder), -1, -1])
            continue
        # The parts scripts include change what those scripts are (script/includes.py).
        for file in [*script_files(folder), *sorted(folder.glob("*.part.yaml"))]:
            try:
                stat = file.stat()
            except OSError:
                continue
            signature.append([str(file), stat.st_size, stat.st_mtime_ns])
    return signature


def _read(key: dict[str, Any]) -> dict[str, Any] | None:
    try:
        cached = json.loads(cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("key") != key:
        return None
    if not isinstance(cached.get("scripts"), list) or not isinstance(
        cached.get("diagnostics"), list
    ):
        return None  # a hand-edited or damaged body costs one full load, nothing else
    return cached


def _write(data: dict[str, Any]) -> None:
    # Owner-only, whatever the umask: a cache others could write would let them choose which
    # file `start <id>` opens.
    # A read-only home only makes the next run slower.
    with contextlib.suppress(OSError):
        write_private(cache_file(), json.dumps(data, ensure_ascii=False))


def _key(dirs: Sequence[Path]) -> dict[str, Any]:
    return {"format": FORMAT, "version": __version__, "files": _signature(dirs)}


def remember(dirs: Sequence[Path], catalog: Catalog) -> tuple[list[dict[str, Any]], list[str]]:
    """Write the cache from a catalog just loaded from `dirs`; the listing it holds."""
    scripts = [
        {
            "id": s.id,
            "title": s.title,
            "summary": s.summary,
            "audience": str(s.audience),
            "steps": len(s.steps),
            "source": s.source,
        }
        for s in catalog.scripts.values()
    ]
    diagnostics = [str(d) for d in catalog.diagnostics]
    _write({"key": _key(dirs), "scripts": scripts, "diagnostics": diagnostics})
    return scripts, diagnostics


def listing(dirs: Sequence[Path]) -> tuple[list[dict[str, Any]], list[str]]:
    """The valid scripts in `dirs` (id, title, summary, audience, steps, source) and every
    problem found while loading them, as printable lines."""
    cached = _read(_key(dirs))
    if cached is not None:
        return cached["scripts"], cached["diagnostics"]
    # Only when the cache is stale: the catalog brings the model's dataclasses (~10 ms).
    from reflectcoach.script.registry import load_catalog

    return remember(dirs, load_catalog(dirs))


def cached_listing(dirs: Sequence[Path]) -> list[dict[str, Any]] | None:
    """The listing if the cache is current and no file had a problem (None otherwise: the
    caller loads the catalog, whose diagnostics it shows, and can `remember` it)."""
    cached = _read(_key(dirs))
    if cached is None or cached["diagnostics"]:
        return None
    return cached["scripts"]


def cached_source(script_id: str, dirs: Sequence[Path]) -> Path | None:
    """The file a valid script with this id came from, if the cache is current (None when
    it is not: the caller loads the folders anyway, and can `remember` them)."""
    cached = _read(_key(dirs))
    if cached is None:
        return None
    found = next((s["source"] for s in cached["scripts"] if s["id"] == script_id), None)
    return Path(found) if found else None
