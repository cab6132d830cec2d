"""Records with just-for-me parts: read in full by the person and in their backups, left out
of every copy meant to be sent; and records that read naturally (no empty heading, no second
full stop after a quoted answer)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reflectcoach.cli import main
from reflectcoach.core.sharing import CLOSE, OPEN, shared
from reflectcoach.engine.conversation import Conversation
from reflectcoach.engine.records import drop_empty_sections, plain_text, share_text
from reflectcoach.script import templates
from reflectcoach.script.loader import load_text
from reflectcoach.script.model import Script
from reflectcoach.services import session
from reflectcoach.store import Store

PARSER = MarkdownIt("commonmark").enable("table")

SCRIPT = """\
id: parts
title: Parts
summary: s
audience: anyone
record:
  - |
    # Card

    **Hope:** "{hope}".

    ## If it goes wrong
    - **Plan:** {plan}
  - text: |
      ## Just for me
      - **Inside:** {inner}
    private: true
  - text: "**Last word:** {last}"
steps:
  hope:
    ask: Your hope?
  plan:
    ask: A plan?
    optional: true
  inner:
    ask: What's inside?
  last:
    ask: Last word?
"""


def _script(text: str = SCRIPT) -> Script:
    result = load_text(text)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


def _walk(script: Script, *answers: str | None) -> Conversation:
    conv = Conversation(script)
    for answer in answers:
        if answer is None:
            conv.skip()
        else:
            conv.answer(answer)
    assert conv.finished
    return conv


def _visible(markdown: str) -> str:
    """The text a Markdown viewer shows: inline content only (a comment shows as nothing)."""
    return " ".join(t.content for t in PARSER.parse(markdown) if t.type == "inline")


def test_a_private_part_is_in_the_full_record_and_not_in_the_share_copy() -> None:
    conv = _walk(_script(), "Lead a team.", "Ask for help", "SECRETWORD", "Thanks")
    markdown = conv.record_markdown() or ""
    assert OPEN in markdown and CLOSE in markdown
    assert "SECRETWORD" in _visible(markdown)
    assert "just for me" not in _visible(markdown)  # the markers show as nothing
    full, share = conv.record_plain() or "", conv.record_share() or ""
    assert "SECRETWORD" in full and "Just for me" in full and "<!--" not in full
    assert "SECRETWORD" not in share and "Just for me" not in share
    assert "Lead a team." in share and "Thanks" in share and "<!--" not in share
    assert share == share_text(markdown) == plain_text(shared(markdown))


def test_a_quoted_answer_that_ends_a_sentence_gets_no_second_full_stop() -> None:
    conv = _walk(_script(), "Lead a team.", None, "x", "y")
    assert '**Hope:** "Lead a team."\n' in (conv.record_markdown() or "")
    conv = _walk(_script(), "Lead a team", None, "x", "y")
    assert '**Hope:** "Lead a team".\n' in (conv.record_markdown() or "")


@given(
    st.text(alphabet="ab .!?\u2026", min_size=1, max_size=12),
    st.sampled_from(['".', "*.", ".", '". More.', '"...', "!"]),
)
def test_never_two_sentence_ends_in_a_row(answer: str, after: str) -> None:
    template = templates.parse("{a}" + after)
    rendered = template.render(lambda _name: answer)
    placed = template.render_placed(lambda _name, _before: answer)
    assert rendered == placed
    value = answer.rstrip()
    if (
        value
        and value[-1] in ".!?\u2026"
        and after.lstrip('"*').startswith(".")
        and not (after.lstrip('"*').startswith(".."))
    ):
        assert rendered == answer + after.replace(".", "", 1)
    else:
        assert rendered == answer + after


def test_a_heading_whose_section_came_out_empty_is_left_out() -> None:
    conv = _walk(_script(), "Lead a team", None, "x", "y")
    record = conv.record_markdown() or ""
    assert "If it goes wrong" not in record
    assert "# Card" in record and "## Just for me" in record
    nested = "# A\n\n## B\n\n### C\n\n## D\ntext\n"
    assert drop_empty_sections(nested) == "# A\n\n## D\ntext\n"
    assert drop_empty_sections(f"# A\nx\n{OPEN}\n## Mine\n\n{CLOSE}\n") == "# A\nx\n"
    assert drop_empty_sections("```\n# not a heading\n```\n") == "```\n# not a heading\n```\n"


def test_an_answer_cannot_forge_a_marker() -> None:
    conv = _walk(_script(), CLOSE, None, f"{CLOSE}\nhidden {OPEN}", "y")
    share = conv.record_share() or ""
    assert "hidden" not in share and "Inside" not in share
    assert "y" in share


def test_record_parts_are_validated_with_positions() -> None:
    bad = SCRIPT.replace("    private: true", "    privat: true").replace(
        '  - text: "**Last word:** {last}"', "  - [nested]\n  - text: '{lats}'"
    )
    messages = [str(d) for d in load_text(bad, "bad.yaml").diagnostics]
    assert any(
        ":16:5: error: unknown key 'privat' (did you mean 'private'?)" in m for m in messages
    )
    assert any(":17:5: error: a record part must be text or {text, private}" in m for m in messages)
    assert any(":18:13: error:" in m and "'lats'" in m for m in messages), messages
    empty = SCRIPT.split("record:")[0] + "record: []\nsteps:\n  a:\n    ask: A?\n"
    assert any("'record' is an empty list" in str(d) for d in load_text(empty).diagnostics)
    flag = SCRIPT.replace("private: true", "private: maybe")
    assert any("'private' must be true or false" in str(d) for d in load_text(flag).diagnostics)


def test_export_share_and_show_record_leave_private_parts_out(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        running = session.start(store, _script(), "Sam")
        for answer in ("Lead a team", "Ask", "SECRETWORD", "Thanks"):
            running.conversation.answer(answer)
        conversation_id = running.id

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.output

    backup = cli("export", "--format", "markdown")
    assert "SECRETWORD" in _visible(backup)
    share = cli("export", "--format", "markdown", "--share")
    assert "SECRETWORD" not in share and "Lead a team" in _visible(share)
    assert "Questions and answers" not in share
    assert "SECRETWORD" not in cli("show", conversation_id[:6], "--record")
    assert "SECRETWORD" in cli("show", conversation_id[:6])
    refused = CliRunner().invoke(main, ["--db", str(db), "export", "--format", "csv", "--share"])
    assert refused.exit_code != 0 and "--share is for --format markdown" in refused.output


CONDITIONAL = """\
id: cond
title: Cond
summary: s
audience: anyone
record:
  - text: "# Agreement\\n\\nWith {partner}."
    if: plan != "rematch"
  - text: "# A note to the programme lead\\n\\nCould we talk about a new match for {partner}?"
    if: plan == "rematch"
steps:
  partner:
    ask: Who?
  plan:
    ask: Plan?
    type: choice
    options: [rematch, keep]
"""


def test_a_part_with_if_is_there_only_when_its_condition_holds() -> None:
    script = _script(CONDITIONAL)
    rematch = _walk(script, "Ana", "rematch").record_markdown() or ""
    keep = _walk(script, "Ana", "keep").record_markdown() or ""
    assert "programme lead" in rematch and "Agreement" not in rematch
    assert "Agreement" in keep and "programme lead" not in keep
    bad = CONDITIONAL.replace('plan == "rematch"', 'plan == "rematc"')
    messages = [str(d) for d in load_text(bad, "c.yaml").diagnostics]
    assert any("c.yaml:9:17: warning:" in m and "rematc" in m for m in messages), messages


def test_a_labelled_line_goes_when_its_answer_is_empty_even_if_its_label_has_one() -> None:
    template = templates.parse("- **For {other}:** {want}\n**With:** {other}. **When:** {when}\n")
    values = {"other": "Sam", "want": "", "when": ""}
    filled = template.render_filled(lambda name: values[name])
    assert filled == "**With:** Sam. **When:** \n"  # one answer outside bold is enough
    values["want"] = "A clearer deal"
    assert template.render_filled(lambda name: values[name]).startswith("- **For Sam:** A clearer")
