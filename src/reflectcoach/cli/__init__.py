"""The `reflectcoach` command line (click): the group and its commands, one module per area.

`main`, the group with every command on it, is loaded on first use (PEP 562): `reflectcoach`
alone starts from start.py (the console script), which opens the app without click or any
command's module.
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

__all__ = ["COMMANDS", "main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        for module in COMMANDS:
            importlib.import_module(f"{__name__}.{module}")
        from reflectcoach.cli.base import main  # the group, click: here, when a command is asked

        globals()["main"] = main
        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
