"""The `reflectcoach` command line (click): the group and its commands, one module per area."""

from reflectcoach.cli import conversations, history, mentorships, scripts
from reflectcoach.cli.base import main

__all__ = ["conversations", "history", "main", "mentorships", "scripts"]
