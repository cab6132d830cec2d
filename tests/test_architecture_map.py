"""docs/architecture.md is the folder map: every module has its line under its floor, and the
top of the package holds only the floors and the entry points."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "reflectcoach"
FLOORS = ("core", "script", "engine", "store", "services", "sync", "app", "cli")


def mapped() -> dict[str, set[str]]:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    floor = None
    for line in doc.splitlines():
        heading = re.match(r"^### `(\w+)/`", line)
        if heading:
            floor = heading.group(1)
            continue
        row = re.match(r"^\| `([\w/]+\.py)` \| .+ \|$", line)
        if row and floor is not None:
            found.setdefault(floor, set()).add(row.group(1))
    return found


def test_every_module_has_its_line_under_its_floor() -> None:
    documented = mapped()
    for floor in FLOORS:
        modules = {
            path.relative_to(PACKAGE / floor).as_posix()
            for path in (PACKAGE / floor).rglob("*.py")
            if path.name != "__init__.py"
        }
        assert modules == documented.get(floor, set()), floor


def test_the_top_holds_only_the_floors_and_the_entry_points() -> None:
    top = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    assert top == {*FLOORS, "conversations", "__init__.py", "__main__.py"}


def test_every_floor_says_what_it_is() -> None:
    for floor in FLOORS:
        init = (PACKAGE / floor / "__init__.py").read_text(encoding="utf-8")
        assert init.startswith('"""'), floor


def test_no_module_is_over_600_lines() -> None:
    # Past that a module holds more than one thing (issue 20): split it along its seams.
    long = {
        path.relative_to(PACKAGE).as_posix(): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}
