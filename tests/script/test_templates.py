"""Interpolation templates: holes, literal braces, errors with offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflectcoach.script.templates import Template, TemplateError, literal, parse

ANSWERS = {"name": "Ana", "goal": "Run 5k", "recall.goal_setting.goal": "Swim"}


def render(text: str) -> str:
    return parse(text).render(lambda name: ANSWERS.get(name, ""))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("plain text", "plain text"),
        ("Hi {name}.", "Hi Ana."),
        ("{name}{goal}", "AnaRun 5k"),
        ("{missing} here", " here"),
        ("Last time: {recall.goal_setting.goal}", "Last time: Swim"),
        ("{{literal}}", "{literal}"),
        ("{{{name}}}", "{Ana}"),
        ("a {{ b }} c", "a { b } c"),
        ("}}{{", "}{"),
        ("multi\nline {name}\n", "multi\nline Ana\n"),
    ],
)
def test_render(text: str, expected: str) -> None:
    assert render(text) == expected


def test_none_from_lookup_renders_empty() -> None:
    assert parse("[{name}]").render(lambda name: None) == "[]"  # type: ignore[arg-type,return-value]


def test_references_and_parts() -> None:
    template = parse("Hi {name}, {goal} or {name} and {recall.a.b}")
    assert isinstance(template, Template)
    assert template.source == "Hi {name}, {goal} or {name} and {recall.a.b}"
    assert template.references() == frozenset({"name", "goal", "recall.a.b"})
    assert template.references_at() == (("name", 4), ("goal", 12), ("name", 22), ("recall.a.b", 33))
    assert not template.is_literal and parse("x {{y}}").is_literal


def test_literal_renders_exactly() -> None:
    template = literal("a {b} }")
    assert template.render(lambda name: "X") == "a {b} }"
    assert template.references() == frozenset()
    assert parse(template.source).render(lambda name: "X") == "a {b} }"


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ("a } b", 2, "single '}'"),
        ("{name}}", 6, "single '}'"),
        ("a { b", 2, "'{' is never closed"),
        ("a {name", 2, "'{' is never closed"),
        ("{a{b}", 0, "'{' is never closed"),
        ("{na\nme}", 0, "'{' is never closed"),
        ("x {}", 2, "empty '{}'"),
        ("x {Name}", 3, "'Name' is not a step id"),
        ("x { name }", 3, "remove the spaces around 'name'"),
        ("x {recall.a}", 3, "not a recall reference"),
        ("x {a.b.c}", 3, "not a recall reference"),
        ("x {recall}", 3, "not a recall reference"),
        ("x {1st}", 3, "not a step id"),
    ],
)
def test_errors_have_offsets(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse(text)
    assert fragment in caught.value.message
    assert "'{{' and '}}'" in caught.value.message
    assert caught.value.offset == offset


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_random_text_parses_or_raises_template_error(text: str) -> None:
    try:
        template = parse(text)
    except TemplateError as err:
        assert 0 <= err.offset <= len(text)
        return
    rendered = template.render(lambda name: "")
    assert isinstance(rendered, str)


BRACES = st.sampled_from(["{", "}", "{{", "}}", "name", "recall.a.b", " ", "x"])


@settings(max_examples=500, deadline=None)
@given(st.lists(BRACES).map("".join))
def test_random_brace_soup_parses_or_raises_template_error(text: str) -> None:
    try:
        template = parse(text)
    except TemplateError as err:
        assert 0 <= err.offset <= len(text)
        return
    # Without holes filled, rendering gives the text with doubled braces made single.
    if not template.holes:
        assert template.render(str) == text.replace("{{", "{").replace("}}", "}")


def test_render_filled_leaves_out_lines_whose_answers_are_all_empty() -> None:
    from reflectcoach.script.templates import parse

    template = parse("# Card\n**Goal:** {goal}\n**Why:** {why}\n{a}{b}\nThe end.")
    values = {"goal": "Ship it", "why": "", "a": "", "b": "B"}
    assert template.render_filled(values.__getitem__) == "# Card\n**Goal:** Ship it\nB\nThe end."
    values = {"goal": "", "why": " ", "a": "", "b": ""}
    assert template.render_filled(values.__getitem__) == "# Card\nThe end."
