"""`reflectcoach export --format csv` as a real process: the file, its count, its options."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from reflectcoach.script.loader import load_file
from reflectcoach.services.session import start
from reflectcoach.store import Store

FIXTURES = Path(__file__).parent.parent / "engine"


def reflectcoach(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(db.parent / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "--scripts", str(FIXTURES), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def answered_with_a_formula_and_a_skip(db: Path) -> None:
    script = load_file(FIXTURES / "every_type.yaml").script
    assert script is not None
    with Store.open(db) as store:
        conv = start(store, script, "Bea").conversation
        for raw in ['=HYPERLINK("http://example.com","click")', "1", "-1+2"]:
            conv.answer(raw)
        conv.skip()  # blockers is optional: a row in the file, not an answer


def test_the_count_said_is_the_answers_the_file_holds(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    answered_with_a_formula_and_a_skip(db)
    out = tmp_path / "out.csv"
    result = reflectcoach(db, "export", "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    answered = [row for row in rows if row["skipped"] == "0"]
    assert len(rows) == 4 and len(answered) == 3
    assert result.stderr.strip() == f"Wrote 3 answers to {out}."
    assert rows[0]["answer_text"] == """'=HYPERLINK("http://example.com","click")"""
    assert rows[2]["answer_text"] == "'-1+2"


def test_raw_and_excel_options(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    answered_with_a_formula_and_a_skip(db)
    out = tmp_path / "raw.csv"
    result = reflectcoach(db, "export", "--format", "csv", "--raw", "--excel", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(newline="", encoding="utf-8-sig") as fp:
        rows = list(csv.DictReader(fp))
    assert rows[0]["answer_text"] == '=HYPERLINK("http://example.com","click")'


def test_csv_options_with_another_format_are_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    answered_with_a_formula_and_a_skip(db)
    result = reflectcoach(db, "export", "--format", "json", "--raw")
    assert result.returncode != 0
    assert result.stderr.strip() == "Error: --raw and --excel are for --format csv, not json."
    assert result.stdout == ""
