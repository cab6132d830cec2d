"""A stored conversation's path, checked against its script as the script is now.

A script may change after a conversation started: a step renamed or removed, an option
dropped, a range narrowed, a type changed. An import may also bring values that never fit.
Resuming must neither crash (`transitions` refuses a state it does not know; a front end
cannot show a list as a choice) nor quietly keep answers the script no longer asks for. So
the engine takes up the answers that still fit, in order, and stops the path at the first
one that does not; the rows in the store are left as they are (answers beyond the position,
offered again if the path comes back to them), and the person is told what changed.

Only the stored answers' own steps are checked, not that each leads to the next: branches
may read recalls from other conversations, which can change without the script changing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reflectcoach.engine.answers import fits
from reflectcoach.script.model import QuestionType, Script


class Stored(Protocol):
    @property
    def step_id(self) -> str: ...

    @property
    def value(self) -> Any: ...

    @property
    def skipped(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PathFit:
    """`kept`: how many answers of the stored path still fit (the position to continue
    from). `problem`: why the path stops there, for the person (None when all of it fits)."""

    kept: int
    problem: str | None = None


def check(
    script: Script, entries: Sequence[Stored], position: int, current_step: str | None
) -> PathFit:
    """How much of a stored path (`entries[:position]`, then `current_step`: None when
    the conversation is at its end) still fits."""
    on_path = min(position, len(entries))
    for index, entry in enumerate(entries[:on_path]):
        problem = _misfit(script, entry)
        if problem is not None:
            return PathFit(index, f"The script changed since you started: {problem}")
    if position > len(entries):
        return PathFit(
            on_path,
            f"This conversation's saved place (question {position + 1}) is past its "
            f"{len(entries)} stored answers",
        )
    if current_step is not None and current_step not in script.steps:
        return PathFit(
            on_path, f"The script changed since you started: '{current_step}' is no longer in it"
        )
    return PathFit(on_path)


def _misfit(script: Script, entry: Stored) -> str | None:
    step = script.steps.get(entry.step_id)
    if step is None:
        return f"'{entry.step_id}' is no longer in it"
    if not step.is_question:
        return f"'{entry.step_id}' is no longer a question"
    if step.type is QuestionType.FOLLOW_UP:
        # Its rows answer synthesised questions (followup.py): a status, a date, a reason.
        fine = getattr(entry, "commitment", None) is not None and (
            entry.skipped or isinstance(entry.value, str)
        )
        return None if fine else f"'{entry.step_id}' is now a follow-up of commitments"
    if entry.skipped:
        return None if step.optional else f"'{entry.step_id}' can no longer be skipped"
    if not fits(step, entry.value):
        return f"your answer to '{entry.step_id}' no longer fits it"
    return None
