"""`export --format xlsx`: what a spreadsheet shows is what was typed. Text cells exactly as
typed (never a formula, leading zeros and signs kept), numbers and dates typed as such; read
back with openpyxl, as a spreadsheet program would load it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from store.helpers import run

from reflectcoach.cli import main
from reflectcoach.store import Store

TYPED = ["0012", "+1", '=HYPERLINK("http://x","y")', "@SUM(A1)", "-2+3", "tab\there", "esc\x1b"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    with Store.open(path) as store:
        steps = [(f"t{i}", f"Text {i}?", "text", text, text) for i, text in enumerate(TYPED)]
        steps += [
            ("months", "How many months?", "number", 6, "6"),
            ("ready", "How ready?", "scale", 7, "7"),
            ("due", "By when?", "date", "2026-12-04", "Friday 4 December 2026"),
            ("ok", "All good?", "yes_no", True, "yes"),
        ]
        run(store, steps, script_id="weekly", mentorship="=Sam")
    return path


def test_every_answer_is_shown_as_typed_and_typed_as_its_question(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    result = CliRunner().invoke(
        main, ["--db", str(db), "export", "--format", "xlsx", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target)["answers"]
    rows = list(sheet.iter_rows(values_only=False))
    header = [c.value for c in rows[0]]
    col = {name: header.index(name) for name in header}
    answers = {r[col["step"]].value: r for r in rows[1:]}
    for i, text in enumerate(TYPED):
        cell = answers[f"t{i}"][col["answer"]]
        assert cell.data_type == "s", (text, cell.data_type)  # text, never a formula
        expected = text.replace("\x1b", "\\x1b")  # the one character XML cannot hold
        assert cell.value == expected
    assert answers["t0"][col["mentorship"]].value == "=Sam"
    assert answers["t0"][col["mentorship"]].data_type == "s"
    assert answers["months"][col["answer"]].value == 6
    assert answers["ready"][col["answer"]].value == 7
    due = answers["due"][col["answer"]].value
    assert due == dt.datetime(2026, 12, 4) and answers["due"][col["answer"]].is_date
    assert answers["ok"][col["answer"]].value == "yes"
    assert answers["due"][col["answer_text"]].value == "Friday 4 December 2026"
    assert not any(c.data_type == "f" for row in rows for c in row)
    assert target.stat().st_mode & 0o077 == 0  # private, like every export


def test_xlsx_needs_a_file(db: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(db), "export", "--format", "xlsx"])
    assert result.exit_code != 0 and "-o FILE.xlsx" in result.output
