"""One small bad script per validator rule, with the exact position and message."""

from __future__ import annotations

import datetime as dt

import pytest

from reflectcoach.script.model import QuestionType

from .helpers import HEAD, find, load, script

ERRORS: list[tuple[str, str, int, int, str]] = [
    (
        "unknown key, with the closest valid one",
        script("q:\n  ask: Hi?\n  optinal: true"),
        8,
        5,
        "unknown key 'optinal' (did you mean 'optional'?)",
    ),
    (
        "unknown top-level key",
        HEAD.replace("title:", "titel:") + "  q:\n    ask: x\n",
        2,
        1,
        "unknown key 'titel' (did you mean 'title'?)",
    ),
    (
        "unknown key with nothing close",
        script("q:\n  ask: x\n  zzzzzz: 1"),
        8,
        5,
        "unknown key 'zzzzzz' (expected one of: say, ask,",
    ),
    (
        "unknown key in a branch",
        script("q:\n  ask: x\n  next:\n    - goto: q\n      go: r\nr:\n  say: y"),
        9,
        9,
        "unknown key 'goto' (did you mean 'go'?)",
    ),
    (
        "unknown key in an option",
        script("q:\n  ask: x\n  type: choice\n  options: [{value: a, lable: A}]"),
        9,
        26,
        "unknown key 'lable' (did you mean 'label'?)",
    ),
    (
        "missing top-level key",
        HEAD.replace("audience: anyone\n", "") + "  q:\n    ask: x\n",
        1,
        1,
        "the script is missing 'audience'",
    ),
    (
        "branch without go",
        script("q:\n  ask: x\n  next:\n    - if: q\n    - go: q"),
        9,
        9,
        "a branch is missing 'go'",
    ),
    (
        "duplicate key in a step",
        script("q:\n  ask: Hi?\n  ask: Again?"),
        8,
        5,
        "duplicate key 'ask' (first at 7:5)",
    ),
    (
        "duplicate step id",
        script("q:\n  ask: a\nq:\n  ask: b"),
        8,
        3,
        "duplicate key 'q' (first at 6:3)",
    ),
    (
        "duplicate label key (1 and 01 are the same number)",
        script("q:\n  ask: x\n  type: scale\n  labels: {1: a, 01: b}"),
        9,
        20,
        "duplicate key '01' (first at 9:14)",
    ),
    (
        "next naming no step",
        script("q:\n  ask: Hi?\n  next: wrap\nwrap_up:\n  say: bye"),
        8,
        11,
        "no step named 'wrap' (did you mean 'wrap_up'?)",
    ),
    (
        "go naming no step",
        script("q:\n  ask: Hi?\n  next:\n    - go: wrapup\nwrap_up:\n  say: bye"),
        9,
        13,
        "no step named 'wrapup' (did you mean 'wrap_up'?)",
    ),
    (
        "both say and ask",
        script("q:\n  say: Hi\n  ask: Hi?"),
        8,
        5,
        "a step either says or asks: use 'say' or 'ask', not both",
    ),
    (
        "neither say nor ask",
        script("q:\n  hint: x"),
        6,
        3,
        "step 'q' needs 'say' or 'ask'",
    ),
    (
        "a step that is not a mapping",
        script("q: Hello there"),
        6,
        6,
        "step 'q' must be a mapping with 'say' or 'ask', not text 'Hello there'",
    ),
    (
        "unknown type",
        script("q:\n  ask: x\n  type: multiple"),
        8,
        11,
        "unknown type 'multiple' (did you mean 'multi'?)",
    ),
    (
        "choice without options",
        script("q:\n  ask: x\n  type: choice"),
        6,
        3,
        "a choice question needs 'options'",
    ),
    (
        "multi with empty options",
        script("q:\n  ask: x\n  type: multi\n  options: []"),
        9,
        14,
        "'options' is empty",
    ),
    (
        "duplicate option values",
        script("q:\n  ask: x\n  type: multi\n  options: [time, fear, time]"),
        9,
        27,
        "duplicate option value 'time' (first at 9:15)",
    ),
    (
        "duplicate option value in the mapping form",
        script("q:\n  ask: x\n  type: choice\n  options:\n    - a\n    - {value: a, label: A}"),
        11,
        9,
        "duplicate option value 'a' (first at 10:9)",
    ),
    (
        "plain option that interpolates",
        script("q:\n  ask: x\n  type: choice\n  options: [a, 'hi {q}']"),
        9,
        18,
        "an option written as plain text is its own value",
    ),
    (
        "options on a text question",
        script("q:\n  ask: x\n  options: [a]"),
        8,
        5,
        "'options' does not apply to a text question",
    ),
    (
        "labels on a number question",
        script("q:\n  ask: x\n  type: number\n  labels: {1: a}"),
        9,
        5,
        "'labels' does not apply to a number question",
    ),
    (
        "scale with min >= max",
        script("q:\n  ask: x\n  type: scale\n  min: 5\n  max: 3"),
        9,
        10,
        "scale 'min' (5) must be less than 'max' (3)",
    ),
    (
        "scale with min == max (max defaults to 5)",
        script("q:\n  ask: x\n  type: scale\n  min: 5"),
        9,
        10,
        "scale 'min' (5) must be less than 'max' (5)",
    ),
    (
        "scale spanning too many points",
        script("q:\n  ask: x\n  type: scale\n  min: 0\n  max: 20"),
        9,
        10,
        "a scale spans at most 11 points; 0..20 has 21",
    ),
    (
        "scale with a fractional min",
        script("q:\n  ask: x\n  type: scale\n  min: 1.5"),
        9,
        10,
        "'min' must be a whole number, not the number 1.5",
    ),
    (
        "scale label outside the range",
        script("q:\n  ask: x\n  type: scale\n  labels: {1: low, 7: high}"),
        9,
        22,
        "label 7 is outside the scale 1..5",
    ),
    (
        "scale label key that is not a number",
        script("q:\n  ask: x\n  type: scale\n  labels: {low: 1}"),
        9,
        14,
        "a label key must be a whole number, not text 'low'",
    ),
    (
        "number with a max beyond what an answer can hold",
        script("q:\n  ask: x\n  type: number\n  max: 10000000000000001"),
        9,
        10,
        "'max' must be between -1,000,000,000,000,000 and 1,000,000,000,000,000",
    ),
    (
        "number with min >= max",
        script("q:\n  ask: x\n  type: number\n  min: 2.5\n  max: 1"),
        9,
        10,
        "'min' (2.5) must be less than 'max' (1)",
    ),
    (
        "optional: maybe",
        script("q:\n  ask: x\n  optional: maybe"),
        8,
        15,
        "'optional' must be true or false, not text 'maybe'",
    ),
    (
        'min: "a"',
        script('q:\n  ask: x\n  type: number\n  min: "a"'),
        9,
        10,
        "'min' must be a number, not text 'a'",
    ),
    (
        "end that is not a boolean",
        script("q:\n  ask: x\n  end: 1"),
        8,
        10,
        "'end' must be true or false, not the number 1",
    ),
    (
        "ask that is a list",
        script("q:\n  ask: [a, b]"),
        7,
        10,
        "'ask' must be text, not a list",
    ),
    (
        "empty say",
        script("q:\n  say: ''"),
        7,
        10,
        "'say' is empty",
    ),
    (
        "steps as a list",
        HEAD + "  - ask: x\n",
        6,
        3,
        "'steps' must be a mapping of step id to step, not a list",
    ),
    (
        "empty steps",
        HEAD.replace("steps:\n", "steps: {}\n"),
        5,
        8,
        "'steps' is empty",
    ),
    (
        "question keys on a say step",
        script("q:\n  say: hi\n  type: text"),
        8,
        5,
        "'type' is only for questions (steps with 'ask')",
    ),
    (
        "optional on a say step",
        script("q:\n  say: hi\n  optional: true"),
        8,
        5,
        "'optional' is only for questions",
    ),
    (
        "end together with next",
        script("q:\n  ask: x\n  end: true\n  next: q"),
        8,
        5,
        "a step with 'end: true' cannot also have 'next'",
    ),
    (
        "branches without an else",
        script('q:\n  ask: x\n  next:\n    - if: q == "a"\n      go: r\nr:\n  say: y'),
        9,
        9,
        "no branch matches when every condition is false; add a final `- go: STEP` branch",
    ),
    (
        "a branch after the else",
        script('q:\n  ask: x\n  next:\n    - go: r\n    - if: q == "a"\n      go: r\nr:\n  say: y'),
        10,
        9,
        "this branch is never taken: an earlier branch has no 'if'",
    ),
    (
        "empty branch list",
        script("q:\n  ask: x\n  next: []"),
        8,
        11,
        "'next' is an empty list",
    ),
    (
        "empty if",
        script("q:\n  ask: x\n  next:\n    - if:\n      go: q\n    - go: q"),
        9,
        12,
        "'if' must be a condition, not empty",
    ),
    (
        "condition that ends too early (column inside the scalar)",
        script("q:\n  ask: x\n  next:\n    - if: q ==\n      go: r\n    - go: r\nr:\n  say: y"),
        9,
        17,
        "bad condition: the condition ends too early: expected a value",
    ),
    (
        "condition with = for ==",
        script("q:\n  ask: x\n  next:\n    - if: q = 1\n      go: r\n    - go: r\nr:\n  say: y"),
        9,
        15,
        "bad condition: unexpected '=': use '==' to compare",
    ),
    (
        "condition in single quotes (column counts the quote)",
        script(
            "q:\n  ask: x\n  next:\n    - if: 'q == ) '\n      go: r\n    - go: r\nr:\n  say: y"
        ),
        9,
        19,
        "bad condition: expected a value, found ')'",
    ),
    (
        "condition naming an unknown step",
        script(
            'name:\n  ask: x\n  next:\n    - if: nme == "x"\n      go: r\n    - go: r\nr:\n  say: y'
        ),
        9,
        13,
        "unknown step 'nme' (did you mean 'name'?)",
    ),
    (
        "condition naming a say step",
        script(
            'intro:\n  say: hi\n  next:\n    - if: intro == "x"\n      go: r\n    - go: r\n'
            "r:\n  ask: y"
        ),
        9,
        13,
        "step 'intro' is a say step; it has no answer",
    ),
    (
        "interpolation of an unknown step",
        script("name:\n  ask: Hi {nme}?"),
        7,
        14,
        "unknown step 'nme' (did you mean 'name'?)",
    ),
    (
        "interpolation of a say step",
        script('intro:\n  say: hi\nq:\n  ask: "{intro}?"'),
        9,
        12,
        "step 'intro' is a say step; it has no answer",
    ),
    (
        "lone closing brace",
        script("q:\n  say: a } b"),
        7,
        12,
        "in 'say': single '}' (write '{{' and '}}' for literal braces)",
    ),
    (
        "unterminated brace in single quotes",
        script("q:\n  say: 'a {b'"),
        7,
        13,
        "in 'say': '{' is never closed",
    ),
    (
        "brace error inside a | block",
        script("q:\n  ask: x\nr:\n  say: |\n    line one\n    oops } here"),
        11,
        12,
        "single '}'",
    ),
    (
        "brace error in a hint",
        script("q:\n  ask: x\n  hint: 'use {Name}'"),
        8,
        17,
        "in 'hint': 'Name' is not a step id",
    ),
    (
        "brace error in record",
        HEAD.replace("steps:", "record: 'a {b c}'\nsteps:") + "  q:\n    ask: x\n",
        5,
        13,
        "in 'record': 'b c' is not a step id",
    ),
    (
        "unknown step in record",
        HEAD.replace("steps:", "record: '{qq}'\nsteps:") + "  q:\n    ask: x\n",
        5,
        11,
        "unknown step 'qq' (did you mean 'q'?)",
    ),
    (
        "malformed recall",
        script("q:\n  say: '{recall.x}'"),
        7,
        12,
        "'recall.x' is not a recall reference; write recall.SCRIPT_ID.STEP_ID",
    ),
    (
        "recall of a missing step of the same script",
        script("q:\n  ask: x\nr:\n  say: '{recall.demo.qq}'"),
        9,
        12,
        "script 'demo' has no step 'qq' (did you mean 'q'?)",
    ),
    (
        "a loop with no exit",
        script(
            "q:\n  ask: x\n  type: yes_no\n  next:\n    - if: q\n      go: done\n    - go: r\n"
            "r:\n  ask: again?\n  next: s\ns:\n  say: x\n  next: r\ndone:\n  say: bye"
        ),
        13,
        3,
        "no end can be reached from step 'r': every path loops through r, s",
    ),
    (
        "no end at all",
        script("q:\n  ask: x\n  next: r\nr:\n  say: y\n  next: q"),
        6,
        3,
        "the conversation can never end: no path from 'q' reaches an end",
    ),
    (
        "bad script id",
        HEAD.replace("id: demo", "id: Demo") + "  q:\n    ask: x\n",
        1,
        5,
        "id 'Demo' must be lowercase letters, digits and _, starting with a letter",
    ),
    (
        "bad step id",
        script("Goal:\n  ask: x"),
        6,
        3,
        "step id 'Goal' must be lowercase letters, digits and _",
    ),
    (
        "reserved step id",
        script("in:\n  ask: x"),
        6,
        3,
        "step id 'in' is reserved",
    ),
    (
        "unknown audience",
        HEAD.replace("anyone", "mentees") + "  q:\n    ask: x\n",
        4,
        11,
        "unknown audience 'mentees' (did you mean 'mentee'?)",
    ),
    (
        "version below 1",
        HEAD.replace("steps:", "version: 0\nsteps:") + "  q:\n    ask: x\n",
        5,
        10,
        "'version' must be 1 or more",
    ),
    (
        "version that is text",
        HEAD.replace("steps:", "version: '2'\nsteps:") + "  q:\n    ask: x\n",
        5,
        10,
        "'version' must be a number, not text '2'",
    ),
    (
        "a key that is not text",
        "? [a]\n: b\n" + HEAD[:-7],
        1,
        3,
        "a key must be plain text, not a list",
    ),
    (
        "YAML syntax error",
        "id: a\n  title: x\n",
        2,
        8,
        "invalid YAML: mapping values are not allowed",
    ),
    (
        "top level not a mapping",
        "- a\n- b\n",
        1,
        1,
        "the top level must be a mapping with id, title, summary, audience and steps, not a list",
    ),
    ("empty file", "", 1, 1, "the file is empty"),
    ("only comments", "# nothing yet\n\n", 1, 1, "the file is empty"),
    ("only a document marker", "---\n", 1, 1, "the file is empty"),
    (
        "two documents",
        HEAD + "  q:\n    ask: x\n---\nid: other\n",
        8,
        1,
        "a script is a single YAML document: remove the second '---'",
    ),
    (
        "tag",
        "id: !!python/object/apply:os.system ['ls']\n",
        1,
        5,
        "tags are not allowed (found '!!python/object/apply:os.system')",
    ),
    ("local tag", "id: !demo x\n", 1, 5, "tags are not allowed (found '!demo')"),
    (
        "anchor",
        HEAD + "  q: &s\n    ask: x\n",
        6,
        6,
        "anchors are not allowed (found '&s'): scripts never need them",
    ),
    (
        "alias",
        "a: 1\nb: *x\n",
        2,
        4,
        "aliases are not allowed (found '*x'): scripts never need them",
    ),
    (
        "control character",
        "id: demo\ntitle: a\x07b\n",
        2,
        9,
        "control character U+0007 is not allowed",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "col", "fragment"),
    [case[1:] for case in ERRORS],
    ids=[case[0] for case in ERRORS],
)
@pytest.mark.usefixtures("yaml_parser")
def test_error(text: str, line: int, col: int, fragment: str) -> None:
    result = load(text)
    find(result, line, col, fragment, "error")
    assert result.script is None
    assert result.errors


WARNINGS: list[tuple[str, str, int, int, str]] = [
    (
        "unreachable step",
        script("q:\n  ask: x\n  next: r\nspare:\n  ask: y\nr:\n  say: bye"),
        9,
        3,
        "step 'spare' is never reached",
    ),
    (
        "comparison of a number with text",
        script(
            'c:\n  ask: x\n  type: scale\n  next:\n    - if: c == "3"\n      go: r\n'
            "    - go: r\nr:\n  say: y"
        ),
        10,
        15,
        "'==' is always false here: 'c' is a number, \"3\" is text",
    ),
    (
        "order comparison of yes/no answers",
        script(
            "c:\n  ask: x\n  type: yes_no\n  next:\n    - if: c > false\n      go: r\n"
            "    - go: r\nr:\n  say: y"
        ),
        10,
        15,
        "'>' is always false here: only numbers and text have an order",
    ),
    (
        "multi compared with ==",
        script(
            'b:\n  ask: x\n  type: multi\n  options: [a]\n  next:\n    - if: b == "a"\n'
            "      go: r\n    - go: r\nr:\n  say: y"
        ),
        11,
        15,
        "'==' is always false here: 'b' is a list, \"a\" is text",
    ),
    (
        "literal that is not an option of a multi",
        script(
            "b:\n  ask: x\n  type: multi\n  options: [time, fear]\n  next:\n"
            "    - if: '\"tim\" in b'\n      go: r\n    - go: r\nr:\n  say: y"
        ),
        11,
        14,
        "'tim' is not an option of 'b' (did you mean 'time'?)",
    ),
    (
        "literal that is not an option of a choice",
        script(
            "c:\n  ask: x\n  type: choice\n  options: [happy, sad]\n  next:\n"
            "    - if: c != 'hapy'\n      go: r\n    - go: r\nr:\n  say: y"
        ),
        11,
        18,
        "'hapy' is not an option of 'c' (did you mean 'happy'?)",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "col", "fragment"),
    [case[1:] for case in WARNINGS],
    ids=[case[0] for case in WARNINGS],
)
@pytest.mark.usefixtures("yaml_parser")
def test_warning(text: str, line: int, col: int, fragment: str) -> None:
    result = load(text)
    find(result, line, col, fragment, "warning")
    assert result.script is not None, [str(d) for d in result.diagnostics]
    assert not result.errors


def test_every_problem_of_a_file_in_one_run() -> None:
    text = script(
        "q:\n  ask: x\n  optinal: true\n  type: multiple\nr:\n  say: '{nme}'\n  next: nowhere"
    )
    messages = [d.message for d in load(text).errors]
    assert len(messages) == 4
    assert any("optinal" in m for m in messages)
    assert any("multiple" in m for m in messages)
    assert any("nme" in m for m in messages)
    assert any("nowhere" in m for m in messages)


def test_diagnostics_are_sorted_by_position() -> None:
    text = script("q:\n  ask: '{b}'\n  zz: 1\nr:\n  say: '{a}'")
    positions = [(d.line, d.col) for d in load(text).diagnostics]
    assert positions == sorted(positions)


def test_a_bad_target_does_not_also_warn_about_unreachable_steps() -> None:
    result = load(script("q:\n  ask: Hi?\n  next: wrap\nwrap_up:\n  say: bye"))
    assert len(result.diagnostics) == 1


# Dates (script/dates.py): bounds are offsets from the day of answering, or ISO dates.
def test_a_date_question_with_bounds_loads() -> None:
    result = load(
        script(
            """
            by_when:
              ask: By when will you have done it?
              type: date
              min: today
              max: in 3 months
            fixed:
              ask: And the review?
              type: date
              min: 2026-12-01
              max: 2027-01-31
            """
        )
    )
    assert result.ok, result.diagnostics
    assert result.script is not None
    step = result.script.steps["by_when"]
    assert step.type is QuestionType.DATE
    assert step.date_min is not None and step.date_min.count == 0
    assert step.date_max is not None and (step.date_max.unit, step.date_max.count) == ("month", 3)
    assert step.min is None and step.max is None
    fixed = result.script.steps["fixed"]
    assert fixed.date_min is not None and fixed.date_min.fixed == dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("extra", "line", "col", "fragment"),
    [
        ("min: someday", 11, 10, "'min': 'someday' is not a date bound; write today, tomorrow"),
        ("max: friday", 11, 10, "'friday' is not a date bound"),
        ("min: 3", 11, 10, "'min' must be a date bound (today, tomorrow"),
        ("min: 2026-02-30", 11, 10, "'min': '2026-02-30' is not a day of the calendar"),
        ("options: [a, b]", 11, 5, "'options' does not apply to a date question"),
        ("labels: {1: x}", 11, 5, "'labels' does not apply to a date question"),
        ("min: 2027-01-01\n    max: 2026-12-31", 11, 10, "'min' (2027-01-01) is after 'max'"),
        ("min: in 2 weeks\n    max: in 10 days", 11, 10, "'min' (in 2 weeks) is after 'max'"),
        ("min: in 2 months\n    max: tomorrow", 11, 10, "'min' (in 2 months) is after 'max'"),
        ("min: in 1 month\n    max: in 30 days", None, None, ""),  # in February it is not
    ],
)
def test_date_bounds_are_checked_with_line_and_col(
    extra: str, line: int | None, col: int | None, fragment: str
) -> None:
    text = script(
        """
        intro:
          say: Hello
        by_when:
          ask: By when?
          type: date
        """
    )
    result = load(text + f"    {extra}\n")
    if line is None or col is None:
        assert not [d for d in result.errors if "after" in d.message], result.diagnostics
        return
    find(result, line, col, fragment, "error")


DATED_STEPS = """
by_when:
  ask: By when?
  type: date
  next:
    - if: CONDITION
      go: soon
    - go: later
soon:
  say: Soon, then.
  end: true
later:
  ask: How sure are you?
  type: scale
"""


def with_condition(condition: str) -> str:
    return script(DATED_STEPS).replace("CONDITION", condition)


@pytest.mark.parametrize(
    "condition",
    [
        "by_when < today",
        "today <= by_when",
        "days_until(by_when) <= 7",
        'by_when == "2026-12-25"',
        "days_until(by_when) > -1 and '2026-12-25' > by_when",
        "not by_when != today",
    ],
)
def test_date_conditions_that_load_cleanly(condition: str) -> None:
    result = load(with_condition(condition))
    assert result.ok and not result.diagnostics, [str(d) for d in result.diagnostics]


# Line 10 holds `- if: ...`; the condition starts at column 13.
@pytest.mark.parametrize(
    ("condition", "col", "fragment"),
    [
        ("by_when < 3", 21, "'by_when' is a date, 3 is a number: a date compares with today"),
        ("today == true", 19, "today is a date, true is true/false"),
        ("by_when == later", 21, "'later' is a number"),
        ('by_when < "soon"', 23, '"soon" is not a date; write it as "YYYY-MM-DD"'),
        ('by_when < "2026-02-30"', 23, "is not a date"),
        ('not "2026" in by_when', 24, "'in' does not apply to dates"),
        ("days_until(later) < 3", 13, "days_until needs a date question; 'later' is a scale"),
        ("days_until(nowhere) < 3", 24, "unknown step 'nowhere'"),
        ("days_until(by_when) == today", 33, "days_until(by_when) is a number"),
    ],
)
def test_date_conditions_are_checked_with_line_and_col(
    condition: str, col: int, fragment: str
) -> None:
    find(load(with_condition(condition)), 10, col, fragment, "error")
