"""The `reflectcoach` command line (click): the group and its commands, one module per area."""

from reflectcoach.cli import (
    commitments,
    conversations,
    encryption,
    exchange,
    history,
    mentorships,
    scripts,
)
from reflectcoach.cli.base import main

__all__ = [
    "commitments",
    "conversations",
    "encryption",
    "exchange",
    "history",
    "main",
    "mentorships",
    "scripts",
]
