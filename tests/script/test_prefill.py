"""`prefill:` rules: one small script per problem, with the exact position and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflectcoach.script.model import Pos, Prefill, QuestionType
from reflectcoach.script.registry import load_catalog

from .helpers import find, load, script
from .test_registry import EXAMPLE, make

ERRORS: list[tuple[str, str, int, int, str]] = [
    (
        "unknown source, with the closest one",
        script("q:\n  ask: Who?\n  prefill: mentorsip"),
        8,
        14,
        "unknown prefill source 'mentorsip' (did you mean 'mentorship'?); use mentorship, "
        "recall.SCRIPT_ID.STEP_ID, anywhere.SCRIPT_ID.STEP_ID, or for a date in_months.STEP "
        "or halfway.STEP",
    ),
    (
        "a bare step id says how to name an earlier answer",
        script("q:\n  ask: Who?\n  prefill: name"),
        8,
        14,
        "unknown prefill source 'name' (an answer from before is recall.SCRIPT_ID.name",
    ),
    (
        "unknown scope",
        script("q:\n  ask: Who?\n  prefill: recal.demo.q"),
        8,
        14,
        "unknown prefill scope 'recal' (did you mean 'recall'?)",
    ),
    (
        "unknown source in a list, at its own position",
        script("q:\n  ask: Who?\n  prefill: [mentorship, somewhere]"),
        8,
        27,
        "unknown prefill source 'somewhere'",
    ),
    (
        "not text",
        script("q:\n  ask: Who?\n  prefill: {from: demo.q}"),
        8,
        14,
        "'prefill' must be mentorship, recall.SCRIPT_ID.STEP_ID, anywhere.SCRIPT_ID.STEP_ID, "
        "or for a date in_months.STEP or halfway.STEP, or a list of them, not a mapping",
    ),
    (
        "empty list",
        script("q:\n  ask: Who?\n  prefill: []"),
        8,
        14,
        "'prefill' is an empty list",
    ),
    (
        "on a say step",
        script("q:\n  say: Hi\n  prefill: mentorship"),
        8,
        5,
        "'prefill' is only for questions (steps with 'ask')",
    ),
    (
        "the mentorship's name on a choice question",
        script(
            "q:\n  ask: Role?\n  type: choice\n  options: [mentor, mentee]\n  prefill: mentorship"
        ),
        10,
        14,
        "'prefill: mentorship' gives a name, which does not fit this choice question",
    ),
    (
        "a step of this script that does not exist",
        script("name:\n  ask: Name?\n  prefill: anywhere.demo.nmae"),
        8,
        14,
        "script 'demo' has no step 'nmae' (did you mean 'name'?)",
    ),
    (
        "a say step of this script",
        script("hi:\n  say: Hello\nname:\n  ask: Name?\n  prefill: recall.demo.hi"),
        10,
        14,
        "step 'hi' is a say step; it has no answer",
    ),
    (
        "a step of another type",
        script(
            "role:\n  ask: Role?\n  type: choice\n  options: [a, b]\n"
            "name:\n  ask: Name?\n  prefill: recall.demo.role"
        ),
        12,
        14,
        "step 'role' of script 'demo' is a choice question; its answers do not fit this text "
        "question",
    ),
    (
        "a date counted from months, on a text question",
        script("m:\n  ask: Months?\n  type: number\nq:\n  ask: When?\n  prefill: halfway.m"),
        11,
        14,
        "'prefill: halfway.m' gives a date, which does not fit this text question",
    ),
    (
        "a date counted from a step that is not a number",
        script("m:\n  ask: Months?\nq:\n  ask: When?\n  type: date\n  prefill: in_months.m"),
        11,
        14,
        "'in_months.m' counts months from a number question; 'm' is a text question",
    ),
    (
        "a date counted from a step that does not exist",
        script(
            "months:\n  ask: Months?\n  type: number\n"
            "q:\n  ask: When?\n  type: date\n  prefill: in_months.month"
        ),
        12,
        14,
        "no step named 'month' (did you mean 'months'?)",
    ),
    (
        "a date counted from a say step",
        script("m:\n  say: Hi\nq:\n  ask: When?\n  type: date\n  prefill: halfway.m"),
        11,
        14,
        "step 'm' is a say step; it has no answer",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "col", "fragment"),
    [case[1:] for case in ERRORS],
    ids=[case[0] for case in ERRORS],
)
def test_error(text: str, line: int, col: int, fragment: str) -> None:
    result = load(text)
    find(result, line, col, fragment, "error")
    assert result.script is None


def test_a_source_named_twice_is_a_warning() -> None:
    result = load(script("q:\n  ask: Who?\n  prefill: [mentorship, mentorship]"))
    find(result, 8, 27, "'mentorship' is already in this prefill", "warning")
    assert result.script is not None
    assert result.script.steps["q"].prefill == (Prefill("mentorship", Pos(8, 15)),)


def test_sources_load_in_order() -> None:
    result = load(
        script(
            "name:\n  ask: Name?\n  type: long_text\n"
            "  prefill: [recall.demo.name, anywhere.first_meeting.name, mentorship]"
        )
    )
    assert result.script is not None, [str(d) for d in result.diagnostics]
    sources = result.script.steps["name"].prefill
    assert [s.source for s in sources] == [
        "recall.demo.name",
        "anywhere.first_meeting.name",
        "mentorship",
    ]
    # Another script's step is checked by the registry, like a recall.
    [ref] = result.script.recalls
    assert (ref.script, ref.step, ref.fills) == ("first_meeting", "name", QuestionType.LONG_TEXT)


def test_prefills_from_other_scripts_are_checked_against_the_catalog(tmp_path: Path) -> None:
    (tmp_path / "goal.yaml").write_text(EXAMPLE.read_text())
    filler = make(
        tmp_path,
        "z.yaml",
        "checkin",
        "  q:\n    ask: x\n    prefill: [anywhere.goal_setting.blockers, recall.nothing.here]\n"
        "  r:\n    ask: y\n    prefill: recall.goal_setting.nme\n",
    )
    make(tmp_path, "y.yaml", "fine", "  q:\n    ask: x\n    prefill: recall.goal_setting.goal\n")
    catalog = load_catalog([tmp_path])
    assert sorted(catalog.scripts) == ["fine", "goal_setting"]
    assert [str(d) for d in catalog.diagnostics] == [
        f"{filler}:8:15: error: step 'blockers' of script 'goal_setting' is a multi question; "
        "its answers do not fit this text question",
        f"{filler}:8:47: warning: no script 'nothing' is loaded, so this prefill is empty",
        f"{filler}:11:14: error: script 'goal_setting' has no step 'nme' (did you mean 'name'?)",
    ]


def test_a_date_counted_from_a_number_of_months_loads() -> None:
    result = load(
        script(
            "months:\n  ask: Months?\n  type: number\n"
            "q:\n  ask: When?\n  type: date\n  prefill: [halfway.months, in_months.months]"
        )
    )
    assert result.script is not None, [str(d) for d in result.diagnostics]
    sources = result.script.steps["q"].prefill
    assert [(p.kind, p.step, p.source) for p in sources] == [
        ("halfway", "months", "halfway.months"),
        ("in_months", "months", "in_months.months"),
    ]
