"""`re_rates: SCRIPT.STEP` and `closes_mentorship`: their form with line:col in the loader,
and the target's type and scale checked wherever its script is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflectcoach.script.model import ReRate
from reflectcoach.script.registry import builtin_dir, load_catalog, validate_paths

from .helpers import HEAD, find, load, script

BASE = "base:\n  ask: Where now?\n  type: scale\n  min: 1\n  max: 10\n"


def test_re_rates_within_the_script_is_read() -> None:
    again = "again:\n  ask: And now?\n  type: scale\n  min: 1\n  max: 10\n"
    text = script(BASE + again + "  re_rates: demo.base\n")
    result = load(text)
    assert result.ok, result.diagnostics
    assert result.script is not None
    ref = result.script.steps["again"].re_rates
    assert ref is not None and ref == ReRate("demo", "base", ref.pos)
    assert result.script.closes_mentorship is False


@pytest.mark.parametrize(
    ("extra", "line", "col", "fragment"),
    [
        ("  re_rates: base\n", 16, 15, "'re_rates' must be SCRIPT_ID.STEP_ID"),
        ("  re_rates: demo.bsae\n", 16, 15, "script 'demo' has no step 'bsae' (did you mean"),
        ("  re_rates: demo.again\n", 16, 15, "names this step itself"),
    ],
)
def test_re_rates_form_and_target(extra: str, line: int, col: int, fragment: str) -> None:
    text = script(BASE + "again:\n  ask: And now?\n  type: scale\n  min: 1\n  max: 10\n" + extra)
    find(load(text), line, col, fragment, "error")


def test_re_rates_needs_the_same_scale_and_a_scale() -> None:
    again = "again:\n  ask: And now?\n  type: scale\n  re_rates: demo.base\n"
    words = "words:\n  ask: Say?\n  type: scale\n  re_rates: demo.note\nnote:\n  ask: x\n"
    text = script(BASE + again + words)
    result = load(text)
    find(result, 14, 15, "same scale: demo.base is 1..10, this step is 1..5", "error")
    find(result, 18, 15, "must name a scale step; demo.note is a text question", "error")


def test_re_rates_only_on_scale_questions() -> None:
    text = script("q:\n  ask: x\n  re_rates: demo.q\n")
    find(load(text), 8, 5, "'re_rates' does not apply to a text question", "error")


def test_closes_mentorship_is_a_flag() -> None:
    text = HEAD.replace("steps:", "closes_mentorship: yes please\nsteps:") + "  q:\n    ask: x\n"
    find(load(text), 5, 20, "'closes_mentorship' must be true or false", "error")
    good = HEAD.replace("steps:", "closes_mentorship: true\nsteps:") + "  q:\n    ask: x\n"
    result = load(good)
    assert result.script is not None and result.script.closes_mentorship


def _other(tmp_path: Path, target: str) -> Path:
    path = tmp_path / "later.yaml"
    path.write_text(
        "id: later\ntitle: T\nsummary: S\naudience: anyone\nsteps:\n"
        f"  again:\n    ask: Now?\n    type: scale\n    min: 1\n    max: 10\n"
        f"    re_rates: {target}\n"
    )
    return path


def test_registry_checks_another_scripts_step(tmp_path: Path) -> None:
    assert validate_paths([_other(tmp_path, "goal_setting.baseline")]) == []
    [problem] = validate_paths([_other(tmp_path, "goal_setting.goal")])
    assert (problem.line, problem.col, problem.severity) == (11, 15, "error")
    assert "must name a scale step; goal_setting.goal is a" in problem.message
    # Not loaded: a warning, an error with --strict.
    [warning] = validate_paths([_other(tmp_path, "nowhere.step")])
    assert warning.severity == "warning" and "no script 'nowhere' is loaded" in warning.message
    [strict] = validate_paths([_other(tmp_path, "nowhere.step")], strict=True)
    assert strict.severity == "error"


def test_builtin_closing_re_rates_goal_setting_baseline_and_closes() -> None:
    catalog = load_catalog([builtin_dir()])
    closing = catalog.get("closing")
    assert closing is not None and closing.closes_mentorship
    ref = closing.steps["rerate"].re_rates
    assert ref is not None and (ref.script, ref.step) == ("goal_setting", "baseline")
    baseline = catalog.scripts["goal_setting"].steps["baseline"]
    assert (baseline.min, baseline.max) == (
        closing.steps["rerate"].min,
        closing.steps["rerate"].max,
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_re_rates_text_gives_a_result_not_a_crash(target: str) -> None:
    """Whatever is written after `re_rates:`, the loader answers with a script or with
    diagnostics naming a line and column, never an internal error."""
    import json

    again = "again:\n  ask: And now?\n  type: scale\n  min: 1\n  max: 10\n"
    text = script(BASE + again + f"  re_rates: {json.dumps(target)}\n")
    result = load(text)
    assert not any("internal error" in d.message for d in result.diagnostics)
    ref = None if result.script is None else result.script.steps["again"].re_rates
    if ref is not None:
        assert ref.source == target
    else:
        assert result.errors and all(d.line >= 1 and d.col >= 1 for d in result.errors)
