"""Script directories, the catalog, validate_paths and load_one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.core import paths
from reflectcoach.script.loader import load_file
from reflectcoach.script.registry import (
    Catalog,
    ScriptInvalid,
    ScriptNotFound,
    builtin_dir,
    load_catalog,
    load_one,
    script_dirs,
    script_files,
    validate_paths,
)

EXAMPLE = Path(__file__).parent / "fixtures" / "example.yaml"


def make(folder: Path, name: str, script_id: str, steps: str = "  q:\n    ask: x\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    head = f"id: {script_id}\ntitle: T\nsummary: S\naudience: anyone\nsteps:\n"
    path.write_text(head + steps, encoding="utf-8")
    return path


def test_every_builtin_script_validates_strictly() -> None:
    folder = builtin_dir()
    assert folder.is_dir()
    for path in script_files(folder):  # parts (*.part.yaml) are checked with their scripts
        result = load_file(path)
        assert result.diagnostics == [], "\n".join(map(str, result.diagnostics))
    problems = validate_paths([folder], strict=True)
    assert problems == [], "\n".join(map(str, problems))


def test_builtin_dir_is_the_package_folder() -> None:
    import reflectcoach

    assert builtin_dir() == Path(reflectcoach.__file__).parent / "conversations"


def test_script_dirs_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv(paths.SCRIPTS_ENV, f"{tmp_path / 'e1'}:{tmp_path / 'e2'}")
    extra = tmp_path / "extra"
    assert script_dirs([extra]) == [
        builtin_dir(),
        paths.user_scripts_dir(),
        tmp_path / "e1",
        tmp_path / "e2",
        extra,
    ]


def test_catalog_loads_yaml_and_yml_sorted(tmp_path: Path) -> None:
    make(tmp_path, "b.yml", "bravo")
    make(tmp_path, "a.yaml", "alpha")
    make(tmp_path, "c.txt", "charlie")
    make(tmp_path, ".d.yaml", "hidden")
    catalog = load_catalog([tmp_path])
    assert isinstance(catalog, Catalog)
    assert list(catalog.scripts) == ["alpha", "bravo"]
    assert catalog.get("alpha") is not None and catalog.get("charlie") is None
    assert catalog.diagnostics == []


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    first = make(tmp_path / "one", "x.yaml", "same")
    second = make(tmp_path / "two", "a.yaml", "same")
    catalog = load_catalog([tmp_path / "one", tmp_path / "two"])
    assert catalog.scripts["same"].source == str(first)
    [problem] = catalog.diagnostics
    assert (problem.path, problem.line, problem.col, problem.severity) == (
        str(second),
        1,
        5,
        "error",
    )
    assert problem.message == f"duplicate script id 'same' (already loaded from {first})"


def test_the_same_directory_twice_is_loaded_once(tmp_path: Path) -> None:
    make(tmp_path, "a.yaml", "alpha")
    catalog = load_catalog([tmp_path, tmp_path / "."])
    assert catalog.diagnostics == [] and list(catalog.scripts) == ["alpha"]


def test_missing_directories(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv(paths.SCRIPTS_ENV, str(tmp_path / "env-missing"))
    quiet = load_catalog(script_dirs())
    assert not [d for d in quiet.diagnostics if "directory" in d.message]
    explicit = load_catalog(script_dirs([tmp_path / "nope", EXAMPLE]))
    named = [str(d) for d in explicit.diagnostics if "directory" in d.message]
    assert named == [
        f"{tmp_path / 'nope'}:1:1: error: no such directory",
        f"{EXAMPLE}:1:1: error: not a directory",
    ]


def test_invalid_scripts_are_left_out_with_their_errors(tmp_path: Path) -> None:
    make(tmp_path, "bad.yaml", "broken", "  q:\n    ask: x\n    optinal: true\n")
    make(tmp_path, "good.yaml", "fine")
    catalog = load_catalog([tmp_path])
    assert list(catalog.scripts) == ["fine"]
    assert [d.message for d in catalog.invalid["broken"]] == [
        "unknown key 'optinal' (did you mean 'optional'?)"
    ]
    assert len(catalog.errors) == 1


def test_recalls_are_checked_against_the_catalog(tmp_path: Path) -> None:
    (tmp_path / "goal.yaml").write_text(EXAMPLE.read_text())
    recaller = make(
        tmp_path,
        "z.yaml",
        "checkin",
        "  q:\n    ask: '{recall.goal_setting.gaol} {recall.nothing.here}'\n",
    )
    make(tmp_path, "y.yaml", "fine", "  q:\n    ask: '{recall.goal_setting.goal}'\n")
    catalog = load_catalog([tmp_path])
    assert sorted(catalog.scripts) == ["fine", "goal_setting"]
    assert [str(d) for d in catalog.diagnostics] == [
        f"{recaller}:7:12: error: script 'goal_setting' has no step 'gaol' (did you mean 'goal'?)",
        f"{recaller}:7:39: warning: no script 'nothing' is loaded, so this recall is empty",
    ]
    assert [d.line for d in catalog.invalid["checkin"]] == [7]


def test_recall_of_a_say_step_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "goal.yaml").write_text(EXAMPLE.read_text())
    make(tmp_path, "z.yaml", "checkin", "  q:\n    ask: '{recall.goal_setting.intro}'\n")
    [problem] = load_catalog([tmp_path]).diagnostics
    assert "step 'intro' of script 'goal_setting' is a say step" in problem.message


def test_validate_paths(tmp_path: Path) -> None:
    one = make(
        tmp_path / "dir",
        "one.yaml",
        "same",
        "  q:\n    ask: x\n    next: r\n  s:\n    ask: y\n  r:\n    say: z\n",
    )
    two = make(tmp_path, "two.yaml", "same")
    missing = tmp_path / "missing.yaml"
    problems = validate_paths([tmp_path / "dir", two, missing])
    assert [str(d) for d in problems] == [
        f"{missing}:1:1: error: no such file or directory",
        f"{one}:9:3: warning: step 's' is never reached",
        f"{two}:1:5: error: duplicate script id 'same' (already loaded from {one})",
    ]
    strict = validate_paths([one], strict=True)
    assert [(d.severity, d.line) for d in strict] == [("error", 9)]


def test_validate_paths_checks_recalls_across_the_files(tmp_path: Path) -> None:
    goal = tmp_path / "goal.yaml"
    goal.write_text(EXAMPLE.read_text())
    recaller = make(tmp_path, "z.yaml", "checkin", "  q:\n    ask: '{recall.goal_setting.gaol}'\n")
    [problem] = validate_paths([goal, recaller])
    assert problem.path == str(recaller) and "has no step 'gaol'" in problem.message
    assert validate_paths([goal]) == []


def test_load_one(tmp_path: Path) -> None:
    make(tmp_path, "a.yaml", "alpha")
    make(tmp_path, "bad.yaml", "broken", "  q:\n    ask: x\n    optinal: true\n")
    assert load_one("alpha", [tmp_path]).id == "alpha"
    assert load_one(str(EXAMPLE), [tmp_path]).id == "goal_setting"
    with pytest.raises(ScriptNotFound) as not_found:
        load_one("alpah", [tmp_path])
    assert str(not_found.value) == "no script 'alpah' (did you mean 'alpha'?); available: alpha"
    with pytest.raises(ScriptNotFound, match="no such file"):
        load_one(str(tmp_path / "nope.yaml"), [tmp_path])
    with pytest.raises(ScriptInvalid) as caught:
        load_one("broken", [tmp_path])
    assert "script 'broken' has errors" in str(caught.value)
    assert "bad.yaml:8:5: error: unknown key 'optinal'" in str(caught.value)
    assert len(caught.value.diagnostics) == 1
    with pytest.raises(ScriptInvalid):
        load_one(str(tmp_path / "bad.yaml"), [tmp_path])


def test_importing_the_registry_does_not_import_the_loader_or_yaml() -> None:
    code = (
        "import sys, reflectcoach.script.registry as r; r.script_dirs(); "
        "print(sorted(m for m in ('yaml', 'reflectcoach.script.loader') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_folders_and_a_cached_listing_need_no_catalog() -> None:
    # Every start (home's first frame, the CLI's `scripts`) reads the index before any
    # script: the catalog's model (dataclasses, ~10 ms) loads only when one is read.
    code = (
        "import sys; from reflectcoach.script import folders, index; "
        "index.cached_listing(folders.script_dirs()); "
        "print(sorted(m for m in ('reflectcoach.script.registry', 'reflectcoach.script.model')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
