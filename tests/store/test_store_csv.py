"""CSV that a spreadsheet opens safely: formulas neutralised, --raw bytes, Excel's BOM."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from reflectcoach.store import Store
from reflectcoach.store.export import spreadsheet_safe, write_csv, write_file

from .helpers import run

FORMULAS = [
    '=HYPERLINK("http://example.com","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tleading tab",
    "\rleading carriage return",
    "-1+cmd|' /C calc'!A0",
]
NUMBERS = ["-0.5", "+3", "42", "-1e3", ".5"]
HARMLESS = ["plain words", " =indented", "a=b", "x-1", "", "'already quoted"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", NUMBERS + HARMLESS)
def test_numbers_and_text_are_left_as_they_are(cell: str) -> None:
    assert spreadsheet_safe(cell) == cell


def rows_of(store: Store, **options: bool) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    write_csv(store, out, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_every_user_text_cell_is_neutralised(fresh_store: Store) -> None:
    steps = [
        (f"s{i}", "=Q()" if i == 0 else "Q?", "text", text, None)
        for i, text in enumerate([*FORMULAS, *NUMBERS])
    ]
    run(fresh_store, steps, mentorship="@boss")
    rows = rows_of(fresh_store)
    texts = [row["answer_text"] for row in rows]
    assert texts == ["'" + t for t in FORMULAS] + NUMBERS
    assert rows[0]["question"] == "'=Q()" and rows[0]["mentorship"] == "'@boss"
    # answer_json holds JSON strings, which start with a quote: already inert.
    assert all(not row["answer_json"].startswith(("=", "+", "-", "@")) for row in rows)


def test_raw_writes_every_cell_exactly_as_stored(fresh_store: Store) -> None:
    run(fresh_store, [(f"s{i}", "=Q()", "text", t, None) for i, t in enumerate(FORMULAS)])
    rows = rows_of(fresh_store, raw=True)
    assert [row["answer_text"] for row in rows] == FORMULAS
    assert rows[0]["question"] == "=Q()"


def test_excel_gets_a_byte_order_mark_and_text_survives(fresh_store: Store, tmp_path: Path) -> None:
    run(fresh_store, [("a", "Q?", "text", "café 日本語 🙂", None)])
    path = tmp_path / "excel.csv"
    write_file(fresh_store, path, lambda *a, **k: write_csv(*a, bom=True, **k))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfconversation_id,")
    with path.open(newline="", encoding="utf-8-sig") as fp:
        (row,) = list(csv.DictReader(fp))
    assert row["answer_text"] == "café 日本語 🙂"
    plain = tmp_path / "plain.csv"
    write_file(fresh_store, plain, "csv")
    assert plain.read_bytes().startswith(b"conversation_id,")
