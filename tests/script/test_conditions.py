"""The condition language: parsing, errors with offsets, and evaluation that never raises."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflectcoach.core import clock
from reflectcoach.script.conditions import MAX_DEPTH, MAX_LENGTH, Condition, ConditionError, parse

ANSWERS: dict[str, Any] = {
    "confidence": 2,
    "score": 7.5,
    "blockers": ["time", "fear"],
    "mood": "happy",
    "opening": "I ALWAYS run late",
    "ready": True,
    "tired": False,
    "empty": "",
    "none_picked": [],
    "skipped": None,
    "recall.goal_setting.goal": "Run 5k",
}


def holds(text: str, answers: dict[str, Any] = ANSWERS) -> bool:
    return parse(text).evaluate(answers.get)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("confidence <= 2", True),
        ("confidence < 2", False),
        ("confidence == 2 and score > 7", True),
        ("score >= 7.5 and score != 8", True),
        ("confidence > -1", True),
        ('"time" in blockers', True),
        ('"unclear" in blockers', False),
        ('"unclear" not in blockers', True),
        ('"time" not in blockers', False),
        ('"always" in opening', True),  # substring, case-insensitive
        ('"Always" in opening', True),
        ('"never" not in opening', True),
        ('mood == "happy"', True),
        ("mood == 'Happy'", False),  # == on text is exact
        ('mood != "sad"', True),
        ('"a" < "b"', True),
        ("ready", True),
        ("ready == true", True),
        ("tired", False),
        ("not tired", True),
        ("tired == false", True),
        ("empty", False),
        ("none_picked", False),
        ("blockers", True),
        ("confidence", True),
        ("not not ready", True),
        ('not mood == "sad"', True),  # not binds looser than ==
        ("ready or skipped == 1", True),
        ("tired and skipped", False),
        ("(tired or ready) and confidence == 2", True),
        ("tired or ready and confidence == 3", False),  # and binds tighter than or
        ('recall.goal_setting.goal == "Run 5k"', True),
        ('"5k" in recall.goal_setting.goal', True),
        ("true", True),
        ("false", False),
        ("1 == 1.0", True),
    ],
)
def test_evaluation(text: str, expected: bool) -> None:
    assert holds(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        # A skipped or unanswered step (None) makes every comparison and `in` false.
        "skipped == 1",
        "skipped != 1",
        "skipped < 1",
        "skipped >= 1",
        '"time" in skipped',
        '"time" not in skipped',
        "skipped in blockers",
        "skipped not in blockers",
        "skipped == skipped",
        "unknown_step == 1",
        "recall.other.step != ''",
        "skipped",
        # Different kinds never compare: false, not an error.
        'confidence < "3"',
        'confidence == "2"',
        'confidence != "2"',
        "ready == 1",
        "ready > false",
        'blockers == "time"',
        "blockers < blockers",
        "3 in opening",
        "3 in confidence",
        '"a" in confidence',
        "ready in blockers and false",
    ],
)
def test_unanswered_and_mismatched_are_false(text: str) -> None:
    assert holds(text) is False


def test_not_of_an_unanswered_comparison_is_true() -> None:
    assert holds("not skipped") and holds("not skipped == 1")


def test_references() -> None:
    condition = parse('confidence <= 2 and "time" in blockers or recall.goal_setting.goal')
    assert isinstance(condition, Condition)
    assert condition.source.startswith("confidence")
    assert condition.references() == frozenset(
        {"confidence", "blockers", "recall.goal_setting.goal"}
    )
    assert condition.references_at() == (
        ("confidence", 0),
        ("blockers", 30),
        ("recall.goal_setting.goal", 42),
    )
    assert [(c.op, c.offset) for c in condition.comparisons()] == [("<=", 11), ("in", 27)]


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("", 0, "the condition is empty"),
        ("   ", 0, "the condition is empty"),
        ("q ==", 4, "ends too early"),
        ("q = 1", 2, "use '=='"),
        ("q == 1 && r", 7, "use 'and'"),
        ("q || r", 2, "use 'or'"),
        ("!q", 0, "use 'not'"),
        ('q == "abc', 5, "this string is never closed"),
        ("q == 1.", 5, "not a number"),
        ("q == 12abc", 5, "not a number"),
        ("(q == 1", 0, "'(' is never closed"),
        ("q == 1)", 6, "')' has no matching '('"),
        ("q r", 2, "unexpected 'r': expected 'and', 'or' or the end"),
        ("1 < q < 3", 6, "comparisons cannot be chained"),
        ("q == and", 5, "expected a value, found 'and'"),
        ("q in", 4, "ends too early"),
        ("q not r", 2, "unexpected 'not'"),
        ("True", 0, "write 'true' in lowercase"),
        ("q AND r", 2, "write 'and' in lowercase"),
        ("Mood == 1", 0, "'Mood' is not a step id"),
        ("recall.x == 1", 0, "not a recall reference"),
        ("recall.a.b.c == 1", 0, "not a recall reference"),
        ("q == $", 5, "unexpected '$'"),
        ("(q or r) == 1", 9, "compare a value, not a condition in parentheses"),
        ("q == (r or s)", 2, "compare with a value"),
        ("not " * (MAX_DEPTH + 1) + "q", 4 * MAX_DEPTH, f"nested more than {MAX_DEPTH} deep"),
        ("(" * (MAX_DEPTH + 1) + "q" + ")" * (MAX_DEPTH + 1), MAX_DEPTH, "nested more than"),
        ("q == 1 or " * 200 + "q", MAX_LENGTH, f"limited to {MAX_LENGTH} characters"),
    ],
)
def test_errors_have_offsets(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse(text)
    assert fragment in caught.value.message
    assert caught.value.offset == offset
    assert str(caught.value) == caught.value.message


def test_nesting_up_to_the_limit_is_fine() -> None:
    text = "(" * (MAX_DEPTH - 1) + "ready" + ")" * (MAX_DEPTH - 1)
    assert holds(text)
    assert holds("not " * MAX_DEPTH + "ready")  # an even number of nots


# Property tests.

OPERANDS = [
    *("q", "r", "recall.a.b", "recall.x", "1", "-2", "2.5", '"a"', "'b'", "true", "false"),
    *("today", "days_until(q)", "days_until", '"2026-12-04"'),
]
OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "in", "not", "and", "or", "(", ")", " "]
MISTAKES = ["=", "!", '"', "Q", ".", "&&", "1."]
CONDITION_TOKENS = st.sampled_from([*OPERANDS, *OPERATORS, *MISTAKES])
CONDITIONS = st.lists(CONDITION_TOKENS, max_size=25).map(" ".join)
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(["a", "b", "A", "2026-12-04", "0001-01-01", "9999-12-31"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner) | st.dictionaries(st.text(), inner)
    ),
    max_leaves=10,
)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_random_text_parses_or_raises_condition_error(text: str) -> None:
    try:
        parse(text)
    except ConditionError as err:
        assert 0 <= err.offset <= len(text)


@settings(max_examples=500, deadline=None)
@given(CONDITIONS)
def test_random_token_soup_parses_or_raises_condition_error(text: str) -> None:
    try:
        parse(text)
    except ConditionError as err:
        assert 0 <= err.offset <= len(text)


@settings(max_examples=500, deadline=None)
@given(CONDITIONS, st.dictionaries(st.sampled_from(["q", "r", "recall.a.b"]), VALUES))
def test_evaluation_with_random_answers_never_raises(text: str, answers: dict[str, Any]) -> None:
    try:
        condition = parse(text)
    except ConditionError:
        return
    assert condition.evaluate(answers.get) in (True, False)


# Dates: ISO answers, `today` and `days_until(step)`.
DATED: dict[str, Any] = {"next_date": "2026-12-04", "review": "2026-11-20", "skipped": None}
TUESDAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next_date > today", True),
        ("next_date < today", False),
        ("review < today", True),
        ("today >= review", True),
        ("today == today", True),
        ("next_date == today", False),
        ('next_date == "2026-12-04"', True),
        ('next_date < "2026-12-25"', True),
        ("review < next_date", True),
        ("days_until(next_date) == 3", True),
        ("days_until(next_date) <= 7", True),
        ("days_until(review) == -11", True),
        ("days_until(review) < 0", True),
        ("days_until(skipped) < 100", False),  # unanswered: false, as always
        ("skipped < today", False),
        ("not days_until(skipped) >= 0", True),
    ],
)
def test_dates_compare_by_the_calendar(text: str, expected: bool) -> None:
    assert parse(text).evaluate(DATED.get, TUESDAY) is expected


def test_today_defaults_to_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-04")
    assert parse("next_date == today").evaluate(DATED.get)
    assert parse("days_until(review) == -14").evaluate(DATED.get)


def test_days_until_names_its_step_and_today_is_not_a_step() -> None:
    condition = parse("days_until(next_date) <= 7 and today > review")
    assert condition.references() == frozenset({"next_date", "review"})


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("days_until <= 7", 0, "write days_until(STEP)"),
        ("days_until(3) <= 7", 11, "days_until takes a date question's id, not '3'"),
        ("days_until(today)", 11, "not 'today'"),
        ("days_until(next_date <= 7", 0, "never closed"),
        ("days_until()", 11, "not ')'"),
        ("Today > next_date", 0, "write 'today' in lowercase"),
    ],
)
def test_date_syntax_errors_have_offsets(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(
        ConditionError, match=fragment.replace("(", r"\(").replace(")", r"\)")
    ) as err:
        parse(text)
    assert err.value.offset == offset
