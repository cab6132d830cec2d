"""Two people, each with their own database, driven through the real command line (plain
mode) in subprocesses: Alex the mentee (their mentorship is called "Sam") and Sam the mentor
(theirs is called "Alex"). Secret keys are in each database: no keyring in tests."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MEETING = """\
id: meeting
title: Meeting
summary: s
audience: anyone
record:
  - "# Meeting notes\\n\\n**Next:** {next_step}"
  - private: true
    text: "## Just for me\\n\\n**Worry:** {worry}"
steps:
  role:
    ask: Which are you?
    type: choice
    options:
      - {value: mentee, label: the mentee}
      - {value: mentor, label: the mentor}
  last_time:
    type: follow_up
    ask: 'Last time: "{commitment.text}". How did it go?'
  next_step:
    ask: Your next step?
    commitment: {due: next_date}
  next_date:
    ask: By when?
    type: date
  worry:
    ask: A worry?
"""

FEEDBACK = """\
id: feedback_note
title: Feedback for my partner
summary: s
audience: anyone
record:
  - "# Feedback\\n\\n**What helps me most:** {helps}"
  - private: true
    text: "**What I held back:** {held}"
steps:
  helps:
    ask: What helps you most?
  held:
    ask: What are you holding back?
"""

AGREE = """\
id: agree
title: Our agreement
summary: s
audience: anyone
record: "# Our agreement\\n\\nWe meet {rhythm}. Feedback: {feedback_me}."
steps:
  role:
    ask: Which are you?
    type: choice
    options:
      - {value: mentee, label: the mentee}
      - {value: mentor, label: the mentor}
  rhythm:
    ask: How often do we meet?
    type: choice
    options:
      - {value: monthly, label: once a month}
      - {value: fortnightly, label: every two weeks}
    sets: mentorship.rhythm
  feedback_me:
    ask: How do you like feedback?
    sets: mentorship.my_feedback
"""

# Words only ever typed into just-for-me parts: never in any bundle.
PRIVATE_WORDS = ("ZEBRINE", "QUOKKA", "MARGAY", "just for me")


@dataclass
class Side:
    folder: Path
    scripts: Path

    @property
    def db(self) -> Path:
        return self.folder / "r.db"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("VISUAL", "EDITOR", "REFLECTCOACH_SCRIPTS", "REFLECTCOACH_DB", "TMUX"):
            env.pop(name, None)
        env["XDG_CONFIG_HOME"] = str(self.folder / "config")
        env["XDG_DATA_HOME"] = str(self.folder / "data")
        env["XDG_CACHE_HOME"] = str(self.folder / "cache")
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        return env

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reflectcoach", "--db", str(self.db),
             "--scripts", str(self.scripts), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env(),
            cwd=self.folder,
            timeout=120,
        )  # fmt: skip

    def ok(self, *args: str, stdin: str = "") -> str:
        done = self.run(*args, stdin=stdin)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def conversation_id(self, output: str) -> str:
        line = next(x for x in output.splitlines() if "reflectcoach show " in x)
        return line.split("reflectcoach show ")[1].split()[0]

    def identity_line(self) -> str:
        return self.ok("id").strip()


def make_sides(tmp_path: Path) -> tuple[Side, Side]:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "meeting.yaml").write_text(MEETING, encoding="utf-8")
    (scripts / "feedback_note.yaml").write_text(FEEDBACK, encoding="utf-8")
    (scripts / "agree.yaml").write_text(AGREE, encoding="utf-8")
    alex, sam = Side(tmp_path / "alex", scripts), Side(tmp_path / "sam", scripts)
    alex.folder.mkdir()
    sam.folder.mkdir()
    return alex, sam


def digest(path: Path) -> str:
    """The database file's bytes (and its log's, if one is left), hashed with no Store of
    this process open (docs/architecture.md, "Touching a database outside SQLite")."""
    parts = [path.read_bytes()]
    for suffix in ("-wal", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            parts.append(companion.read_bytes())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()
