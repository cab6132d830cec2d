"""Commitments inside a conversation: the ones it makes, and the `follow_up` step's walk. A
`follow_up` step is asked once per open commitment of the mentorship (oldest due first, undated
last), each time through questions the front ends already know: a choice of how it went, then,
for "Not yet", a date ("By when now?"); for "Partly" what is left (optional) and a date ("By
when now?", so a commitment partly done never stays overdue); for "Dropped" an optional text.
In a conversation that closes the mentorship the date may be skipped: the commitment is carried
on as the person's own, with no date (`Outcome.carried`). Each is an answer row of the
follow_up step, marked with the commitment id and the part (status, due, reason), so back() and
a resume land exactly. Nothing changes in the store until the conversation completes
(engine.complete), when outcomes and new commitments are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from reflectcoach.core.text import markdown_escape
from reflectcoach.script import dates, templates
from reflectcoach.script.model import Option, QuestionType, Script, Step

STATUS = "status"
DUE = "due"
REASON = "reason"
# The question type each part is asked (and stored) as.
PART_TYPES = {STATUS: QuestionType.CHOICE, DUE: QuestionType.DATE, REASON: QuestionType.TEXT}
STATUS_OPTIONS = (
    ("done", "Done"),
    ("partly", "Partly"),
    ("not_yet", "Not yet"),
    ("dropped", "Dropped"),
)
REASON_ASKS = {"partly": "What is left?", "dropped": "What made you let it go?"}
DUE_ASK = "By when now?"
# Statuses that ask for a new date.
NEEDS_DUE = ("not_yet", "partly")
CARRY_HINT = (
    "Skip it to carry it on as your own, with no date: nothing stays overdue once the "
    "mentorship is closed."
)
FROM_TODAY = dates.parse_offset("today")


class Pending(Protocol):
    """An open commitment, as the engine needs it (store.commitments.Commitment is one)."""

    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def due(self) -> dt.date | None: ...

    @property
    def goal(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Made:
    """A commitment a completing conversation makes."""

    text: str
    due: str | None  # ISO date
    goal: str | None
    step_id: str
    seq: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """A follow-up's answer about one commitment, applied when its conversation completes."""

    commitment_id: str
    status: str
    due: str | None = None  # ISO date: the new one, for not_yet and partly
    reason: str | None = None
    # No new date at closing: carried on as the person's own, its date cleared.
    carried: bool = False


class Part(Protocol):
    """An answer row of a follow_up step (engine.Entry is one)."""

    @property
    def step_id(self) -> str: ...

    @property
    def value(self) -> Any: ...

    @property
    def skipped(self) -> bool: ...

    @property
    def commitment(self) -> str | None: ...

    @property
    def part(self) -> str | None: ...


class Answered(Protocol):
    """An answer on a conversation's path (engine.Entry is one)."""

    @property
    def step_id(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def skipped(self) -> bool: ...


def part_of_type(qtype: str) -> str | None:
    """The part a stored follow-up row answers, from its stored question type."""
    return {str(kind): part for part, kind in PART_TYPES.items()}.get(qtype)


def field(pending: Pending | None, name: str) -> str:
    """`{commitment.text}` / `.due` / `.when` ("by Friday 4 December 2026", or "with no date
    set") / `.goal` as words."""
    if pending is None:
        return ""
    if name == "due":
        return dates.readable(pending.due)
    if name == "when":  # reads whole whether or not it has a date
        return "with no date set" if pending.due is None else f"by {dates.readable(pending.due)}"
    return (pending.text if name == "text" else pending.goal) or ""


def run(step_id: str, history: Sequence[Part]) -> dict[str, dict[str, Part]]:
    """The follow-up rows at the end of `history` (this visit of the step), by commitment
    and part."""
    found: dict[str, dict[str, Part]] = {}
    for entry in reversed(history):
        if entry.step_id != step_id or entry.commitment is None or entry.part is None:
            break
        found.setdefault(entry.commitment, {}).setdefault(entry.part, entry)
    return found


def next_part(
    step_id: str, pending: Sequence[Pending], history: Sequence[Part], *, points: bool = False
) -> tuple[Pending, str] | None:
    """Which commitment (or talking point) and part the follow_up step asks next; None when
    it is through. A talking point has one part, its status."""
    answered = run(step_id, history)
    for item in pending:
        parts = answered.get(item.id, {})
        status = parts.get(STATUS)
        if status is None:
            return item, STATUS
        if status.skipped or points:
            continue
        if status.value in REASON_ASKS and REASON not in parts:
            return item, REASON
        if status.value in NEEDS_DUE and DUE not in parts:
            return item, DUE
    return None


def question_step(step: Step, part: str, status: str | None, *, closing: bool = False) -> Step:
    if step.about == POINTS:
        options = tuple(Option(value, templates.parse(label)) for value, label in POINT_OPTIONS)
        return replace(step, type=QuestionType.CHOICE, options=options)
    return _commitment_question(step, part, status, closing=closing)


def _commitment_question(
    step: Step, part: str, status: str | None, *, closing: bool = False
) -> Step:
    """The question asked for `part`, as an ordinary step of a known type with the follow_up
    step's id (its ask rendered by the engine for the status, fixed words otherwise). In a
    conversation that closes the mentorship (`closing`) the new date may be skipped."""
    if part == STATUS:
        options = tuple(Option(value, templates.parse(label)) for value, label in STATUS_OPTIONS)
        return replace(step, type=QuestionType.CHOICE, options=options)
    if part == DUE:
        return replace(
            step,
            ask=templates.parse(DUE_ASK),
            hint=templates.literal(CARRY_HINT) if closing else None,
            type=QuestionType.DATE,
            optional=closing,
            date_min=FROM_TODAY,
            date_max=None,
        )
    return replace(
        step,
        ask=templates.parse(REASON_ASKS.get(status or "", REASON_ASKS["dropped"])),
        hint=None,
        type=QuestionType.TEXT,
        optional=True,
    )


def outcomes(history: Sequence[Part], follow_ups: set[str], known: set[str]) -> list[Outcome]:
    """What the path's follow-up answers say, one per commitment (a later visit wins); only
    about the `known` commitments (one deleted since it was asked about is left alone)."""
    found: dict[str, dict[str, Part]] = {}
    for entry in history:
        if entry.step_id in follow_ups and entry.commitment in known and entry.part:
            found.setdefault(entry.commitment, {})[entry.part] = entry
    result = []
    for commitment_id, parts in found.items():
        status = parts.get(STATUS)
        if status is None or status.skipped or not isinstance(status.value, str):
            continue
        due = parts.get(DUE) if status.value in NEEDS_DUE else None
        reason = parts.get(REASON) if status.value in REASON_ASKS else None
        result.append(
            Outcome(
                commitment_id,
                status.value,
                due=None if due is None or due.skipped else due.value,
                reason=None if reason is None or reason.skipped else reason.value,
                carried=due is not None and due.skipped,
            )
        )
    return result


def iso_date(value: Any) -> str | None:
    """A date step's answer as the ISO date a commitment keeps; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


STATUS_WORDS = dict(STATUS_OPTIONS)
# A follow_up step `about: talking_points` asks one choice per open talking point.
POINTS = "talking_points"
POINT_OPTIONS = (
    ("discussed", "Discussed"),
    ("carried", "Carry it forward"),
    ("dropped", "Let it go"),
)
POINT_WORDS = {"discussed": "discussed", "carried": "carried forward", "dropped": "let go"}


def outcome_lines(
    items: Sequence[Outcome], pending: Sequence[Pending], *, markdown: bool = False
) -> str:
    """`{follow_up_step}` in a text or record: one line per commitment followed up, in the
    order asked: `- Call Ana: partly (what is left: the second call), now by Friday ...`."""
    by_id = {item.id: item for item in pending}
    lines = []
    for outcome in items:
        item = by_id.get(outcome.commitment_id)
        if item is None:
            continue
        words = STATUS_WORDS.get(outcome.status, outcome.status).lower()
        text = " ".join(item.text.split())
        reason = " ".join((outcome.reason or "").split())
        if markdown:
            text = markdown_escape(text, "- ")
            reason = markdown_escape(reason, "- x: y (why: ")
        extra = ""
        if reason:
            label = "what is left" if outcome.status == "partly" else "why"
            extra += f" ({label}: {reason})"
        day = iso_date(outcome.due)
        if day is not None:
            extra += f", now by {dates.readable(dt.date.fromisoformat(day))}"
        elif outcome.carried:
            extra += ", carried on as my own"
        lines.append(f"- {text}: {words}{extra}")
    return "\n".join(lines)


def point_outcomes(history: Sequence[Part], steps: set[str], known: set[str]) -> dict[str, str]:
    """Talking points walked by `about: talking_points` steps: id -> discussed, carried or
    dropped (a later answer wins; skipped ones are carried, as nothing changes)."""
    found: dict[str, str] = {}
    for entry in history:
        if (
            entry.step_id in steps
            and entry.commitment in known
            and entry.part == STATUS
            and not entry.skipped
            and isinstance(entry.value, str)
        ):
            found[entry.commitment] = entry.value
    return found


def point_lines(
    found: dict[str, str], pending: Sequence[Pending], *, markdown: bool = False
) -> str:
    """`{points_step}` in words: `- Ask about the budget: discussed`."""
    lines = []
    for item in pending:
        if item.id not in found:
            continue
        text = " ".join(item.text.split())
        if markdown:
            text = markdown_escape(text, "- ")
        lines.append(f"- {text}: {POINT_WORDS.get(found[item.id], found[item.id])}")
    return "\n".join(lines)


def said(
    step: Step, history: Sequence[Part], follow_ups: Sequence[Pending], points: Sequence[Pending]
) -> tuple[Any, str] | None:
    """`{follow_up_step}`: what became of each commitment (or talking point) it asked
    about, as values and in words; None when it asked about none."""
    if step.about == POINTS:
        marked = point_outcomes(history, {step.id}, {p.id for p in points})
        if not marked:
            return None
        return list(marked.values()), point_lines(marked, points)
    found = outcomes(history, {step.id}, {c.id for c in follow_ups})
    if not found:
        return None
    return [o.status for o in found], outcome_lines(found, follow_ups)


def said_markdown(
    step: Step, history: Sequence[Part], follow_ups: Sequence[Pending], points: Sequence[Pending]
) -> str:
    """`said` at the start of a record line: a Markdown list, each item's words escaped."""
    if step.about == POINTS:
        marked = point_outcomes(history, {step.id}, {p.id for p in points})
        return point_lines(marked, points, markdown=True)
    found = outcomes(history, {step.id}, {c.id for c in follow_ups})
    return outcome_lines(found, follow_ups, markdown=True)


def made(
    script: Script,
    history: Sequence[Answered],
    value: Callable[[str], Any],
    text: Callable[[str], str],
) -> list[Made]:
    """The commitments a completing conversation makes: each answered commitment step on the
    path, due on its date step's answer (None when skipped), with its goal's words (`value`
    and `text` read a step's answer as the conversation does). A step answered again after a
    loop back was revised ("what would make it an 8?"): its last answer is the one promise."""
    last = {entry.step_id: seq for seq, entry in enumerate(history)}
    result = []
    for seq, entry in enumerate(history):
        step = script.steps.get(entry.step_id)
        spec = None if step is None else step.commitment
        if spec is None or last[entry.step_id] != seq:
            continue
        if entry.skipped or not entry.text.strip():
            continue
        goal = text(spec.goal).strip() if spec.goal else ""
        result.append(
            Made(
                text=entry.text,
                due=iso_date(value(spec.due)),
                goal=goal or None,
                step_id=entry.step_id,
                seq=seq,
            )
        )
    return result
