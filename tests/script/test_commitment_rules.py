"""The validator on `commitment:` and `follow_up`, with the exact position of each problem."""

from __future__ import annotations

import pytest

from reflectcoach.script.model import CommitmentSpec, QuestionType

from .helpers import find, load, script

FOLLOW_UP = 'f:\n  type: follow_up\n  ask: "How did {commitment.text} go, by {commitment.due}?"\n'

ERRORS: list[tuple[str, str, int, int, str]] = [
    (
        "commitment on a choice",
        script(
            "q:\n  ask: x\n  type: choice\n  options: [a]\n  commitment: {due: d}\nd:\n  ask: y"
        ),
        10,
        5,
        "'commitment' is for text and long_text questions, not choice",
    ),
    (
        "commitment without due",
        script("q:\n  ask: x\n  commitment: {goal: q}"),
        8,
        17,
        "'commitment' is missing 'due'",
    ),
    (
        "commitment with an unknown key",
        script("q:\n  ask: x\n  commitment: {due: d, when: d}\nd:\n  ask: y"),
        8,
        26,
        "unknown key 'when'",
    ),
    (
        "due names no step",
        script("q:\n  ask: x\n  commitment: {due: dte}\nd:\n  ask: y"),
        8,
        23,
        "'due': no step named 'dte'",
    ),
    (
        "due names a say step",
        script("q:\n  ask: x\n  commitment: {due: d}\nd:\n  say: y"),
        8,
        23,
        "'due': step 'd' is a say step",
    ),
    (
        "due names a question that is not a date",
        script("q:\n  ask: x\n  commitment: {due: d}\nd:\n  ask: y"),
        8,
        23,
        "'due': step 'd' must be a date question",
    ),
    (
        "commitment on a say step",
        script("q:\n  say: x\n  commitment: {due: q}"),
        8,
        5,
        "'commitment' is only for questions",
    ),
    (
        "a commitment hole outside a follow_up",
        script("q:\n  say: You said {commitment.text}."),
        7,
        20,
        "{commitment.text} is only for a follow_up step's 'ask' and 'hint'",
    ),
    (
        "an unknown commitment field",
        script('f:\n  type: follow_up\n  ask: "{commitment.where}?"'),
        8,
        12,
        "'commitment.where' is not known; write commitment.text, commitment.due, commitment.when",
    ),
    (
        "a commitment name in a condition",
        script(
            FOLLOW_UP
            + '  next:\n    - if: commitment.text == "x"\n      go: f\n    - go: e\ne:\n  say: z'
        ),
        10,
        13,
        "'commitment.text' is only for a follow_up step's 'ask' and 'hint'",
    ),
    (
        "options on a follow_up",
        script(FOLLOW_UP + "  options: [a]"),
        9,
        5,
        "'options' does not apply to a follow_up question",
    ),
    (
        "prefill on a follow_up",
        script(FOLLOW_UP + "  prefill: mentorship"),
        9,
        5,
        "'prefill' does not apply to a follow_up step",
    ),
    (
        "a condition naming a follow_up step",
        script(FOLLOW_UP + "  next:\n    - if: f\n      go: e\n    - go: e\ne:\n  say: Hi."),
        10,
        13,
        "step 'f' is a follow_up step; it has no single answer",
    ),
]


def test_a_text_may_name_a_follow_up_step_for_its_outcomes() -> None:
    # Issue 21: follow-up outcomes can be named in records (and say steps), in words.
    result = load(script(FOLLOW_UP + "e:\n  say: You said {f}."))
    assert result.script is not None, [str(d) for d in result.diagnostics]


@pytest.mark.parametrize(
    ("name", "text", "line", "col", "fragment"), ERRORS, ids=[e[0] for e in ERRORS]
)
def test_error(name: str, text: str, line: int, col: int, fragment: str) -> None:
    result = load(text)
    assert result.script is None
    find(result, line, col, fragment, "error")


def test_a_valid_commitment_and_follow_up() -> None:
    text = script(
        FOLLOW_UP
        + '  hint: "For {commitment.goal}"\n'
        + "goal:\n  ask: Goal?\n"
        + "step:\n  ask: Next step?\n  type: long_text\n  commitment: {due: when, goal: goal}\n"
        + "when:\n  ask: By when?\n  type: date\n  min: today\n  optional: true\n"
    )
    result = load(text)
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    assert result.script is not None
    assert result.script.steps["f"].type is QuestionType.FOLLOW_UP
    assert result.script.steps["step"].commitment == CommitmentSpec("when", "goal")
