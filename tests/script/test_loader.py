"""The loader's result: the model it builds, files, and inputs meant to hurt it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflectcoach.script.loader import Diagnostic, LoadResult, load_file, load_text
from reflectcoach.script.model import Audience, Pos, QuestionType, RecallRef

from .bigscript import make_big_script
from .helpers import find, load, script

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "example.yaml"
DOC = Path(__file__).parents[2] / "docs" / "script-format.md"


def test_the_documented_example_is_the_fixture_verbatim() -> None:
    assert EXAMPLE.read_text(encoding="utf-8") in DOC.read_text(encoding="utf-8")


@pytest.mark.usefixtures("yaml_parser")
def test_the_example_loads_clean() -> None:
    result = load_file(EXAMPLE)
    assert result.diagnostics == []
    script = result.script
    assert script is not None
    assert (script.id, script.title, script.audience, script.version) == (
        "goal_setting",
        "Set a goal worth chasing",
        Audience.MENTEE,
        1,
    )
    assert script.source == str(EXAMPLE)
    assert script.sha256 == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert script.id_pos == Pos(1, 5)
    assert list(script.steps) == [
        "name",
        "intro",
        "goal",
        "blockers",
        "confidence",
        "make_room",
        "wrap_up",
    ]
    assert script.first_step == "name"
    assert [s.id for s in script.questions] == [
        "name",
        "goal",
        "blockers",
        "confidence",
        "make_room",
    ]


def test_the_example_model() -> None:
    script = load_file(EXAMPLE).script
    assert script is not None
    steps = script.steps
    name, intro, blockers = steps["name"], steps["intro"], steps["blockers"]
    assert name.type is QuestionType.TEXT and name.pos == Pos(10, 3)
    assert intro.type is None and intro.ask is None and intro.say is not None
    assert intro.say.render({"name": "Ana"}.get) == "Hi Ana. Let's turn one hope into one goal.\n"
    assert steps["goal"].hint is not None and steps["goal"].hint.source == "One or two sentences."
    assert blockers.optional and blockers.type is QuestionType.MULTI
    assert [(o.value, o.label.render(str)) for o in blockers.options] == [
        ("time", "time"),
        ("fear", "fear"),
        ("unclear", "It isn't clear yet"),
    ]
    confidence = steps["confidence"]
    assert (confidence.min, confidence.max) == (1, 5)
    assert dict(confidence.labels) == {1: "not at all", 5: "completely"}
    first, other = confidence.branches
    assert first.go == "make_room" and first.condition is not None
    assert other.go == "wrap_up" and other.condition is None
    answers = {"confidence": 2, "blockers": ["time", "fear"]}
    assert first.condition.evaluate(answers.get)
    assert not first.condition.evaluate({"confidence": 2}.get)  # blockers skipped
    assert script.record is not None
    assert script.record.render({"name": "Ana", "goal": "Run"}.get) == "# Goal card for Ana\nRun\n"


def test_implicit_next_and_end() -> None:
    script = load_file(EXAMPLE).script
    assert script is not None
    steps = script.steps
    # Without `next`, one unconditional branch to the following step.
    assert [(b.go, b.condition) for b in steps["name"].branches] == [("intro", None)]
    assert [(b.go, b.condition) for b in steps["make_room"].branches] == [("wrap_up", None)]
    assert not steps["name"].end
    assert steps["wrap_up"].end and steps["wrap_up"].branches == ()


def test_the_last_step_ends_unless_it_has_next() -> None:
    ended = load(script("q:\n  ask: x\nr:\n  say: bye")).script
    assert ended is not None
    assert ended.steps["r"].end and ended.steps["r"].branches == ()
    looped = load(
        script(
            "q:\n  ask: x\n  type: yes_no\nr:\n  say: y\n  next:\n    - if: q\n      go: q\n"
            "    - go: s\ns:\n  say: bye\n  end: true"
        )
    ).script
    assert looped is not None and not looped.steps["r"].end


def test_defaults_and_types() -> None:
    result = load(
        script(
            "s:\n  ask: Rate\n  type: scale\nn:\n  ask: How many?\n  type: number\n  min: 0\n"
            "  max: 2.5\ny:\n  ask: Yes?\n  type: yes_no\n  optional: yes\n"
            "c:\n  ask: Pick\n  type: choice\n  options: [yes, no, 3]"
        )
    )
    script_ = result.script
    assert script_ is not None, result.diagnostics
    assert script_.version == 1 and script_.record is None
    steps = script_.steps
    assert (steps["s"].min, steps["s"].max, dict(steps["s"].labels)) == (1, 5, {})
    assert (steps["n"].min, steps["n"].max) == (0, 2.5)
    assert steps["y"].optional is True
    # Option values are the text as written, not YAML's booleans and numbers.
    assert [o.value for o in steps["c"].options] == ["yes", "no", "3"]


def test_plain_scalars_that_yaml_would_convert_stay_text() -> None:
    text = script("q:\n  ask: yes\n  hint: 3.0").replace("title: Demo", "title: 2024")
    result = load(text)
    assert result.script is not None, result.diagnostics
    assert result.script.title == "2024"
    assert result.script.steps["q"].text.source == "yes"


def test_recalls_are_collected_with_positions() -> None:
    result = load(
        script(
            "q:\n  ask: 'Last time: {recall.other.goal}'\n  next:\n"
            '    - if: recall.demo.q == "x"\n      go: r\n    - go: r\nr:\n  say: bye'
        )
    )
    assert result.script is not None, result.diagnostics
    assert result.script.recalls == (
        RecallRef("other", "goal", Pos(7, 23)),  # the name, inside the braces
        RecallRef("demo", "q", Pos(9, 13)),
    )


def test_diagnostic_str_and_result_helpers() -> None:
    d = Diagnostic("a.yaml", 3, 7, "warning", "step 'x' is never reached")
    assert str(d) == "a.yaml:3:7: warning: step 'x' is never reached"
    result = load(script("q:\n  ask: x\n  zz: 1\n  next: r\nspare:\n  ask: y\nr:\n  say: z"))
    assert [d.severity for d in result.errors] == ["error"]
    assert [d.severity for d in result.warnings] == ["warning"]
    assert result.script is None and not result.ok
    assert result.script_id == "demo"


def test_warnings_alone_keep_the_script() -> None:
    result = load(script("q:\n  ask: x\n  next: r\nspare:\n  ask: y\nr:\n  say: z"))
    assert result.ok and result.warnings and not result.errors


def test_load_text_accepts_bytes_crlf_and_a_bom() -> None:
    text = script("q:\n  ask: 'Hi {q} }'")
    result = load_text(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), "crlf.yaml")
    find(result, 7, 18, "single '}'", "error")


def test_non_utf8_bytes_are_located() -> None:
    result = load(b"id: demo\ntitle: caf\xc3\xa9 \xff\n")
    find(result, 2, 13, "the file is not UTF-8: byte 0xff cannot be decoded", "error")


def test_a_lone_surrogate_in_text_is_a_diagnostic() -> None:
    result = load("id: demo\ntitle: \ud800\n")
    find(result, 2, 8, "the file is not UTF-8", "error")


def test_escapes_in_messages_are_made_harmless() -> None:
    result = load(script('q:\n  ask: x\n  "\\e[2J": 1'))
    assert "\x1b" not in str(result.errors[0])
    assert "\\x1b[2J" in result.errors[0].message


def test_load_file_errors(tmp_path: Path) -> None:
    missing = load_file(tmp_path / "nope.yaml")
    find(missing, 1, 1, "cannot read the file", "error")
    assert missing.diagnostics[0].path == str(tmp_path / "nope.yaml")
    find(load_file(tmp_path), 1, 1, "cannot read the file", "error")


def test_a_generated_big_script_validates_clean() -> None:
    for seed in range(3):
        result = load(make_big_script(200, seed))
        assert result.diagnostics == [], result.diagnostics[:3]
        assert result.script is not None and len(result.script.steps) == 200


# Inputs meant to hurt: each is refused with a clear message and nothing else happens.


@pytest.mark.usefixtures("yaml_parser")
def test_deep_nesting_is_refused_before_composing(yaml_parser: str) -> None:
    flow = load("[" * 60_000)
    assert flow.script is None and flow.script_id is None
    [problem] = flow.diagnostics
    assert (problem.line, problem.severity) == (1, "error")
    ours = "nesting deeper than 20 levels; scripts never need that"
    if yaml_parser == "pure-python" or problem.col == 21:
        assert (problem.col, problem.message) == (21, ours)
    else:
        # libyaml 0.2.6 (PyYAML 6.0.4) stops flow nesting in its scanner at 1,000 levels,
        # before the first event reaches our check; older libyaml lets ours speak first.
        assert (problem.col, problem.message) == (
            1001,
            "invalid YAML: exceeded maximum nesting depth (while increasing flow level)",
        )
    block = load("- " * 30_000 + "x")
    assert block.script is None
    [problem] = block.diagnostics
    assert (problem.line, problem.col, problem.message) == (1, 41, ours)


def test_deep_nesting_through_the_cli_is_one_line_and_no_traceback(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 60_000, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "validate", str(deep)],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    line, summary = output.splitlines()
    assert line.startswith(f"{deep}:1:") and ": error: " in line and "nesting" in line
    assert summary == "1 error(s), 0 warning(s)"


@pytest.mark.usefixtures("yaml_parser")
def test_billion_laughs_is_refused() -> None:
    result = load_file(FIXTURES / "billion_laughs.yaml")
    find(result, 2, 8, "aliases are not allowed (found '*a')", "error")
    find(result, 1, 4, "anchors are not allowed (found '&a')", "error")
    assert len(result.diagnostics) == 3  # &a, &b, then the first alias stops the reader


@pytest.mark.usefixtures("yaml_parser")
def test_files_over_one_mib_are_refused(tmp_path: Path) -> None:
    big = "# padding\n" * (2 * 1024 * 1024 // 10)
    result = load(big)
    find(result, 1, 1, "the file is 2.0 MiB; scripts are limited to 1 MiB", "error")
    path = tmp_path / "big.yaml"
    path.write_text(big)
    find(load_file(path), 1, 1, "the file is 2.0 MiB; scripts are limited to 1 MiB", "error")


@pytest.mark.usefixtures("yaml_parser")
def test_python_tags_are_never_constructed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the fixture would create ./pwned if anything ran it
    result = load_file(FIXTURES / "python_tag.yaml")
    find(result, 1, 5, "tags are not allowed (found '!!python/object/apply:os.system')", "error")
    find(
        result, 2, 8, "tags are not allowed (found '!!python/object/new:subprocess.Popen')", "error"
    )
    assert not (tmp_path / "pwned").exists()


# Property tests: whatever comes in, the result is a LoadResult, never an exception.

YAMLISH = st.lists(
    st.sampled_from(
        [
            *"abcdeiksqy_ :-[]{},'\"#&*!|>?%@`\n\t\\.0123456789",
            *["say", "ask", "next", "go", "if", "type", "steps", "id", "  ", "\n  ", "- "],
        ]
    ),
    max_size=80,
).map("".join)


def _check(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    assert all("internal error" not in d.message for d in result.diagnostics), result.diagnostics
    assert (result.script is None) == bool(result.errors)
    for d in result.diagnostics:
        assert d.line >= 1 and d.col >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    _check(load(text))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check(load(data))


@settings(max_examples=500, deadline=None)
@given(YAMLISH)
def test_random_yamlish_text_never_raises(text: str) -> None:
    _check(load(text))


STEP_LINES = st.lists(
    st.sampled_from(
        [
            "  q:\n    ask: Hi {q}?\n",
            "  r:\n    say: Bye {r}\n",
            "  s:\n    ask: x\n    type: scale\n    labels: {1: a, 9: b}\n",
            "  t:\n    ask: x\n    type: multi\n    options: [a, a, {value: b}]\n",
            "  q:\n    ask: dup\n",
            "    next: r\n",
            "    next:\n      - if: q == 1 and (\n        go: t\n",
            "    next:\n      - if: not q\n        go: nowhere\n      - go: q\n",
            "    end: true\n",
            "    optional: maybe\n",
            "    type: choice\n",
            "  - stray\n",
            "    min: x\n",
        ]
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(STEP_LINES)
def test_random_scripts_never_raise(lines: list[str]) -> None:
    _check(load("id: demo\ntitle: T\nsummary: S\naudience: anyone\nsteps:\n" + "".join(lines)))


# Bounded work: no file under the size limit can make loading or validating slow.


def test_base_60_numbers_are_text_and_cost_nothing() -> None:
    from reflectcoach.script.yamlsafe import compose

    root, problems = compose(("x: " + ":".join(["1"] * 200_000)).encode())
    assert problems == [] and root is not None
    ((_, value),) = root.pairs  # type: ignore[attr-defined]
    assert value.value == value.text and value.text.startswith("1:1:1")
    root, _ = compose(b"a: 1:30\nb: 190:20:30.5\n")
    assert [v.value for _, v in root.pairs] == ["1:30", "190:20:30.5"]  # type: ignore[union-attr]


def test_a_huge_number_stays_text_for_the_validator_to_explain() -> None:
    from reflectcoach.script.yamlsafe import MAX_NUMBER_CHARS, compose

    digits = "9" * (MAX_NUMBER_CHARS + 1)
    root, _ = compose(f"a: {digits}\nb: {digits[:-1]}\n".encode())
    assert [v.value for _, v in root.pairs] == [digits, int(digits[:-1])]  # type: ignore[union-attr]


@given(
    st.one_of(
        st.from_regex(r"\A[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*)\Z"),
        st.from_regex(r"\A[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?\Z"),
        st.sampled_from(["~", "null", "NULL", "yes", "No", "ON", "off", "TRUE", ".inf", ".NaN"]),
        st.text(st.characters(codec="utf-8", exclude_characters=":#'\"\n\r"), max_size=12),
    )
)
@settings(max_examples=300, deadline=None)
def test_plain_scalars_resolve_as_safe_load_reads_them(text: str) -> None:
    import math

    import yaml

    from reflectcoach.script.yamlsafe import MAX_NUMBER_CHARS, _resolve

    try:
        expected = yaml.safe_load(f"x: {text}\n")
    except (yaml.YAMLError, ValueError):
        return  # not a plain scalar PyYAML reads on its own (`0b_` even raises ValueError)
    if not isinstance(expected, dict) or set(expected) != {"x"} or len(text) > MAX_NUMBER_CHARS:
        return
    if text.strip() != text.strip(" \t"):
        # Python's strip() also drops what YAML keeps as text (a no-break space, "\xa0"):
        # the scanner hands _resolve the scalar as YAML trims it, which this cannot mimic.
        return
    ours = _resolve(text.strip())
    wanted = expected["x"]
    if isinstance(wanted, float) and math.isnan(wanted):
        assert isinstance(ours, float) and math.isnan(ours)
    else:
        assert ours == wanted and type(ours) is type(wanted)


def test_thousands_of_dangling_targets_get_a_few_suggestions_not_all() -> None:
    from reflectcoach.script.loader import MAX_STEP_SUGGESTIONS

    steps = "".join(f"  s{i}:\n    ask: q{i}\n    next: s{i}x\n" for i in range(3000))
    result = load("id: d\ntitle: t\nsummary: s\naudience: anyone\nsteps:\n" + steps)
    dangling = [d for d in result.errors if "no step named" in d.message]
    assert len(dangling) == 3000
    suggested = [d for d in dangling if "did you mean" in d.message]
    assert len(suggested) == MAX_STEP_SUGGESTIONS
    assert suggested[0].message == "no step named 's0x' (did you mean 's0'?)"
