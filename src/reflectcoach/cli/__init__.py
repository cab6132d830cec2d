"""The `reflectcoach` command line (click): the group and its commands, one module per area."""

from reflectcoach.cli import (
    commitments,
    conversations,
    encryption,
    history,
    mentorships,
    scripts,
    sync,
)
from reflectcoach.cli.base import main

__all__ = [
    "commitments",
    "conversations",
    "encryption",
    "history",
    "main",
    "mentorships",
    "scripts",
    "sync",
]
