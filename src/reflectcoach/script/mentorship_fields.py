"""The mentorship's state as a script reads and writes it: `{mentorship.goal}` in a text or
condition, and `sets: mentorship.goal` on a question (its answer becomes that field when the
conversation completes). The names, which may be written, and by which question types."""

from __future__ import annotations

import re

from reflectcoach.script.model import QuestionType

PREFIX = "mentorship."
NAME = re.compile(r"mentorship\.([a-z][a-z0-9_]*)\Z")

_TEXT = frozenset({QuestionType.TEXT, QuestionType.LONG_TEXT})
_WORDS = _TEXT | {QuestionType.CHOICE}

# Written by `sets:`, with the question types whose answer may hold them.
WRITABLE: dict[str, frozenset[QuestionType]] = {
    "partner": _TEXT,
    "partner_role": _WORDS,
    "rhythm": _WORDS,
    "midpoint": frozenset({QuestionType.DATE}),
    "end": frozenset({QuestionType.DATE}),
    "my_feedback": _WORDS,
    "partner_feedback": _WORDS,
    "manages": frozenset({QuestionType.YES_NO, QuestionType.CHOICE}),
    # The mentorship's goal: set the first time, re-aimed when the answer differs. With
    # several open, the first still open (the goal being worked on): later ones wait beside it.
    "goal": _TEXT,
    # Another goal beside the open ones (the words of an open goal add nothing).
    "new_goal": _TEXT,
    # Why the goal changed or was added (joined to this conversation's goal revisions).
    "goal_reason": _TEXT,
    # Yes (or a choice whose value is "yes"): the current goal is reached.
    "goal_reached": frozenset({QuestionType.YES_NO, QuestionType.CHOICE}),
    # One talking point per line of the answer.
    "talking_points": _TEXT,
    # The next meeting as agreed in a conversation (else the brief counts on by rhythm).
    "next_meeting": frozenset({QuestionType.DATE}),
}
# Read only: what the store knows of the mentorship itself.
READ_ONLY = (
    "name",
    "role",
    "started",
    "status",
    "first_goal",
    "goal_history",
    # Every open goal, one per line, the goal being worked on first.
    "goals",
)
# Written only: what a conversation adds is read back as one of `goals`.
WRITE_ONLY = ("new_goal",)
READABLE = (*(f for f in WRITABLE if f not in WRITE_ONLY), *READ_ONLY)


def field_of(name: str) -> str | None:
    """`"mentorship.goal"` -> `"goal"`; None when `name` is not a mentorship field name."""
    match = NAME.match(name)
    return match.group(1) if match else None


def read_problem(name: str) -> str | None:
    """Why `{name}` cannot be read, or None."""
    found = field_of(name)
    if found is None:
        return f"'{name}' is not a mentorship field; write mentorship.FIELD"
    if found in READABLE:
        return None
    if found in WRITE_ONLY:
        return f"'{name}' is written, not read: read mentorship.goals (every open goal)"
    return f"'{name}' is not known; a script reads mentorship.{', mentorship.'.join(READABLE)}"


def write_problem(name: str, kind: QuestionType | None) -> str | None:
    """Why `sets: name` on a question of type `kind` is wrong, or None."""
    found = field_of(name)
    if found is None:
        return f"'sets' must be mentorship.FIELD, not '{name}'"
    if found not in WRITABLE:
        known = ", ".join(f"mentorship.{f}" for f in WRITABLE)
        return f"'{name}' cannot be set by a script (one of: {known})"
    types = WRITABLE[found]
    if kind is not None and kind not in types:
        allowed = " or ".join(sorted(t.value for t in types))
        return f"'{name}' is set by a {allowed} question, not {kind.value}"
    return None
