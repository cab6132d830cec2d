"""Test plans (issue 25, part 1): a plan runs a script through the session and the store the
app uses, from a state it names, and a failure says plan.yaml:line:col, expected and got."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflectcoach.cli import main
from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.script.testplan import load_plans
from reflectcoach.services import testplan

SCRIPT = """\
id: tiny
title: Tiny
summary: A tiny script for plans
audience: anyone
record:
  - "Plan for {name}."
  - if: mood == "low"
    text: "Low: {why}"
  - private: true
    text: "## Just for me\\n- **Secret:** {secret}"
steps:
  name:
    ask: Your name?
  mood:
    ask: How is it, {name}?
    type: choice
    options: [low, fine]
    next:
      - if: mood == "low"
        go: why
      - go: secret
  why:
    ask: Why?
  secret:
    ask: A secret?
    optional: true
  bye:
    say: Bye {name}.
"""


@pytest.fixture(scope="module")
def scripts() -> dict:
    return load_catalog([builtin_dir()]).scripts


def write(tmp_path: Path, plan: str) -> Path:
    (tmp_path / "tiny.yaml").write_text(SCRIPT, encoding="utf-8")
    path = tmp_path / "plan.yaml"
    path.write_text(textwrap.dedent(plan), encoding="utf-8")
    return path


def run(path: Path, scripts: dict) -> list[testplan.Result]:
    results, problems = testplan.run_files([path], scripts)
    assert not problems, problems
    return results


def test_a_plan_asserts_path_shows_record_and_share(tmp_path: Path, scripts: dict) -> None:
    path = write(
        tmp_path,
        """\
        script: tiny.yaml
        answers: {name: Ana, mood: low, why: tired, secret: I want out}
        expect:
          path: [name, mood, why, secret, bye]
          shows: {mood: [How is it, Ana, fine]}
          record: {contains: ["Plan for Ana.", "Low: tired", "I want out"]}
          share: {contains: ["Low: tired"], not_contains: [I want out, Just for me]}
        """,
    )
    [result] = run(path, scripts)
    assert result.ok, [str(f) for f in result.failures]


def test_a_failure_names_the_plan_line_and_column_with_expected_and_got(
    tmp_path: Path, scripts: dict
) -> None:
    path = write(
        tmp_path,
        """\
        script: tiny.yaml
        answers: {name: Ana, mood: fine, secret: ~}
        expect:
          path: [name, mood, why, secret, bye]
          record: {contains: ["Low:"]}
          share: {not_contains: [Plan for Ana]}
        """,
    )
    [result] = run(path, scripts)
    messages = [str(f) for f in result.failures]
    assert messages == [
        f"{path}:4:9: expected path (from step 3) why > secret > bye; got secret > bye",
        f"{path}:5:23: expected the record to contain 'Low:'; got 'Plan for Ana.'",
        f"{path}:6:26: expected the share copy to not contain 'Plan for Ana'; "
        "got 'Plan for Ana....'",
    ]


def test_a_plan_starts_from_earlier_conversations_commitments_and_a_date(
    tmp_path: Path, scripts: dict
) -> None:
    """check_in after a meeting: the earlier check_in's agenda is recalled (the "covered"
    branch), the open commitment is followed up as "Partly", today is fixed."""
    path = write(
        tmp_path,
        """\
        script: check_in
        mentorship: Sam
        today: 2026-12-04
        before:
          - script: check_in
            answers: {role: mentee, partner: Sam, moment: before, since: ~,
                      agenda: Plan the launch, ask_for: a review, feeling: 4}
        commitments:
          - {text: Call Ana, due: 2026-12-01}
        answers:
          - {role: mentee, partner: Sam, moment: after, covered: yes, helped: the example}
          - {after_follow_up: [partly, the rest, 2026-12-18]}
          - {decided: ~, next_step: Draft it, next_date: friday, sure: 8, next_meeting: ~}
        expect:
          path: [welcome, role, partner, moment, covered, after_follow_up, raised, helped,
                 decided, next_step, next_date, sure, next_meeting, done]
          record: [Plan the launch, "By: Friday 11 December 2026"]
          mentorship: [partly done · Call Ana · due Friday 18 December 2026]
        """,
    )
    [result] = run(path, scripts)
    assert result.ok, [str(f) for f in result.failures]


def test_repeated_answers_are_given_in_order_and_a_refused_one_fails(
    tmp_path: Path, scripts: dict
) -> None:
    path = write(
        tmp_path,
        """\
        script: check_in
        mentorship: Sam
        commitments: [{text: Call Ana}, {text: Book a room}]
        answers:
          - {role: mentee, partner: Sam, moment: before}
          - last_time: partly
          - last_time: half of it
          - last_time: perhaps
        """,
    )
    [result] = run(path, scripts)
    [failure] = result.failures
    assert str(failure).startswith(f"{path}:8:16: the answer to 'last_time' was refused")


def test_mistakes_in_a_plan_file_are_reported_with_positions(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("script: tiny\nanswer: {a: b}\nexpect: {pth: [a]}\n", encoding="utf-8")
    plans, problems = load_plans(path)
    assert plans == []
    assert [str(p) for p in problems] == [
        f"{path}:2:1: error: unknown key 'answer' (did you mean 'answers'?)",
        f"{path}:3:10: error: unknown key 'pth' (did you mean 'path'?)",
    ]


def test_reflectcoach_test_exits_1_and_prints_each_failure(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        script: tiny.yaml
        answers: {name: Ana, mood: fine, secret: ~}
        expect:
          path: [name]
        """,
    )
    result = CliRunner().invoke(main, ["test", str(path)])
    assert result.exit_code == 1
    assert f"{path}:4:9: expected path" in result.output
    assert "0 of 1 plan(s) passed" in result.output


def test_coverage_lists_each_step_and_branch_no_plan_took(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        script: tiny.yaml
        answers: {name: Ana, mood: fine, secret: ~}
        """,
    )
    runner = CliRunner()
    result = runner.invoke(main, ["test", str(path), "--coverage"])
    assert result.exit_code == 0, result.output
    script = tmp_path / "tiny.yaml"
    assert "tiny: 4 of 6 branch edges (67%)" in result.output
    assert f"  {script}:22:3: step 'why' is never reached" in result.output
    assert (
        f"  {script}:20:13: branch 'mood' -> 'why' if mood == \"low\" is never taken"
        in result.output
    )
    # The unreached step's own way out is said once, as the step.
    assert "'why' -> 'secret'" not in result.output
    failing = runner.invoke(main, ["test", str(path), "--fail-under", "90"])
    assert failing.exit_code == 1
    assert runner.invoke(main, ["test", str(path), "--fail-under", "60"]).exit_code == 0


def test_each_plan_starts_from_its_own_database(tmp_path: Path, scripts: dict) -> None:
    """A plan sees only the state it names: the first plan's commitment is not the second's."""
    path = write(
        tmp_path,
        """\
        script: check_in
        mentorship: Sam
        answers: {role: mentee, partner: Sam, moment: after, helped: x, next_step: Call Ana,
                  next_date: 2026-12-11, sure: 8}
        plans:
          - name: makes a commitment
            expect: {mentorship: [open · Call Ana]}
          - name: starts again from nothing
            answers: {moment: before, agenda: a, ask_for: b, feeling: 4}
            expect:
              path: [welcome, role, partner, moment, last_time, since, agenda, ask_for,
                     feeling, ready]
              mentorship: {not_contains: [Call Ana]}
        """,
    )
    results = run(path, scripts)
    assert [[str(f) for f in r.failures] for r in results] == [[], []]
