"""An import inside a function hides the real import graph from readers and from
import-linter, so one stays only where start-up needs it (issue 20, item 2): it loads
something in HEAVY that its module does not already load at its top, or it says why on its
line or the line above (`# cycle: ...`, an optional or platform-only module...).

Static: each module's top-level imports are read from its AST and followed through
reflectcoach's own modules (a third-party or stdlib module is a leaf); nothing is imported."""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "reflectcoach"

# What start-up must not load before it needs it: `reflectcoach --version`, `due` and `list`
# (click's floor) and the app's first paint of home. Each figure is the module's cumulative
# line in `python -X importtime -c 'import click, X'` (best of 3, this 2-core machine); only
# what costs more than 5 ms is here. A name covers its submodules.
HEAVY = {
    "textual": "105 ms (textual.app 317 ms): the app; the CLI starts without it",
    "textual_plotext": "456 ms: the insights charts",
    "rich": "59 ms (rich.text): the app's, loaded with textual",
    "sqlite_utils": "90 ms: the Store; `due` and the app's first paint read with sqlite3",
    "sqlcipher3": "6 ms: encrypted databases only",
    "transitions": "52 ms: a conversation's state machine",
    "yaml": "10 ms: script files, read only when the script index is stale",
    "markdown_it": "87 ms: records read back as plain text",
    "icalendar": "69 ms: calendar exports",
    "keyring": "135 ms: remembered keys and identities",
    "openpyxl": "112 ms: spreadsheet exports",
    "cryptography": "34 ms: signatures for the exchange and sync",
    "platformdirs": "9 ms: `--version` and `due` with --db need no default paths",
    "asyncio": "24 ms: magic-wormhole's hand-over, the app loads it with textual",
    "reflectcoach.script.loader": "25 ms: a script checked; start-up reads the script index",
    # Home's first paint loads the home screen alone; every other screen (its widgets and
    # stylesheet) waits until it is opened.
    "reflectcoach.app.screens": "each screen: loaded when first opened, not for home's paint",
}
HOME_PAINT = {"reflectcoach.app.screens", "reflectcoach.app.screens.home"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def absolute(node: ast.ImportFrom, importer: str) -> str:
    if not node.level:
        return node.module or ""
    base = importer if is_package(importer) else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    return f"{base}.{node.module}" if node.module else base


def targets(node: ast.Import | ast.ImportFrom, importer: str) -> list[str]:
    """The modules an import statement loads, each package's `__init__` on the way included."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = absolute(node, importer)
        names = [base]
        names += [
            f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES
        ]
        names += [
            lazy_names(base)[alias.name] for alias in node.names if alias.name in lazy_names(base)
        ]
    loaded = []
    for name in names:
        parts = name.split(".")
        loaded += [".".join(parts[: i + 1]) for i in range(len(parts))]
    return loaded


@cache
def lazy_names(package: str) -> dict[str, str]:
    """A package's names loaded on first use (PEP 562: a module-level `__getattr__`, the
    names typed under `if TYPE_CHECKING:`), each with the module it comes from: importing
    one loads that module, as `reflectcoach.store`'s `Store` loads sqlite-utils."""
    if package not in MODULES or not is_package(package):
        return {}
    tree = tree_of(package)
    if not any(
        isinstance(node, ast.FunctionDef) and node.name == "__getattr__" for node in tree.body
    ):
        return {}
    return {
        alias.asname or alias.name: absolute(node, package)
        for block in tree.body
        if isinstance(block, ast.If) and under_type_checking(block)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def under_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module loads: at its top, in module-level `if`/`try`
    blocks and class bodies; not inside functions, not under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and under_type_checking(node):
            pending += node.orelse
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending += [
                child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)
            ]
            if isinstance(node, ast.Try):
                pending += [stmt for handler in node.handlers for stmt in handler.body]
    return found


@cache
def tree_of(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


@cache
def direct(name: str) -> frozenset[str]:
    return frozenset(
        target for node in top_level_imports(tree_of(name)) for target in targets(node, name)
    )


def closure(starts: list[str]) -> set[str]:
    """Every module loading `starts` loads: our own followed, the rest kept as leaves."""
    seen: set[str] = set()
    pending = list(starts)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in MODULES:
            pending += direct(name)
    return seen


def heavy(names: set[str]) -> set[str]:
    return {
        entry
        for name in names - HOME_PAINT
        for entry in HEAVY
        if name == entry or name.startswith(entry + ".")
    }


def commented(lines: list[str], line: int) -> bool:
    here = lines[line - 1]
    above = lines[line - 2].strip() if line > 1 else ""
    return "#" in here.partition("import")[2] or above.startswith("#")


def function_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append(node)
    return sorted(set(found), key=lambda node: node.lineno)


def describe(node: ast.Import | ast.ImportFrom, importer: str) -> str:
    if isinstance(node, ast.Import):
        return ", ".join(alias.name for alias in node.names)
    return f"{absolute(node, importer)} ({', '.join(alias.name for alias in node.names)})"


def command_modules() -> list[str]:
    """The modules the group loads for any command (`reflectcoach.cli.COMMANDS`)."""
    for node in tree_of("reflectcoach.cli").body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMMANDS":
            return [f"reflectcoach.cli.{name}" for name in ast.literal_eval(node.value)]
    raise AssertionError("reflectcoach/cli/__init__.py names no COMMANDS")


# Every start loads these modules' tops: any command loads the group and its own module
# (cli/__init__.py's BY_NAME), `--help` all of them; taken here as every command module
# loaded, the stricter reading (an import that only one command needs still earns its place
# in a function). `reflectcoach` alone opens the app from cli/start.py without them, and its
# first paint loads the app and home.
CLI_START = ["reflectcoach.cli", "reflectcoach.cli.base", *command_modules()]
APP_START = ["reflectcoach.cli.start", "reflectcoach.app.app", "reflectcoach.app.screens.home"]


def start_up(name: str) -> set[str] | None:
    """What every start that loads `name` loads, or None when no start loads it."""
    for entry in (CLI_START, APP_START):
        loaded = closure(entry)
        if name in loaded:
            return loaded
    return None


def lazy_for_start_up(node: ast.Import | ast.ImportFrom, importer: str) -> bool:
    """Whether moving this import to the top would load more at start-up: something in HEAVY
    the importer does not load already or, where every start loads the importer (a command's
    module, the app, home), anything those starts do not load yet (each command's own needs
    are many small modules: all of them at the top nearly doubled what `--version` loads)."""
    loads = closure(targets(node, importer))
    if heavy(loads - closure([importer])):
        return True
    every_start = start_up(importer)
    return every_start is not None and not loads <= every_start


def verdicts() -> tuple[list[str], int, int]:
    """Offenders, and how many function-level imports start-up and comments justify."""
    offenders, by_table, by_comment = [], 0, 0
    for name, path in sorted(MODULES.items()):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in function_imports(tree_of(name)):
            if lazy_for_start_up(node, name):
                by_table += 1
            elif commented(lines, node.lineno):
                by_comment += 1
            else:
                where = f"{path.relative_to(SRC.parent)}:{node.lineno}"
                offenders.append(
                    f"{where}: import {describe(node, name)} "
                    "(loads nothing heavy: move it to the top)"
                )
    return offenders, by_table, by_comment


def test_every_import_inside_a_function_is_needed_by_start_up_or_says_why() -> None:
    offenders, _, _ = verdicts()
    assert offenders == []


def test_the_analysis_follows_our_modules_to_the_heavy_ones() -> None:
    # `Store` loads sqlite-utils on first use (the package's __getattr__); its errors do not.
    store = ast.parse("from reflectcoach.store import Store, StoreError").body[0]
    errors = ast.parse("from reflectcoach.store import StoreError").body[0]
    assert isinstance(store, ast.ImportFrom) and isinstance(errors, ast.ImportFrom)
    assert "sqlite_utils" in heavy(closure(targets(store, "reflectcoach.cli.base")))
    assert heavy(closure(targets(errors, "reflectcoach.cli.base"))) == set()
    assert heavy(closure(["reflectcoach.core.text"])) == set()
    # A function-level import that loads nothing heavy is named.
    tree = ast.parse("def f():\n    import json\n")
    assert [node.lineno for node in function_imports(tree)] == [2]
    assert heavy(closure(targets(function_imports(tree)[0], "reflectcoach.core.text"))) == set()


if __name__ == "__main__":
    found, table, comment = verdicts()
    print("\n".join(found))
    print(f"offenders {len(found)}, justified by the table {table}, by a comment {comment}")
    sys.exit(1 if found else 0)
