"""What a conversation hands its front ends (`Turn`: coach text `Say`, then a `Question`),
what it keeps (`Entry`, one answer at one place in the path), and the `Journal` it writes
through (the store implements it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reflectcoach.core.errors import UserError
from reflectcoach.engine.followup import Made, Outcome
from reflectcoach.engine.sets import SetValue
from reflectcoach.script.model import Step


class ResumeError(UserError):
    """The stored conversation no longer fits its script. str() is user-facing."""


class Journal(Protocol):
    def answered(
        self,
        *,
        step_id: str,
        question: str,
        qtype: str,
        text: str | None,
        value: Any,
        skipped: bool,
        seq: int,
        position: int,
        current_step: str,
        discard_from: int | None,
    ) -> None: ...

    def moved(self, *, position: int, current_step: str) -> None: ...

    def completed(
        self,
        *,
        record: str | None,
        position: int,
        current_step: str,
        made: Sequence[Made] = (),
        outcomes: Sequence[Outcome] = (),
        closes_mentorship: bool = False,
        delivers: str | None = None,
        sets: Sequence[SetValue] = (),
        points: Mapping[str, str] | None = None,
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Entry:
    """One answer (or skip) at one place in the path."""

    step_id: str
    value: Any
    text: str
    question: str
    skipped: bool = False
    # A follow_up step's answer: about which commitment, and which part (followup.py).
    commitment: str | None = None
    part: str | None = None


@dataclass(frozen=True, slots=True)
class Say:
    step_id: str
    text: str
    markdown: str  # answers inside are Markdown-escaped


@dataclass(frozen=True, slots=True)
class Question:
    step: Step
    text: str
    markdown: str
    hint: str | None
    options: tuple[tuple[str, str], ...]  # (value, rendered label)
    offered: Any = None  # the earlier answer, offered again after back() or on resume
    number: int = 1  # 1-based position of this question in the path
    prefilled: bool = False  # `offered` came from the step's `prefill`, not this conversation
    # Asked by a follow_up step: the commitment it is about and the part (followup.py).
    commitment: str | None = None
    part: str | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """What a front end shows next: coach text, then a question (None when finished)."""

    says: tuple[Say, ...]
    question: Question | None


def same_slot(entry: Entry, question: Question) -> bool:
    """A stored row beyond the path answers this question (same step, and for a follow_up,
    the same commitment and part)."""
    return (entry.step_id, entry.commitment, entry.part) == (
        question.step.id,
        question.commitment,
        question.part,
    )
