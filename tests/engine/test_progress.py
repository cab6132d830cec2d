"""The progress shown while answering ("[N/M]" in plain mode, "Question N of M" in the app)
never goes backwards: N moves on by one with each answer, M never shrinks, and the last
question reads N of N. Walked with random answers through every built-in, with open
commitments and talking points for their follow-up steps and random earlier answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflectcoach.engine.answers import AnswerError
from reflectcoach.engine.conversation import Conversation
from reflectcoach.script.loader import load_file
from reflectcoach.script.model import QuestionType, Script, Step
from reflectcoach.script.registry import builtin_dir

TODAY = "2026-12-01"


def _builtins() -> dict[str, Script]:
    found = {}
    for path in sorted(builtin_dir().glob("*.yaml")):
        if path.name.endswith(".part.yaml"):
            continue
        loaded = load_file(path)
        assert loaded.script is not None, path
        found[loaded.script.id] = loaded.script
    return found


BUILTINS = _builtins()


@dataclass(frozen=True)
class Open:
    id: str
    text: str
    due: dt.date | None = None
    goal: str | None = None


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", TODAY)


def _answer(data: st.DataObject, step: Step) -> Any:
    """A random answer the question takes (None: skip it)."""
    if step.optional and data.draw(st.booleans()):
        return None
    kind = step.type
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        values = [o.value for o in step.options]
        if kind is QuestionType.CHOICE:
            return data.draw(st.sampled_from(values))
        return data.draw(st.lists(st.sampled_from(values), min_size=1, unique=True))
    if kind is QuestionType.YES_NO:
        return data.draw(st.sampled_from(["yes", "no"]))
    if kind in (QuestionType.SCALE, QuestionType.NUMBER):
        low = 1 if step.min is None else int(step.min)
        high = low + 20 if step.max is None else int(step.max)
        return str(data.draw(st.integers(low, high)))
    if kind is QuestionType.DATE:
        return f"in {data.draw(st.integers(1, 400))} days"
    return data.draw(st.sampled_from(["Yes", "A plan", "Something longer, in words"]))


def _earlier(data: st.DataObject):
    """Earlier answers, drawn when first asked for: absent, or a value its step takes."""

    def recall(script_id: str, step_id: str) -> tuple[Any, str] | None:
        step = BUILTINS.get(script_id, None)
        found = None if step is None else step.steps.get(step_id)
        if found is None or not found.is_question or not data.draw(st.booleans()):
            return None
        if found.type in (QuestionType.SCALE, QuestionType.NUMBER):
            value: Any = data.draw(st.integers(1, 10))
        elif found.type in (QuestionType.CHOICE, QuestionType.MULTI) and found.options:
            value = found.options[0].value
            value = [value] if found.type is QuestionType.MULTI else value
        elif found.type is QuestionType.YES_NO:
            value = data.draw(st.booleans())
        else:
            value = "Earlier words"
        return value, str(value)

    return recall


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.parametrize("script_id", sorted(BUILTINS))
@given(data=st.data())
def test_shown_progress_never_goes_backwards(script_id: str, data: st.DataObject) -> None:
    commitments = data.draw(st.integers(0, 3))
    points = data.draw(st.integers(0, 2))
    recall = _earlier(data)
    conv = Conversation(
        BUILTINS[script_id],
        recall=recall,
        recall_anywhere=recall,
        mentorship="Sam",
        follow_ups=[Open(f"c{i}", f"Commitment {i}") for i in range(commitments)],
        points=[Open(f"p{i}", f"Point {i}") for i in range(points)],
        state=lambda field: (
            ("Earlier words",) * 3
            if field in ("goal", "first_goal", "partner") and data.draw(st.booleans())
            else None
        ),
    )
    shown: list[tuple[int, int, bool, str]] = []
    while (question := conv.turn.question) is not None and len(shown) < 300:
        now = conv.progress
        shown.append((now.done + 1, now.total, now.exact, now.plain()))
        assert now.done + 1 == question.number
        answer = _answer(data, question.step)
        try:
            conv.skip() if answer is None else conv.answer(answer)
        except AnswerError:  # a range or an exclusive option refused it: the first option
            step = question.step
            fallback = step.options[0].value if step.options else "2"
            conv.answer("tomorrow" if step.type is QuestionType.DATE else fallback)
    for (n, m, exact, text), (n2, m2, _, text2) in pairwise(shown):
        assert n2 == n + 1, (text, text2)
        assert m2 >= m, f"the total went back: {text} -> {text2}"
        assert not exact or m2 == m, f"said exactly {m}, then {m2}: {text} -> {text2}"
    for n, m, _, text in shown:
        assert m >= n, text
    if conv.finished and shown:
        last_n, last_m, _, text = shown[-1]
        assert last_n == last_m, text  # the last question: "N of N" (or "at least N")
        assert conv.progress == (last_n, last_n, True)


def test_a_branch_that_adds_questions_raises_the_total_and_says_at_least() -> None:
    """first_meeting: before "does one of you manage the other?" the fewest to come is the
    short way (a note asking for a new match); the answer "no" leads to the agreement, a
    longer way, and the total grows; it never shrinks back to a guess."""
    conv = Conversation(BUILTINS["first_meeting"], mentorship="Sam")
    conv.answer("mentee")
    conv.answer("Ana")
    conv.answer("Sam")
    before = conv.progress
    assert before.plain().endswith("+]") and "of at least" in before.words()
    conv.answer("no")
    after = conv.progress
    assert after.done == before.done + 1 and after.total > before.total
