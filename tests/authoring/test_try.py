"""`reflectcoach try` (issue 25, part 3 of "what to build"): an unsaved run of a script file
against a scratch database, from any step with answers given on the way, reloaded when the
file changes (answers kept where their steps still exist), errors shown in place."""

from __future__ import annotations

import io
import os
from pathlib import Path

from click.testing import CliRunner

from reflectcoach.cli import main
from reflectcoach.cli.plain import PlainRunner
from reflectcoach.services.tryout import STILL_RUNNING, Tryout
from reflectcoach.store import Store

SCRIPT = """\
id: demo
title: Demo
summary: Trying a script
audience: anyone
steps:
  name:
    ask: Your name?
  mood:
    ask: How is it, {name}?
    type: choice
    options: [low, fine]
  extra:
    ask: Anything else, {name}?
    optional: true
  bye:
    say: Bye {name}.
"""


def edit(path: Path, text: str) -> None:
    """Rewrite the file so that its time stamp surely moves (some file systems keep whole
    seconds)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_try_from_a_step_with_given_answers_starts_mid_script(tmp_path: Path) -> None:
    script = tmp_path / "demo.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    given = tmp_path / "given.yaml"
    given.write_text("name: Bea\n", encoding="utf-8")
    db = tmp_path / "mine.db"
    args = ["--db", str(db), "try", str(script), "--plain", "--from", "mood", "--given", str(given)]
    result = CliRunner().invoke(main, args, input="low\n\n")
    assert result.exit_code == 0, result.output
    assert "[1/2] Your name?" not in result.output  # started at mood, Bea given on the way
    assert "How is it, Bea?" in result.output
    assert "Bye Bea." in result.output
    assert "Not saved: tried against a scratch database." in result.output
    assert not db.exists(), "the person's own database is never touched"


def test_try_reports_errors_with_line_and_column(tmp_path: Path) -> None:
    script = tmp_path / "demo.yaml"
    script.write_text(SCRIPT.replace("type: choice", "type: choise"), encoding="utf-8")
    result = CliRunner().invoke(main, ["try", str(script), "--plain"], input="Ana\n")
    assert result.exit_code == 1
    assert f"{script}:10:11: error: unknown type 'choise'" in result.output


class EditsTheFile(io.StringIO):
    """stdin that changes the script after the first answer is read (as an author saving the
    file while the conversation waits), then once more with a mistake in it."""

    def __init__(self, path: Path, lines: list[str], edits: dict[int, str]) -> None:
        super().__init__()
        self.path, self.lines, self.edits, self.count = path, lines, edits, 0

    def readline(self, *args: object) -> str:
        if self.count in self.edits:
            edit(self.path, self.edits[self.count])
        self.count += 1
        return self.lines.pop(0) if self.lines else ""


def test_watch_reloads_keeps_answers_says_what_changed_and_shows_errors_in_place(
    tmp_path: Path,
) -> None:
    script = tmp_path / "demo.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    changed = SCRIPT.replace("Anything else, {name}?", "Anything more, {name}?")
    broken = changed.replace("options: [low, fine]", "options: [low, fine]\n    optinal: true")
    stdin = EditsTheFile(script, ["Ana\n", "fine\n", "No\n"], {0: broken, 1: changed})
    out = io.StringIO()
    tryout = Tryout(script)
    with Store.open(tmp_path / "scratch.db", key=None) as store:
        first, errors = tryout.load()
        assert first is not None and not errors
        running = tryout.start(store, first)

        def reload(runner: PlainRunner):
            if not tryout.changed():
                return None
            done = tryout.reload(store, runner.session)
            if done.session is None:
                runner.say(STILL_RUNNING + ":")
            for line in done.lines:
                runner.say(line)
            return done.session

        PlainRunner(running, stdin, out, width=200, store=store, reload=reload).run()
    text = out.getvalue()
    # The mistake is reported with its line:col and the conversation goes on as it was...
    assert "The script has errors; still running the last good one:" in text
    assert f"{script}:12:5: error: unknown key 'optinal'" in text
    # ...then the fixed file is taken up: Ana kept, the new wording asked.
    assert "Steps changed: extra." in text
    assert "Reloaded demo.yaml: 2 of 2 answers kept." in text
    assert "Anything more, Ana?" in text
    assert "Bye Ana." in text


def test_what_changed_is_said_in_words(tmp_path: Path) -> None:
    from reflectcoach.script.loader import load_text
    from reflectcoach.services.tryout import changes

    old = load_text(SCRIPT).script
    new = load_text(
        SCRIPT.replace("  extra:\n", "  why:\n    ask: Why, {name}?\n  extra:\n").replace(
            "options: [low, fine]", "options: [low, fine, great]"
        )
    ).script
    assert old is not None and new is not None
    assert changes(old, new) == ["Steps added: why.", "Steps changed: mood."]
    assert changes(new, old) == ["Steps removed: why.", "Steps changed: mood."]
