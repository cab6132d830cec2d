"""The peer for the export benchmark: jrnl (https://jrnl.sh), exporting the same text.

- `write_journal(db, path)`: our history as jrnl's plain-text journal: one entry per
  conversation, `[YYYY-MM-DD HH:MM] <title>` then each question and its answer on lines of
  their own (skipped questions left out, as our exports leave them out of the answer count).
- `ensure_jrnl(folder)`: jrnl 4.6 in a venv of its own (`.bench/jrnl`, ignored by git): a
  benchmark tool only, never a dependency of reflectcoach.
- `write_config(path, journal)`: a jrnl config naming that journal, for `--config-file`.

    python scripts/bench_jrnl.py DB JOURNAL    # write the journal of DB
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".bench" / "jrnl"
VERSION = "4.6"


def write_journal(db: Path, path: Path) -> tuple[int, int]:
    """Write `db`'s conversations as a jrnl journal, oldest first; (entries, answers)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    entries = answers = 0
    current: str | None = None
    try:
        rows = conn.execute(
            "SELECT c.id, c.started_at, c.title, a.question, a.answer_text FROM conversations c "
            "JOIN answers a ON a.conversation_id = c.id AND a.seq < c.position AND a.skipped = 0 "
            "ORDER BY c.started_at, c.rowid, a.seq"
        )
        with open(path, "w", encoding="utf-8") as fp:
            for conversation_id, started, title, question, answer in rows:
                if conversation_id != current:
                    if current is not None:
                        fp.write("\n")
                    # jrnl's own timestamps: local minutes, the title on the date's line.
                    fp.write(f"[{started[:10]} {started[11:16]}] {' '.join(title.split())}\n")
                    current = conversation_id
                    entries += 1
                fp.write(f"{question}\n{answer or ''}\n")
                answers += 1
            fp.write("\n")
    finally:
        conn.close()
    return entries, answers


def ensure_jrnl(folder: Path = VENV) -> Path:
    """The jrnl command of a venv with jrnl VERSION (created on first use: needs pip's index)."""
    command = folder / "bin" / "jrnl"
    if command.exists():
        return command
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    subprocess.run(
        [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", f"jrnl=={VERSION}"],
        check=True,
    )
    return command


CONFIG = """colors:
  body: none
  date: none
  tags: none
  title: none
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v{version}
"""


def write_config(path: Path, journal: Path) -> Path:
    path.write_text(CONFIG.format(journal=journal, version=VERSION), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_journal(Path(sys.argv[1]), Path(sys.argv[2])))
