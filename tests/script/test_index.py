"""The script index: listing and finding scripts without YAML when nothing changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.script import index
from reflectcoach.script.registry import builtin_dir, load_one

SCRIPT = """id: {id}
title: {title}
summary: s
audience: anyone
steps:
  q:
    ask: How are you?
"""


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def write(folder: Path, name: str, script_id: str, title: str = "T") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(SCRIPT.format(id=script_id, title=title), encoding="utf-8")
    return path


def test_listing_is_cached_and_follows_edits(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    path = write(folder, "a.yaml", "alpha", "First")
    rows, problems = index.listing([folder])
    assert [(r["id"], r["title"], r["steps"]) for r in rows] == [("alpha", "First", 1)]
    assert problems == []
    cached = json.loads(index.cache_file().read_text(encoding="utf-8"))
    assert cached["scripts"] == rows
    write(folder, "a.yaml", "alpha", "Renamed title")
    os.utime(path, ns=(1, 1))  # an edit within the same clock tick still changes the key
    assert index.listing([folder])[0][0]["title"] == "Renamed title"
    write(folder, "b.yaml", "beta")
    assert [r["id"] for r in index.listing([folder])[0]] == ["alpha", "beta"]
    (folder / "b.yaml").unlink()
    assert [r["id"] for r in index.listing([folder])[0]] == ["alpha"]


def test_problems_are_cached_too(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    write(folder, "a.yaml", "alpha")
    write(folder, "b.yaml", "alpha")
    for _ in range(2):
        rows, problems = index.listing([folder])
        assert [r["id"] for r in rows] == ["alpha"]
        assert len(problems) == 1 and "duplicate script id 'alpha'" in problems[0]


def test_a_damaged_cache_only_costs_a_reload(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    write(folder, "a.yaml", "alpha")
    index.listing([folder])
    index.cache_file().write_text("{not json", encoding="utf-8")
    assert [r["id"] for r in index.listing([folder])[0]] == ["alpha"]


def test_load_one_by_id_uses_the_indexed_file(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    write(folder, "a.yaml", "alpha", "From the file")
    index.listing([folder])
    assert load_one("alpha", [folder]).title == "From the file"


def test_a_cache_hit_parses_no_yaml(tmp_path: Path, cache_home: Path) -> None:
    index.listing([builtin_dir()])
    builtins = len(list(builtin_dir().glob("[0-9]*.yaml")))
    code = (
        "import sys\n"
        "from reflectcoach.script.index import listing\n"
        "from reflectcoach.script.registry import builtin_dir\n"
        "rows, _ = listing([builtin_dir()])\n"
        f"assert len(rows) == {builtins}, rows\n"
        "bad = [m for m in ('yaml', 'reflectcoach.script.loader') if m in sys.modules]\n"
        "sys.exit(1 if bad else 0)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_load_one_parses_each_file_once_then_only_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflectcoach.script import loader

    folder = tmp_path / "s"
    write(folder, "a.yaml", "alpha")
    write(folder, "b.yaml", "beta")
    parsed: list[str] = []
    real = loader.load_file

    def counting(path: Path):
        parsed.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "load_file", counting)
    assert load_one("beta", [folder]).id == "beta"  # cold: every file once
    assert sorted(parsed) == ["a.yaml", "b.yaml"]
    parsed.clear()
    assert load_one("beta", [folder]).id == "beta"  # warm: only its own file
    assert parsed == ["b.yaml"]


def test_cached_listing_only_when_current_and_without_problems(tmp_path: Path) -> None:
    # What home fills its list from on start: nothing until a load remembered the folder.
    folder = tmp_path / "s"
    path = write(folder, "a.yaml", "alpha", "First")
    assert index.cached_listing([folder]) is None
    rows, _ = index.listing([folder])
    assert index.cached_listing([folder]) == rows
    write(folder, "a.yaml", "alpha", "Edited")
    os.utime(path, ns=(1, 1))
    assert index.cached_listing([folder]) is None
    write(folder, "b.yaml", "alpha")  # a duplicate id: a problem home must show
    index.listing([folder])
    assert index.cached_listing([folder]) is None
