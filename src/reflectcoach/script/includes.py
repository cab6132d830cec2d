"""Parts written once: a step entry `NAME: {include: FILE.part.yaml}` is replaced by the steps
of that part file, in place, before the script is checked.

    steps:
      welcome:
        say: Hello.
      opening:
        include: role.part.yaml      # its steps come here, in its order
      goal:
        ask: ...

A part file holds `steps:` only. It is found in the including script's own folder (a bare
file name: no folders, no `..`), is a regular file and not a symbolic link, and may include
other parts, but never one already being included (a cycle). Its bytes count toward the
script's 1 MiB, and it is read with the same bounded YAML reader. Part files (`*.part.yaml`)
are never loaded as scripts themselves.

Every node of a part keeps its own line and column: its lines are numbered from a base of
its own (`LINE_BASE` times its number), so the checker's messages, step positions and
recalls can be given back to the part file (`place`), without the checker knowing.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from reflectcoach.script.model import Pos, Script
from reflectcoach.script.yamlsafe import MAX_BYTES, Map, Node, Scalar, Seq, compose, describe

PART_SUFFIX = ".part.yaml"
INCLUDE = "include"
LINE_BASE = 10_000_000  # no script has ten million lines (1 MiB at most)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    message: str


@dataclass
class Included:
    """What including did: the parts read, in order (part k's lines start at k * LINE_BASE),
    their bytes (for the script's hash) and the problems found."""

    parts: list[str] = field(default_factory=list)
    data: bytes = b""
    problems: list[Problem] = field(default_factory=list)

    def place(self, line: int, col: int, default: str) -> tuple[str, int, int]:
        """A (possibly shifted) position as the file it is in, its line and column."""
        k = line // LINE_BASE
        if k == 0 or k > len(self.parts):
            return default, line, col
        return self.parts[k - 1], line - k * LINE_BASE, col


class _Shifted:
    """A part's lines, looked up by shifted line numbers (for Scalar.locate)."""

    def __init__(self, lines: object, base: int) -> None:
        self.inner, self.base = lines, base

    def line(self, number: int) -> str:
        return self.inner.line(number - self.base)  # type: ignore[attr-defined]


def is_include(value: Node) -> bool:
    return isinstance(value, Map) and len(value.pairs) == 1 and value.pairs[0][0].text == INCLUDE


def expand(root: Node, path: str, size: int) -> Included:
    """Splice every include in `root`'s steps (and in the parts' own steps), in place."""
    done = Included()
    if not isinstance(root, Map) or not any(
        k.text == "steps" and isinstance(v, Map) and any(is_include(s) for _, s in v.pairs)
        for k, v in root.pairs
    ):
        return done
    if path.startswith("<"):
        steps = next(v for k, v in root.pairs if k.text == "steps")
        assert isinstance(steps, Map)
        for key, value in steps.pairs:
            if is_include(value):
                done.problems.append(
                    Problem(path, key.line, key.col, "includes need a script file to be in")
                )
        return done
    folder = Path(path).parent
    budget = [MAX_BYTES - size]
    for key, value in root.pairs:
        if key.text == "steps" and isinstance(value, Map):
            value.pairs = _splice(value, path, folder, [Path(path).name], budget, done)
    return done


def _splice(
    steps: Map, path: str, folder: Path, chain: list[str], budget: list[int], done: Included
) -> list:
    pairs: list = []
    seen: dict[str, tuple[str, int, int]] = {}
    for key, value in steps.pairs:
        if not is_include(value):
            pairs.append((key, value))
            continue
        target = value.pairs[0][1]
        read = _read(target, path, folder, chain, budget, done)
        if read is None:
            continue
        name, part_steps = read
        chain.append(name)
        pairs.extend(_splice(part_steps, str(folder / name), folder, chain, budget, done))
        chain.pop()
    # Ids stay unique across a script and its parts: the first one is kept, as YAML would.
    unique: list = []
    for key, value in pairs:
        where = done.place(key.line, key.col, path)
        if key.text in seen:
            first = seen[key.text]
            at = f"{first[0]}:{first[1]}:{first[2]}"
            done.problems.append(
                Problem(*where, f"step '{key.text}' is already defined (first at {at})")
            )
            continue
        seen[key.text] = where
        unique.append((key, value))
    return unique


def _read(
    target: Node, path: str, folder: Path, chain: list[str], budget: list[int], done: Included
) -> tuple[str, Map] | None:
    def refuse(message: str) -> None:
        done.problems.append(Problem(*done.place(target.line, target.col, path), message))

    if not isinstance(target, Scalar) or not target.text.strip():
        refuse(f"'include' names a part file, not {describe(target)}")
        return None
    name = target.text.strip()
    if "/" in name or "\\" in name or name in (".", "..") or not name.endswith(PART_SUFFIX):
        refuse(
            f"'include' names a file in this script's own folder ending in {PART_SUFFIX}, "
            f"not '{name[:60]}'"
        )
        return None
    if name in chain:
        refuse(f"including {name} again would never end: {' -> '.join([*chain, name])}")
        return None
    full = folder / name
    try:
        status = os.lstat(full)
    except OSError:
        refuse(f"no part file {name} beside this script")
        return None
    if stat.S_ISLNK(status.st_mode) or not stat.S_ISREG(status.st_mode):
        refuse(f"{name} is not a regular file (symbolic links are not followed)")
        return None
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(budget[0] + 1)
    except OSError as err:
        refuse(f"cannot read {name}: {err.strerror}")
        return None
    budget[0] -= len(data)
    if budget[0] < 0:
        refuse(f"with {name} the script is over 1 MiB; scripts and their parts are limited")
        return None
    done.parts.append(str(full))
    done.data += data
    base = len(done.parts) * LINE_BASE
    part_path = str(full)
    root, problems = compose(data)
    for problem in problems:
        done.problems.append(Problem(part_path, problem.line, problem.col, problem.message))
    if root is None:
        return None
    _shift(root, base)
    if not isinstance(root, Map) or [k.text for k, _ in root.pairs] != ["steps"]:
        done.problems.append(
            Problem(part_path, 1, 1, "a part file holds only 'steps:', a mapping of steps")
        )
        return None
    steps = root.pairs[0][1]
    if not isinstance(steps, Map):
        done.problems.append(
            Problem(part_path, 1, 1, f"'steps' must be a mapping of steps, not {describe(steps)}")
        )
        return None
    return name, steps


def _shift(node: Node, base: int) -> None:
    todo = [node]
    while todo:
        item = todo.pop()
        item.line += base
        if isinstance(item, Scalar):
            item.lines = _Shifted(item.lines, base)  # type: ignore[assignment]
        elif isinstance(item, Seq):
            todo.extend(item.items)
        elif isinstance(item, Map):
            for key, value in item.pairs:
                todo.extend((key, value))


def placed(script: Script, included: Included) -> Script:
    """The script with every position inside a part given back to that part (its steps,
    their branches, recalls), so the graph, coverage and the registry's checks name the part."""

    def pos(p: Pos) -> Pos:
        path, line, col = included.place(p.line, p.col, "")
        return p if not path else Pos(line, col, path)

    steps = {
        step_id: replace(
            step,
            pos=pos(step.pos),
            branches=tuple(
                replace(b, pos=pos(b.pos)) if b.pos is not None else b for b in step.branches
            ),
        )
        for step_id, step in script.steps.items()
    }
    recalls = tuple(replace(r, pos=pos(r.pos)) for r in script.recalls)
    return replace(script, steps=steps, recalls=recalls)
