"""`reflectcoach try FILE --watch` in the real app on a pty (issue 25): saving the file shows
the new question in the running app; a mistake shows in place with its line:col, and the
app keeps running."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

SCRIPT = """\
id: demo
title: Demo
summary: Trying a script
audience: anyone
steps:
  name:
    ask: What should I call you?
  mood:
    ask: How is the week going?
  bye:
    say: Bye.
"""


def save(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


@pytest.mark.plaintext
@pytest.mark.skipif(sys.platform == "win32", reason="a pty")
def test_try_watch_reloads_the_running_app_and_shows_errors_in_place(tmp_path: Path) -> None:
    from .terminal import Terminal, app_env

    script = tmp_path / "demo.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    db = tmp_path / "mine.db"
    args = ["--db", str(db), "try", str(script), "--watch"]
    # Wide enough that the file name and its line:col stay on one line of the notice.
    term = Terminal(args, env=app_env(tmp_path), size=(240, 30))
    try:
        term.read_until(b"What should I call you?")
        save(script, SCRIPT.replace("What should I call you?", "Which name do you go by?"))
        term.read_until(b"Which name do you go by?")
        term.read_until(b"Reloaded: Steps changed: name.")
        save(script, SCRIPT.replace("    ask: How is the week going?", "    ask: [oops"))
        term.read_until(b"demo.yaml:10:6: error: invalid YAML")  # in place, with its line:col
        term.write(b"Robin\r")  # the app still runs the last good script
        term.read_until(b"How is the week going?")
    finally:
        term.close()
    assert not db.exists(), "the person's own database is never touched"
