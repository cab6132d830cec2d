"""The loaded, validated form of a conversation script.

Everything here is plain, immutable data: the loader builds it, the engine reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from reflectcoach.script.dates import Offset

STEP_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
SCRIPT_ID = STEP_ID
# `recall.SCRIPT_ID.STEP_ID`: an answer from the last completed conversation of that script.
RECALL = re.compile(r"recall\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\Z")
RECALL_PREFIX = "recall."
# `{commitment.text}` and friends: the commitment a follow_up step is asking about.
COMMITMENT = re.compile(r"commitment\.(text|due|when|goal)\Z")
COMMITMENT_PREFIX = "commitment."
# `{mentorship.goal}` and friends: the mentorship's state (script/mentorship_fields.py).
MENTORSHIP_FIELD = re.compile(r"mentorship\.[a-z][a-z0-9_]*\Z")


def parse_recall(name: str) -> tuple[str, str] | None:
    """`"recall.goal_setting.goal"` -> `("goal_setting", "goal")`; None for a plain step id."""
    match = RECALL.match(name)
    return (match.group(1), match.group(2)) if match else None


def name_problem(name: str) -> str | None:
    """Why `name` is not a step id or recall reference, or None when it is one."""
    shown = name if len(name) <= 40 else name[:37] + "..."
    if name.startswith(COMMITMENT_PREFIX):
        if COMMITMENT.match(name):
            return None
        return (
            f"'{shown}' is not known; write commitment.text, commitment.due, commitment.when "
            "or commitment.goal"
        )
    if MENTORSHIP_FIELD.match(name):
        return None
    if name == "recall" or name.startswith(RECALL_PREFIX) or "." in name:
        if RECALL.match(name):
            return None
        return f"'{shown}' is not a recall reference; write recall.SCRIPT_ID.STEP_ID"
    if STEP_ID.match(name):
        return None
    if name.strip() != name and STEP_ID.match(name.strip()):
        return f"remove the spaces around '{name.strip()}'"
    return (
        f"'{shown}' is not a step id; step ids are lowercase letters, digits and _, "
        "starting with a letter"
    )


class QuestionType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTI = "multi"
    SCALE = "scale"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"
    FOLLOW_UP = "follow_up"  # asked once per open commitment (see reflectcoach.engine.followup)


class Audience(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    ANYONE = "anyone"


@dataclass(frozen=True, slots=True)
class Pos:
    """1-based line and column of a YAML node in its file."""

    line: int
    col: int
    # The part file it is in, for a step included from one (script/includes.py); None: the
    # script's own file.
    path: str | None = None


class Condition(Protocol):
    """A parsed branch condition (see script.conditions)."""

    source: str

    def evaluate(self, lookup: Callable[[str], Any]) -> bool: ...

    def references(self) -> frozenset[str]: ...


class Template(Protocol):
    """Parsed text with `{step}` / `{recall.script.step}` holes (see script.templates)."""

    source: str

    def render(self, lookup: Callable[[str], str]) -> str: ...

    def render_filled(self, lookup: Callable[[str], str]) -> str: ...

    def references(self) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: Template
    # A multi option that goes alone ("nothing I can see"): ticking it unticks the others.
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class Branch:
    """One way out of a step: `condition` None means always (the else branch)."""

    go: str
    condition: Condition | None = None
    # Where it was written (the `go`, or the step for an implicit next): for coverage.
    pos: Pos | None = None


@dataclass(frozen=True, slots=True)
class Prefill:
    """Where a question's offered answer comes from (`prefill:`, see script/prefill.py):
    `mentorship` (the name chosen on home or with -m), `recall` (that step's answer in this
    mentorship's latest completed conversation of `script`) or `anywhere` (the same, in any
    mentorship)."""

    # "mentorship" | "state" (mentorship.FIELD) | "recall" | "anywhere" | "in_months" |
    # "halfway" (a date counted from today by a number answer of this script)
    kind: str
    pos: Pos
    script: str = ""
    step: str = ""

    @property
    def source(self) -> str:
        """As written in the script."""
        if self.kind == "state":
            return f"mentorship.{self.step}"
        if self.kind in ("in_months", "halfway"):  # a number step of this script
            return f"{self.kind}.{self.step}"
        return self.kind if self.kind == "mentorship" else f"{self.kind}.{self.script}.{self.step}"


@dataclass(frozen=True, slots=True)
class CommitmentSpec:
    """`commitment:` on a question: its answer becomes a commitment when the conversation
    completes, due on the answer to step `due`, serving the goal named by step `goal`."""

    due: str
    goal: str | None = None


@dataclass(frozen=True, slots=True)
class ReRate:
    """`re_rates: SCRIPT.STEP` on a scale step: it asks again what that step rated, so the
    two are one series over time in a mentorship (insights, the mentorship screen)."""

    script: str
    step: str
    pos: Pos

    @property
    def source(self) -> str:
        return f"{self.script}.{self.step}"


# `re_rates: SCRIPT_ID.STEP_ID`
RE_RATES = re.compile(r"([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\Z")


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    pos: Pos
    say: Template | None = None
    ask: Template | None = None
    type: QuestionType | None = None  # None for say steps
    hint: Template | None = None
    options: tuple[Option, ...] = ()
    optional: bool = False
    min: float | None = None
    max: float | None = None
    labels: Mapping[int, str] = field(default_factory=dict)
    # A date question's bounds, counted from the day of answering (script/dates.py).
    date_min: Offset | None = None
    date_max: Offset | None = None
    # Normalised: an implicit `next` is one unconditional branch to the following step.
    branches: tuple[Branch, ...] = ()
    end: bool = False  # true for `end: true` and for the last step without `next`
    # Tried in order when the question comes up afresh: the first with a value is offered.
    prefill: tuple[Prefill, ...] = ()
    commitment: CommitmentSpec | None = None
    re_rates: ReRate | None = None
    # `sets: mentorship.FIELD`: the field (without its prefix) this answer sets on completion.
    sets: str | None = None
    # A follow_up step walks the open commitments, or the open talking points.
    about: str = "commitments"

    @property
    def is_question(self) -> bool:
        return self.ask is not None

    @property
    def text(self) -> Template:
        text = self.ask if self.ask is not None else self.say
        assert text is not None
        return text


@dataclass(frozen=True, slots=True)
class RecallRef:
    """A `recall.script.step` reference in a template or condition, or a `prefill` from
    another script, where it was written."""

    script: str
    step: str
    pos: Pos
    # For a prefill: the type of the question it fills, which the recalled step must match.
    fills: QuestionType | None = None
    # Where the answer lands can be shared: a recall in a record part that is not just for
    # me, or a prefill of a step named in one (script/privacy.py).
    shared: bool = False


@dataclass(frozen=True, slots=True)
class RecordPart:
    """One part of a record written as a list (`record: [{text, private, if}]`): shown only
    when `condition` holds (None: always); a `private` part is just for the person."""

    template: Template
    private: bool = False
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class Script:
    id: str
    title: str
    summary: str
    audience: Audience
    steps: Mapping[str, Step]  # in file order
    version: int = 1
    record: Template | None = None  # the whole record; a list's parts joined
    record_parts: tuple[RecordPart, ...] = ()  # when `record:` is a list
    source: str = "<string>"  # path of the file it came from
    sha256: str = ""  # hash of the file's text, stored with each conversation
    id_pos: Pos = Pos(1, 1)  # where `id` was written, for duplicate-id diagnostics
    # Every recall reference, in file order: the registry checks them against the catalog.
    recalls: tuple[RecallRef, ...] = ()
    # `closes_mentorship: true`: completing it closes the conversation's mentorship.
    closes_mentorship: bool = False
    # `delivers: feedback | record`: completing it marks the record to go with the next
    # share to the partner, as that (store/partners.py's outbox), in the same transaction.
    delivers: str | None = None
    # Steps named only in the record's just-for-me parts (script/privacy.py).
    private_steps: frozenset[str] = frozenset()

    @property
    def first_step(self) -> str:
        return next(iter(self.steps))

    @property
    def questions(self) -> list[Step]:
        return [s for s in self.steps.values() if s.is_question]
