"""Two completed runs of one script side by side, question by question (two rehearsals of a
tough conversation, say): for the app's CompareScreen and `reflectcoach compare ID1 ID2`.

Questions are matched by step id, in the order the runs asked them. An answer the two
share is shown once; a difference is marked with a word and a symbol (`≠ changed`), never
by colour alone. A step answered twice in one run (a loop) compares its latest answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reflectcoach.core.errors import UserError

if TYPE_CHECKING:
    from reflectcoach.store import Store
    from reflectcoach.store.rows import Answer, Conversation

SAME = "="
CHANGED = "≠ changed"
ONLY = "only in one"
NOT_ANSWERED = "(skipped)"
NOT_ASKED = "(not asked)"


class CannotCompare(UserError):
    """Not two completed runs of one script."""


@dataclass(frozen=True, slots=True)
class Row:
    step_id: str
    question: str  # as the later run asked it
    first: str | None  # None: not asked in that run
    second: str | None

    @property
    def same(self) -> bool:
        return self.first == self.second

    @property
    def mark(self) -> str:
        if self.first is None or self.second is None:
            return ONLY
        return SAME if self.same else CHANGED


@dataclass(frozen=True, slots=True)
class Comparison:
    first: Conversation
    second: Conversation
    rows: list[Row]

    @property
    def changed(self) -> int:
        return sum(1 for row in self.rows if not row.same)


def _text(answer: Answer) -> str:
    return NOT_ANSWERED if answer["skipped"] else (answer["answer_text"] or "")


def _step_texts(answers: list[Answer]) -> dict[str, str]:
    """Each step's answer as words: the latest answer (a loop), except a follow_up step,
    whose parts (the status, a new date, a reason) are one answer together, per commitment
    ("not yet · Friday 20 March 2026"): its last part alone was a bare date."""
    texts: dict[str, str] = {}
    parts: dict[str, dict[str, list[str]]] = {}
    for answer in sorted(answers, key=lambda a: a["seq"]):
        step = answer["step_id"]
        commitment = answer.get("commitment_id")
        if commitment is None:
            texts[step] = _text(answer)
            continue
        parts.setdefault(step, {}).setdefault(commitment, []).append(_text(answer))
    for step, by_commitment in parts.items():
        texts[step] = "; ".join(" · ".join(words) for words in by_commitment.values())
    return {step: texts[step] for step in dict.fromkeys(a["step_id"] for a in answers)}


def described(conversation: Conversation) -> str:
    """ "Weekly check-in of 2026-03-02": how a run is named to a person (not its id)."""
    return f"{conversation['title']} of {conversation['started_at'][:10]}"


def compare(store: Store, first_id: str, second_id: str) -> Comparison:
    """Ids may be prefixes, as elsewhere; the older run comes first."""
    ids = [store.resolve_id(first_id), store.resolve_id(second_id)]
    if ids[0] == ids[1]:
        raise CannotCompare("Those are the same conversation: give two different ones.")
    found = [store.conversation(i) for i in ids]
    runs: list[Conversation] = [c for c in found if c is not None]
    if len(runs) != 2:
        raise CannotCompare("One of those conversations is not in the database.")
    runs.sort(key=lambda c: c["started_at"])
    one, two = runs
    if one["script_id"] != two["script_id"]:
        raise CannotCompare(
            f"These are runs of different scripts ({described(one)}, {described(two)}): "
            "only runs of one script compare question by question."
        )
    unfinished = [described(c) for c in runs if c["status"] != "completed"]
    if unfinished:
        raise CannotCompare(
            f"{' and '.join(unfinished)} is still in progress: only completed runs compare."
        )
    fetched = [store.answers(c["id"]) for c in runs]
    answers = [_step_texts(given) for given in fetched]
    # The question as the later run asked it (the latest asking of a step wins).
    questions = {a["step_id"]: a["question"] for given in fetched for a in given}
    order = list(answers[0]) + [step for step in answers[1] if step not in answers[0]]
    rows = []
    for step in order:
        rows.append(
            Row(
                step_id=step,
                question=questions.get(step, step),
                first=answers[0].get(step),
                second=answers[1].get(step),
            )
        )
    return Comparison(one, two, rows)


def plain_lines(comparison: Comparison) -> list[str]:
    """The comparison as plain text (the caller makes it safe for a terminal)."""
    one, two = comparison.first, comparison.second
    lines = [
        f"{one['title']}: {one['started_at'][:10]} [{one['id']}] and "
        f"{two['started_at'][:10]} [{two['id']}]",
        f"{len(comparison.rows)} questions, {comparison.changed} different.",
        "",
    ]
    for row in comparison.rows:
        lines.append(f"{row.mark}  {row.question}")
        if row.same:
            lines.append(f"     both: {_indent(row.first)}")
        else:
            lines.append(f"     {one['started_at'][:10]}: {_or_not_asked(row.first)}")
            lines.append(f"     {two['started_at'][:10]}: {_or_not_asked(row.second)}")
    return lines


def _or_not_asked(text: str | None) -> str:
    return NOT_ASKED if text is None else _indent(text)


def _indent(text: str | None) -> str:
    """A long answer's later lines under its first."""
    return (text or "").replace("\n", "\n" + " " * 7)
