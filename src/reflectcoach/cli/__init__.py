"""The `reflectcoach` command line (click): the group and its commands, one module per area.

`main`, the group with every command on it, is loaded on first use (PEP 562): `reflectcoach`
alone starts from start.py (the console script), which opens the app without click or any
command's module. A command line goes to the group itself (`base.main`), which loads only
the module of the command it names (`BY_NAME`), or all of them to list them (`--help`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reflectcoach.cli.base import main

# Each registers its commands on the group as it is imported.
COMMANDS = (
    "authoring",
    "commitments",
    "conversations",
    "encryption",
    "exchange",
    "history",
    "mentorships",
    "scripts",
    "sync",
    "thread",
)

# Which module registers each command: a command loads its own module, not the other nine
# (tests/cli/test_commands.py holds this to what the modules register).
BY_NAME = {
    "test": "authoring",
    "schema": "authoring",
    "try": "authoring",
    "commitments": "commitments",
    "commitment": "commitments",
    "start": "conversations",
    "resume": "conversations",
    "review": "conversations",
    "encrypt": "encryption",
    "decrypt": "encryption",
    "passphrase": "encryption",
    "unlock": "encryption",
    "lock": "encryption",
    "id": "exchange",
    "partner": "exchange",
    "outbox": "exchange",
    "share": "exchange",
    "receive": "exchange",
    "agreement": "exchange",
    "list": "history",
    "show": "history",
    "compare": "history",
    "search": "history",
    "delete": "history",
    "abandon": "history",
    "export": "history",
    "import": "history",
    "mentorship": "mentorships",
    "scripts": "scripts",
    "validate": "scripts",
    "graph": "scripts",
    "sync": "sync",
    "programme": "sync",
    "note": "thread",
    "brief": "thread",
    "due": "thread",
}

__all__ = ["BY_NAME", "COMMANDS", "load", "main"]


def load(module: str | None = None) -> None:
    """Import one command module (its commands join the group), or every one."""
    for name in COMMANDS if module is None else (module,):
        importlib.import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> Any:
    if name == "main":
        load()
        from reflectcoach.cli.base import main  # the group, click: here, when a command is asked

        globals()["main"] = main
        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
