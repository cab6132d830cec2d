"""`sets: mentorship.FIELD` in a conversation: which answers set which of the mentorship's
fields when it completes (`SetValue`, applied by store/mentorship_state.py), and whether
each is private (its answer appears in the record only in just-for-me parts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reflectcoach.script.model import Script


@dataclass(frozen=True, slots=True)
class SetValue:
    """One `sets:` answer of a completed conversation."""

    field: str
    value: Any
    text: str
    private: bool = False


class _Answer(Protocol):
    step_id: str
    value: Any
    text: str
    skipped: bool


def private_steps(script: Script) -> frozenset[str]:
    """Steps whose answers the record shows only in just-for-me parts (and somewhere)."""
    if not script.record_parts:
        return frozenset()
    shown: set[str] = set()
    private: set[str] = set()
    for part in script.record_parts:
        names = part.template.references()
        (private if part.private else shown).update(names)
    return frozenset(private - shown)


def collect(script: Script, history: Sequence[_Answer]) -> list[SetValue]:
    """The latest answer of each step with `sets:` on the path, in the order answered."""
    latest: dict[str, _Answer] = {}
    for entry in history:
        step = script.steps.get(entry.step_id)
        if step is not None and step.sets is not None:
            latest.pop(entry.step_id, None)
            latest[entry.step_id] = entry
    hidden = private_steps(script)
    found = []
    for step_id, entry in latest.items():
        field = script.steps[step_id].sets
        if entry.skipped or entry.value is None or field is None:
            continue
        found.append(SetValue(field, entry.value, entry.text, step_id in hidden))
    return found
