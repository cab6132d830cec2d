"""Parts written once (issue 25): `NAME: {include: FILE.part.yaml}` splices a part's steps in
place; only from the script's own folder, no symlinks, no cycles, within 1 MiB; ids unique;
errors point into the part; coverage lists a part's step once; the built-ins use it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reflectcoach.engine.graph import mermaid
from reflectcoach.script.loader import load_file
from reflectcoach.script.registry import builtin_dir, load_catalog, script_files
from reflectcoach.services import testplan

HEAD = "id: {id}\ntitle: T\nsummary: S\naudience: anyone\nsteps:\n"
PART = """\
steps:
  role:
    ask: Which are you?
    type: choice
    options: [mentee, mentor]
  partner:
    ask: And the other person?
"""


def script(folder: Path, name: str, steps: str, script_id: str = "inc") -> Path:
    path = folder / name
    path.write_text(HEAD.format(id=script_id) + steps, encoding="utf-8")
    return path


def errors(path: Path) -> list[str]:
    return [str(d) for d in load_file(path).errors]


def test_a_part_is_spliced_in_place(tmp_path: Path) -> None:
    (tmp_path / "opening.part.yaml").write_text(PART, encoding="utf-8")
    path = script(
        tmp_path,
        "s.yaml",
        "  hi:\n    say: Hi\n  opening:\n    include: opening.part.yaml\n"
        "  bye:\n    say: Bye {partner}\n",
    )
    loaded = load_file(path).script
    assert loaded is not None
    assert list(loaded.steps) == ["hi", "role", "partner", "bye"]
    part = str(tmp_path / "opening.part.yaml")
    assert (loaded.steps["role"].pos.path, loaded.steps["role"].pos.line) == (part, 2)
    assert loaded.steps["hi"].pos.path is None
    assert mermaid(loaded).count("role : ") <= 1  # the graph shows it once


def test_an_error_in_a_part_points_into_the_part(tmp_path: Path) -> None:
    (tmp_path / "opening.part.yaml").write_text(
        PART.replace("type: choice", "type: choise"), encoding="utf-8"
    )
    path = script(tmp_path, "s.yaml", "  opening:\n    include: opening.part.yaml\n")
    assert errors(path) == [
        f"{tmp_path / 'opening.part.yaml'}:4:11: error: unknown type 'choise' "
        "(did you mean 'choice'?)"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../opening.part.yaml", "'include' names a file in this script's own folder"),
        ("sub/opening.part.yaml", "'include' names a file in this script's own folder"),
        ("opening.yaml", "'include' names a file in this script's own folder"),
        ("missing.part.yaml", "no part file missing.part.yaml beside this script"),
        ("link.part.yaml", "link.part.yaml is not a regular file (symbolic links are not"),
    ],
)
def test_only_regular_part_files_in_the_scripts_own_folder(
    tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "opening.part.yaml").write_text(PART, encoding="utf-8")
    os.symlink(tmp_path / "opening.part.yaml", tmp_path / "link.part.yaml")
    path = script(tmp_path, "s.yaml", f"  opening:\n    include: {name}\n  end:\n    say: x\n")
    [problem] = errors(path)
    assert problem.startswith(f"{path}:7:14: error: {message}")


def test_cycles_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.part.yaml").write_text("steps:\n  b:\n    include: b.part.yaml\n")
    (tmp_path / "b.part.yaml").write_text("steps:\n  a:\n    include: a.part.yaml\n")
    path = script(tmp_path, "s.yaml", "  x:\n    include: a.part.yaml\n  end:\n    say: x\n")
    assert errors(path) == [
        f"{tmp_path / 'b.part.yaml'}:3:14: error: including a.part.yaml again would never "
        "end: s.yaml -> a.part.yaml -> b.part.yaml -> a.part.yaml"
    ]


def test_ids_stay_unique_across_a_script_and_its_parts(tmp_path: Path) -> None:
    (tmp_path / "opening.part.yaml").write_text(PART, encoding="utf-8")
    path = script(
        tmp_path,
        "s.yaml",
        "  role:\n    ask: First\n  opening:\n    include: opening.part.yaml\n",
    )
    assert errors(path) == [
        f"{tmp_path / 'opening.part.yaml'}:2:3: error: step 'role' is already defined "
        f"(first at {path}:6:3)"
    ]


def test_parts_count_toward_the_one_mib(tmp_path: Path) -> None:
    big = "steps:\n" + "".join(f"  s{n}:\n    say: {'x' * 200}\n" for n in range(5000))
    (tmp_path / "big.part.yaml").write_text(big, encoding="utf-8")
    path = script(tmp_path, "s.yaml", "  x:\n    include: big.part.yaml\n")
    found = errors(path)
    assert any(
        p.startswith(f"{path}:7:14: error: with big.part.yaml the script is over 1 MiB")
        for p in found
    ), found


def test_the_builtins_share_the_role_question_and_coverage_lists_it_once(
    tmp_path: Path,
) -> None:
    folder = builtin_dir()
    including = [p.name for p in script_files(folder) if "include: role.part.yaml" in p.read_text()]
    assert len(including) == 9  # the four new built-ins ask it too
    assert "role.part.yaml" not in [p.name for p in script_files(folder)]
    catalog = load_catalog([folder])
    part = str(folder / "role.part.yaml")
    sharing = [
        s for s in catalog.scripts.values() if "role" in s.steps and s.steps["role"].pos.path
    ]
    assert {s.steps["role"].pos.path for s in sharing} == {part}
    assert len(sharing) == len(including)
    # No plan at all: the shared step is listed once, at the part, not once per script.
    report = testplan.coverage(sharing, [])
    listed = [m.where for c in report for m in c.missed if "step 'role'" in m.what]
    assert len(listed) == 1 and listed[0].endswith("role.part.yaml:5:3")
