"""`reflectcoach show ID --record`: the record as plain text, to paste where Markdown is not
shown; and the line-mode runner ends with the same text."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from reflectcoach.cli import main
from reflectcoach.cli.plain import PlainRunner
from reflectcoach.script.loader import load_text
from reflectcoach.services import session
from reflectcoach.store import Store

SCRIPT = """\
id: card
title: Card
summary: s
audience: anyone
record: |
  # Goal card

  **Goal:** {goal}

  ## Next step
  - **Do:** {step}
steps:
  goal:
    ask: Your goal?
    type: long_text
  step:
    ask: The next step?
"""
NO_RECORD = "id: bare\ntitle: Bare\nsummary: s\naudience: anyone\nsteps:\n  a:\n    ask: A?\n"
GOAL = "Be *on-call* less (日本語).\n1) Write my concern\n    - my first point"


def _start(db: Path, text: str, answers: list[str]) -> str:
    script = load_text(text).script
    assert script is not None
    with Store.open(db) as store:
        running = session.start(store, script)
        for answer in answers:
            running.conversation.answer(answer)
        return running.id


def _cli(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *args])


def test_show_record_prints_plain_text(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    conversation_id = _start(db, SCRIPT, [GOAL, "Call Sam <today> & \x1b[2Jthen"])
    result = _cli(db, "show", conversation_id[:6], "--record")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Goal card\n"
        "=========\n"
        "\n"
        "Goal: Be *on-call* less (日本語).\n"
        "1) Write my concern\n"
        "    - my first point\n"
        "\n"
        "Next step\n"
        "---------\n"
        "\n"
        "- Do: Call Sam <today> & \\x1b[2Jthen\n"
    )


def test_show_without_record_is_the_markdown_transcript(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    conversation_id = _start(db, SCRIPT, [GOAL, "Call Sam"])
    result = _cli(db, "show", conversation_id)
    assert result.exit_code == 0, result.output
    assert (
        "\n### Goal card\n\n**Goal:** Be \\*on-call\\* less (日本語).\\\n"
        "1\\) Write my concern\\\n    \\- my first point\n\n#### Next step\n"
    ) in result.output


def test_an_unfinished_conversation_has_no_record_yet(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    conversation_id = _start(db, SCRIPT, [GOAL])
    result = _cli(db, "show", conversation_id, "--record")
    assert result.exit_code == 1
    assert "is not finished, so it has no record yet" in result.output
    assert f"reflectcoach show {conversation_id}" in result.output


def test_a_script_without_a_record(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    conversation_id = _start(db, NO_RECORD, ["x"])
    result = _cli(db, "show", conversation_id, "--record")
    assert result.exit_code == 1
    assert "has no record: its script does not write one" in result.output


def test_plain_mode_ends_with_the_plain_record(tmp_path: Path) -> None:
    script = load_text(SCRIPT).script
    assert script is not None
    out = io.StringIO()
    with Store.open(tmp_path / "r.db") as store:
        running = session.start(store, script)
        runner = PlainRunner(running, io.StringIO("Ship *it*\n\nCall Sam\n"), out)
        assert runner.run() == 0
        expected = running.conversation.record_plain()
    assert expected is not None and expected.startswith("Goal card\n=========\n")
    assert expected.rstrip() in out.getvalue()
    assert "**" not in out.getvalue()
