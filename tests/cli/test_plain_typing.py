"""Plain mode, as typed or piped: option labels, Enter to skip, word wrap, echoed answers."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from reflectcoach.cli.plain import PlainRunner
from reflectcoach.script.loader import load_file
from reflectcoach.services import session
from reflectcoach.store import Store

from .test_plain import FIXTURES, env_for, stored

BUILTIN_GOAL = [
    "1",  # who: the mentee
    "Speak at the team meeting",
    "",
    "It matters now",
    "",
    "yours, specific",  # smart: by the words before each label's colon
]


def run(
    tmp_path: Path, *args: str, stdin: str, columns: int = 80
) -> subprocess.CompletedProcess[str]:
    env = env_for(tmp_path)
    env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_an_option_label_is_accepted_as_typed(tmp_path: Path) -> None:
    result = run(tmp_path, "start", "goal_setting", "--plain", stdin="\n".join(BUILTIN_GOAL) + "\n")
    assert "is not an option" not in result.stdout
    [conversation] = stored(tmp_path)
    smart = next(a for a in conversation["answers"] if a["step_id"] == "smart")
    assert smart["value"] == ["specific", "assignable"]


def test_enter_skips_an_optional_question_and_the_prompt_says_so(tmp_path: Path) -> None:
    lines = ["Ana", "2", "Grow as a lead", "", "", "4", "y", "2"]
    result = run(
        tmp_path, "--scripts", str(FIXTURES), "start", "every_type", "--plain",
        stdin="\n".join(lines) + "\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Optional: Enter to skip." in result.stdout
    [conversation] = stored(tmp_path)
    blockers = next(a for a in conversation["answers"] if a["step_id"] == "blockers")
    assert blockers["skipped"] and blockers["value"] is None
    assert conversation["status"] == "completed"


def test_lines_wrap_at_words_to_the_terminal_width(tmp_path: Path) -> None:
    result = run(tmp_path, "start", "goal_setting", "--plain", stdin=":quit\n", columns=40)
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 40, result.stdout
    words = " ".join(line.strip() for line in lines).split()
    # The intro, whole words only, in order.
    text = " ".join(words)
    assert "your options, and the very next step. About 20 to 30 minutes." in text
    # Options keep a hanging indent under their label.
    assert "  1) me, the mentee: it's my goal" in result.stdout


def test_piped_answers_are_echoed_after_the_prompt(tmp_path: Path) -> None:
    lines = ["Ana", "2", "Grow as a lead", "in small steps", "", ":back", "", "", ":quit"]
    result = run(
        tmp_path, "--scripts", str(FIXTURES), "start", "every_type", "--plain",
        stdin="\n".join(lines) + "\n",
    )  # fmt: skip
    out = result.stdout
    assert "> Ana\n" in out
    assert "> 2\n" in out
    assert "> Grow as a lead\n  in small steps\n" in out
    assert "> :back\n" in out
    assert "\n> \n" in out  # Enter, echoed as an empty answer
    assert "> :quit\n" in out


def test_a_terminal_gets_no_echo(tmp_path: Path) -> None:
    # The runner itself, with a stdin that says it is a terminal (which echoes for us).
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    script = load_file(FIXTURES / "every_type.yaml").script
    assert script is not None
    with Store.open(tmp_path / "r.db") as store:
        out = io.StringIO()
        runner = PlainRunner(session.start(store, script), Tty("Ana\n:quit\n"), out, width=80)
        runner.run()
    assert "> Ana" not in out.getvalue()


FACTS = """\
id: facts
title: Facts asked once
summary: Name and partner
audience: anyone
steps:
  name:
    ask: Your first name?
    prefill: anywhere.facts.name
  partner:
    ask: Who with?
    prefill: [recall.facts.partner, mentorship]
"""


def test_enter_keeps_what_is_filled_in(tmp_path: Path) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "facts.yaml").write_text(FACTS, encoding="utf-8")
    args = ("--scripts", str(folder), "start", "facts", "--plain")
    first = run(tmp_path, *args, "-m", "Sam", stdin="Ana\n\n")
    assert "From before: Sam" in first.stdout  # the mentorship chosen
    again = run(tmp_path, *args, "-m", "Lee", stdin="\n\n")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "From before: Ana" in again.stdout and "From before: Lee" in again.stdout
    assert "Press Enter to keep it, or type a new answer." in again.stdout
    answers = [[a["value"] for a in c["answers"]] for c in stored(tmp_path)]
    assert answers == [["Ana", "Lee"], ["Ana", "Sam"]]  # newest first
