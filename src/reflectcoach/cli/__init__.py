"""The `reflectcoach` command line (click): the group and its commands, one module per area."""

from reflectcoach.cli import (
    authoring,
    commitments,
    conversations,
    encryption,
    exchange,
    history,
    mentorships,
    scripts,
    sync,
    thread,
)
from reflectcoach.cli.base import main

__all__ = [
    "authoring",
    "commitments",
    "conversations",
    "encryption",
    "exchange",
    "history",
    "main",
    "mentorships",
    "scripts",
    "sync",
    "thread",
]
