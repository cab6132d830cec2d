"""Plain mode with a record that has a just-for-me part: shown in full at the end, with the
command that prints the copy to send; that copy leaves the part out."""

from __future__ import annotations

from pathlib import Path

from .test_plain import run

SCRIPT = """\
id: mine
title: Mine
summary: s
audience: anyone
record:
  - "# Card\\n\\n**Goal:** {goal}"
  - private: true
    text: "## Just for me\\n\\n**Worry:** {worry}"
steps:
  goal:
    ask: Your goal?
  worry:
    ask: A worry?
"""


def test_plain_mode_shows_the_whole_record_and_how_to_get_the_copy_to_send(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "mine.yaml").write_text(SCRIPT, encoding="utf-8")
    done = run(
        tmp_path, "--scripts", str(folder), "start", "mine", "--plain",
        stdin="Speak up\nZebrine worry\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Zebrine worry" in done.stdout and "Just for me" in done.stdout
    assert "<!--" not in done.stdout
    line = next(x for x in done.stdout.splitlines() if "without the parts just for you" in x)
    conversation_id = line.split("reflectcoach show ")[1].split()[0]
    copy = run(tmp_path, "--scripts", str(folder), "show", conversation_id, "--record")
    assert copy.returncode == 0, copy.stdout + copy.stderr
    assert "Speak up" in copy.stdout and "Zebrine" not in copy.stdout
