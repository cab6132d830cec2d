"""Answers in Markdown render as the person wrote them, checked with a real CommonMark parser.

markdown-it-py (CommonMark, plus GFM tables and strikethrough: escaping `|` and `~` is only
needed there) reads what we write; the text a reader sees must be the text typed, and no element
may come from an answer: no code, table, link, emphasis, heading, HTML, rule, list or quote.

"The text comes back verbatim" means, precisely: after `clean()` (control characters made
visible, as everywhere), the answer's lines and the rendered lines are equal under `normal()`:
each line stripped at both ends and runs of spaces and tabs inside it counted as one space (a
browser shows them so, and Markdown strips a paragraph line's indentation), and runs of blank
lines counted as one (a paragraph break). In a heading or a table cell, where Markdown has no
line breaks, the lines come back joined by spaces. Everything else, every character and every
line break, must come back as typed.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reflectcoach.cli import main
from reflectcoach.core.sharing import is_marker
from reflectcoach.core.text import NO_AUTOLINK, clean, markdown_escape
from reflectcoach.engine.conversation import Conversation
from reflectcoach.engine.records import demote_headings, plain_text
from reflectcoach.script.loader import load_file, load_text
from reflectcoach.script.model import QuestionType, Script
from reflectcoach.script.registry import builtin_dir
from reflectcoach.services import session
from reflectcoach.store import Store
from reflectcoach.store.export import write_markdown

_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)*_]*$")

PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")

# Token types no answer may bring: counted with the answer and with a plain word in its place,
# the counts must be equal.
STRUCTURE = (
    "code_block",
    "fence",
    "code_inline",
    "table_open",
    "link_open",
    "image",
    "em_open",
    "strong_open",
    "s_open",
    "heading_open",
    "html_inline",
    "html_block",
    "hr",
    "blockquote_open",
    "bullet_list_open",
    "ordered_list_open",
    "list_item_open",
)
WORD = "Zqxword"  # stands in for the answer: needs no escaping anywhere

SNIPPETS = [
    "#",
    "# ",
    "## ",
    ">",
    "> ",
    "- ",
    "-",
    "+ ",
    "* ",
    "*",
    "**",
    "_",
    "__",
    "~",
    "~~",
    "1. ",
    "1) ",
    "12.",
    "|",
    " | ",
    ":--- | ---:",
    "---",
    "***",
    "___",
    "===",
    "`",
    "```",
    "~~~",
    "<b>",
    "</b>",
    "<!-- x -->",
    "<http://x.y>",
    "<a@b.c>",
    "[x](y)",
    "[x]: /url",
    "![i](j)",
    "[x]",
    "&amp;",
    "&#35;",
    "&nbsp;",
    "&",
    ";",
    "\\",
    "\\*",
    "\n",
    "\n\n",
    "\n    ",
    "    ",
    "  ",
    "\t",
    " ",
    "on-call",
    "pick.",
    "(日本語).",
    "snake_case",
    "2 * 3",
    "a.",
    "é",
    "🙂",
    "\u3000",
    "\u00a0",
    "\u2028",
    "\x07",
    "\x1b[2J",
]
answers_text = (
    st.lists(
        st.one_of(
            st.sampled_from(SNIPPETS),
            st.text(st.characters(exclude_categories=("Cs",)), max_size=4),
            st.sampled_from(list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \n")),
        ),
        max_size=14,
    )
    .map("".join)
    .filter(lambda text: bool(clean(text).strip()))
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def normal(text: str) -> str:
    """The comparison defined in the module docstring."""
    lines = [re.sub(r"[ \t]+", " ", line.strip()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def one_line(text: str) -> str:
    return " ".join(line.strip() for line in clean(text).split("\n") if line.strip())


def reader_blocks(markdown: str) -> list[tuple[str, bool]]:
    """What a reader sees, block by block: (text, whether the block is one line by nature: a
    heading or a table cell), line breaks as breaks."""
    blocks: list[tuple[str, bool]] = []
    tokens = PARSER.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type == "inline":
            opener = tokens[index - 1].type
            text = "".join(
                "\n" if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
                if not _no_autolink(child)  # shows as nothing
            )
            blocks.append((text, opener in ("heading_open", "th_open", "td_open")))
        elif token.type in ("code_block", "fence", "html_block"):
            if token.type == "html_block" and is_marker(token.content):
                continue  # a just-for-me marker: a comment, which a reader never sees
            blocks.append((token.content, False))
    return blocks


def _no_autolink(token: Token) -> bool:
    """The empty comment that keeps GitHub from linking a typed e-mail address (text.py)."""
    return token.type == "html_inline" and token.content == NO_AUTOLINK


def reader_text(markdown: str) -> str:
    return "\n\n".join(text for text, _ in reader_blocks(markdown))


def structure(markdown: str) -> Counter[str]:
    counts: Counter[str] = Counter()

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            if token.type in STRUCTURE and not _no_autolink(token):
                counts[token.type] += 1
            walk(token.children or [])

    walk(PARSER.parse(markdown))
    return counts


def assert_renders_as_typed(
    render: Callable[[str], str], answer: str, *, templated: bool = True
) -> None:
    """`render(value)` is a document with `value` in it: with the answer it must read like the
    document with a plain word there, the word replaced by the answer (joined into one line in
    headings and table cells), and have the same structure."""
    with_word = render(WORD)
    assert WORD in with_word
    written = render(answer)
    lines, joined = normal(clean(answer)), normal(one_line(answer))
    # The template's own full stop after an answer that ends a sentence is dropped: judged by
    # the answer as shown (a control character after "!" is shown as "\x1f", which ends no
    # sentence, where str.rstrip would have dropped it: hypothesis found "!\x1f").
    ends_sentence = templated and _ENDS_SENTENCE.search(clean(answer).rstrip())

    def placed(text: str, value: str) -> str:
        if ends_sentence:
            text = re.sub(re.escape(WORD) + r"([\"'\u201d\u2019)]*)\.(?!\.)", WORD + r"\1", text)
        return text.replace(WORD, value)

    expected = "\n\n".join(
        placed(text, joined if single else lines) for text, single in reader_blocks(with_word)
    )
    assert normal(reader_text(written)) == normal(expected), written
    assert structure(written) == structure(with_word), written


# -- the escaping function, in every kind of place the built-in records put an answer --------

PLACES = [
    # (before on the line, after it on the line, lines above, lines below)
    ("", "", "", ""),  # a paragraph of its own: {ways}
    ("**Goal:** ", "", "# Goal card\n\n", "\n\n**Why:** x"),
    ("- **Hopes:** ", "", "## What\n", "\n- **Next:** y"),
    ("- ", "", "## A way out\n", "\n- y"),
    ("4. **Question:** ", "", "3. x\n", "\n5. y"),
    ("Between **", "** (mentee) and **Ben**.", "", ""),
    ("**", " will:** listen", "- ", "\n- y"),
    ('the hope was: "', '".', "When it began, ", "\nGo on."),
    ("**What worked.** ", "", "Dear Ben,\n\n", "\n\n**Next.** z"),
    ("Dear ", ",", "", "\n\nThanks."),
    ("> ", "", "", ""),  # an answer in the export
    ("# Talk track: ", "", "", "\n\n**With:** x"),
    ("## If ", "...", "", "\n- gets defensive: x"),
    ("| Skill | ", " | 8 |", "| | At the start | Now |\n| --- | --- | --- |\n", ""),
]


@pytest.mark.parametrize(("before", "after", "above", "below"), PLACES)
@FAST
@given(answer=answers_text)
def test_an_answer_renders_as_typed_wherever_it_lands(
    before: str, after: str, above: str, below: str, answer: str
) -> None:
    def render(value: str) -> str:
        line_start = above.rsplit("\n", 1)[-1] + before
        return above + before + markdown_escape(value, line_start) + after + below

    assert_renders_as_typed(render, answer, templated=False)


@pytest.mark.parametrize(
    ("answer", "escaped"),
    [
        ("on-call, pick. I'd say (日本語).", "on-call, pick. I'd say (日本語)."),
        ("1) Write my concern", "1) Write my concern"),
        ("C:\\Users\\me 2 * 3 snake_case a < b", "C:\\Users\\me 2 * 3 snake_case a < b"),
        (
            "*really* [x](y) <b> &amp; a|b `c`",
            "\\*really\\* \\[x\\](y) \\<b> \\&amp; a\\|b \\`c\\`",
        ),
    ],
)
def test_only_what_would_change_the_meaning_is_escaped(answer: str, escaped: str) -> None:
    assert markdown_escape(answer, "- **Goal:** ") == escaped


# What pandoc's default Markdown reader (not CommonMark) would turn into something else: TeX
# math, a non-breaking space, a citation, an en dash. Checked with pandoc itself by
# `make check-consumers` (scripts/check_consumers.sh); here, that they are escaped and that a
# CommonMark reader still shows them as typed.
PANDOC_CASES = [
    ("$x^2$ and $$ math $$", "\\$x^2\\$ and \\$\\$ math \\$\\$"),
    ("a \\ b", "a \\\\ b"),
    ("ask @mention first", "ask \\@mention first"),
    ("before -- after", "before \\-- after"),
]


@pytest.mark.parametrize(("answer", "escaped"), PANDOC_CASES)
def test_what_pandoc_would_change_is_escaped_and_reads_as_typed(answer: str, escaped: str) -> None:
    assert markdown_escape(answer, "- **Goal:** ") == escaped
    assert_renders_as_typed(
        lambda value: "- **Goal:** " + markdown_escape(value, "- **Goal:** "),
        answer,
        templated=False,
    )


def test_lines_stay_lines_and_blank_lines_stay_inside_the_list_item() -> None:
    answer = "1) Write my concern\n    - my first point\n\nthen # this"
    assert markdown_escape(answer, "- **Goal:** ") == (
        "1) Write my concern\\\n      \\- my first point\\\n  \\\n  then # this"
    )
    assert markdown_escape(answer, "") == (
        "1\\) Write my concern\\\n    \\- my first point\n\nthen # this"
    )
    assert markdown_escape("a\n\nb", "> ") == "a\n>\n> b"
    assert markdown_escape("a\nb #", "## If ") == "a b \\#"


# -- through templates: the built-in records and a conversation's coach text ----------------


def _builtin(script_id: str) -> Script:
    (path,) = [p for p in builtin_dir().glob("[0-9]*.yaml") if p.stem.endswith(script_id)]
    script = load_file(path).script
    assert script is not None
    return script


BUILTIN = {sid: _builtin(sid) for sid in ("first_meeting", "goal_setting", "tough_conversation")}
BUILTIN["closing"] = _builtin("closing")
HOLES = sorted(
    (sid, name)
    for sid, script in BUILTIN.items()
    if script.record is not None
    for name in script.record.references()
)


class Answered(Conversation):
    """A conversation whose every answer is `fill(name)`: the record as the engine renders it,
    every part of it shown (a part's `if:` is about the path, not about escaping)."""

    def __init__(self, script: Script, fill: Callable[[str], str]) -> None:
        parts = tuple(dataclasses.replace(p, condition=None) for p in script.record_parts)
        super().__init__(dataclasses.replace(script, record_parts=parts))
        self.fill = fill

    def lookup_text(self, name: str) -> str:
        return self.fill(name)


def _single_line_hole(script: Script, name: str) -> bool:
    """Whether every place of the hole is a heading or a table row (one line by nature)."""
    assert script.record is not None
    places = [line for line in script.record.source.split("\n") if "{" + name + "}" in line]
    return all(line.lstrip().startswith(("#", "|")) for line in places)


@FAST
@given(hole=st.sampled_from(HOLES), answer=answers_text)
def test_builtin_records_show_each_answer_as_typed(hole: tuple[str, str], answer: str) -> None:
    script_id, name = hole
    script = BUILTIN[script_id]

    def render(value: str) -> str:
        # every other hole holds a plain word of its own
        record = Answered(script, lambda n: value if n == name else "Other").record_markdown()
        assert record is not None
        return record

    assert_renders_as_typed(render, answer)


SAY = load_text(
    "id: s\ntitle: t\nsummary: s\naudience: anyone\nsteps:\n"
    "  goal:\n    ask: Goal?\n    type: long_text\n"
    "  echo:\n    say: 'You said: \"{goal}\". Good.'\n"
).script


@FAST
@given(answer=answers_text)
@example(answer="!\x1f")  # a sentence end followed by a control character
def test_coach_text_shows_an_answer_as_typed(answer: str) -> None:
    assert SAY is not None
    assume(answer.strip())  # what the engine takes as an answer

    def render(value: str) -> str:
        return Conversation(SAY).answer(value).says[0].markdown

    assert_renders_as_typed(render, answer.strip("\n"))


# -- through the store: write_markdown and `reflectcoach show` ------------------------------

PLACES_SCRIPT = """\
id: places
title: "Places: *all* of them"
summary: s
audience: anyone
record: |
  # Card for {name}

  Between **{name}** and **{other}**.

  ## What
  - **Hopes:** {story}
  - **Then:** done

  1. **{name}'s question:** {story}
  2. Next

  {story}

  | | Then | Now |
  | --- | --- | --- |
  | Words | {name} | x |
steps:
  name:
    ask: Name?
  other:
    ask: And theirs?
  story:
    ask: 'Tell me, {name}: what happened?'
    type: long_text
"""


@pytest.fixture(scope="module")
def places() -> Script:
    script = load_text(PLACES_SCRIPT).script
    assert script is not None
    return script


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("fidelity") / "r.db")
    yield store
    store.close()


def _finished(store: Store, script: Script, story: str, name: str = "Ana") -> str:
    running = session.start(store, script, "Bea")
    for value in (name, "Ben", story):
        running.conversation.answer(value)
    assert running.conversation.finished
    return running.id


def _exported(store: Store, conversation_id: str) -> str:
    out = io.StringIO()
    write_markdown(store, out, ids=[conversation_id])
    return out.getvalue()


def _exported_alike(store: Store, conversation_id: str) -> str:
    """The export with the details that differ between two conversations (id, time) fixed."""
    text = _exported(store, conversation_id).replace(conversation_id, "ID")
    return re.sub(r"- Date: .*", "- Date: then", text)


@FAST
@given(answer=answers_text)
def test_an_exported_conversation_shows_the_answer_as_typed(
    shared_store: Store, places: Script, answer: str
) -> None:
    story = answer.strip("\n")
    assume(story.strip())  # what the engine takes as an answer

    def render(value: str) -> str:
        return _exported_alike(shared_store, _finished(shared_store, places, value))

    assert_renders_as_typed(render, story)


@FAST
@given(name=answers_text.map(lambda text: " ".join(text.split())).filter(bool))
def test_a_short_answer_in_headings_bold_and_table_cells_renders_as_typed(
    shared_store: Store, places: Script, name: str
) -> None:
    def render(value: str) -> str:
        return _exported_alike(shared_store, _finished(shared_store, places, "story", name=value))

    assert_renders_as_typed(render, name)


def test_show_prints_the_same_markdown(tmp_path: Path, places: Script) -> None:
    db = tmp_path / "r.db"
    story = "1) Write my concern\n    - my first point\n\na | b\n:--- | ---:"
    with Store.open(db) as store:
        conversation_id = _finished(store, places, story)
        exported = _exported(store, conversation_id)
    shown = CliRunner().invoke(main, ["--db", str(db), "show", conversation_id])
    assert shown.exit_code == 0, shown.output
    assert shown.output == exported.rstrip() + "\n"
    assert (
        "- **Hopes:** 1) Write my concern\\\n      \\- my first point\\\n  \\\n  a \\| b\\\n"
        in shown.output
    )
    assert "\n\n1\\) Write my concern\\\n    \\- my first point\n\na \\| b\\\n" in shown.output
    assert "> 1\\) Write my concern\\\n>     \\- my first point\n>\n> a \\| b\\\n" in shown.output


# -- one outline ------------------------------------------------------------------------------


def headings(markdown: str) -> list[tuple[int, str]]:
    tokens = PARSER.parse(markdown)
    return [
        (int(token.tag[1]), "".join(c.content for c in tokens[index + 1].children or []))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def test_record_headings_sit_under_the_conversation(shared_store: Store, places: Script) -> None:
    first = _finished(shared_store, places, "one")
    second = _finished(shared_store, places, "two")
    out = io.StringIO()
    write_markdown(shared_store, out, ids=[first, second])
    outline = headings(out.getvalue())
    assert outline[0] == (1, "Reflections")
    conversations = [i for i, (level, _) in enumerate(outline) if level == 2]
    assert len(conversations) == 2
    assert outline[conversations[0]] == (2, "Places: *all* of them")
    for start, end in zip(conversations, [*conversations[1:], len(outline)], strict=True):
        inside = outline[start + 1 : end]
        assert all(level > 2 for level, _ in inside), inside
        assert (3, "Card for Ana") in inside and (4, "What") in inside
        assert (3, "Questions and answers") in inside
        assert (4, "Tell me, Ana: what happened?") in inside


def test_demoting_stops_at_level_six_and_leaves_code_alone() -> None:
    markdown = "# One\n##### Five\n```\n# not a heading\n```\n\\# escaped\n  ## Two"
    assert demote_headings(markdown, 2) == (
        "### One\n###### Five\n```\n# not a heading\n```\n\\# escaped\n  #### Two"
    )


# -- plain text -------------------------------------------------------------------------------


@FAST
@given(hole=st.sampled_from(HOLES), answer=answers_text)
def test_plain_text_of_a_record_reads_like_the_rendered_markdown(
    hole: tuple[str, str], answer: str
) -> None:
    """Every line a reader of the Markdown sees is in the plain text, in order, and the
    answer's own lines are there as typed."""
    script_id, name = hole
    script = BUILTIN[script_id]
    record = Answered(script, lambda n: answer if n == name else "Other").record_markdown()
    assert record is not None
    text = plain_text(record)
    flat = re.sub(r"[ \t]+", " ", text)
    position = 0
    for line in normal(reader_text(record)).split("\n"):
        if not line:
            continue
        if "|" in record and line in ("At the start", "Now"):
            continue  # table cells come back as aligned columns
        found = flat.find(line, position)
        assert found >= 0, (line, text)
        position = found + len(line)
    single = _single_line_hole(script, name)
    for line in normal(one_line(answer) if single else clean(answer)).split("\n"):
        assert line in flat, (line, text)


def test_plain_text_drops_markdown_syntax() -> None:
    record = (
        "# Goal card\n\n**Goal:** Ship *it* \\*now\\* on\\-call\\\nline two\n\n"
        "## Next\n- **Do:** call &amp; write [docs](http://x.y)\n"
        "4. **Q:** `why`\n\n---\n\n| | Then | Now |\n| --- | --- | --- |\n| Skill | 4 | 8 |\n"
    )
    assert plain_text(record) == (
        "Goal card\n=========\n\nGoal: Ship it *now* on-call\nline two\n\n"
        "Next\n----\n\n- Do: call & write docs (http://x.y)\n4. Q: why\n\n"
        "--------------------\n\n       Then  Now\nSkill  4     8\n"
    )


def test_every_builtin_script_can_be_answered_with_markdown_lookalikes() -> None:
    """A smoke test over whole records: every text answer hostile, the record still has the
    script's own structure and none of the answers'."""
    for script in BUILTIN.values():
        hostile = Answered(script, lambda n: "# - 1. > | *x* [a](b) <i>")
        plain = Answered(script, lambda n: WORD)
        record, baseline = hostile.record_markdown(), plain.record_markdown()
        assert record is not None and baseline is not None
        assert structure(record) == structure(baseline), script.id
        assert any(step.type is QuestionType.LONG_TEXT for step in script.steps.values())
