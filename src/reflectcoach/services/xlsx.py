"""Exports for people who open them in a spreadsheet: an .xlsx file (openpyxl), one row per
answer, whose cells carry their type, which CSV cannot.

Every text cell is a string cell holding the answer exactly as typed: `0012` stays `0012`,
`+1` stays `+1`, and `=HYPERLINK(...)` is text, never a formula (the cell's type is set to
string after its value, so openpyxl cannot read a leading `=` as a formula). The `answer`
column is typed where the question's type says so: a number or scale answer is a number, a
date answer a date; every other answer is its text. The only change XML forces: characters
that XML 1.0 cannot hold (C0 controls other than tab and line breaks) are written visible,
as `\\x1b`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from reflectcoach.core.outfile import open_text
from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.store import Store
    from reflectcoach.store.rows import Filters

COLUMNS = (
    "conversation_id",
    "script_id",
    "title",
    "mentorship",
    "status",
    "started_at",
    "step",
    "question",
    "type",
    "answer",
    "answer_text",
    "answer_json",
    "skipped",
    "answered_at",
)
NUMERIC = frozenset({"number", "scale"})


def _xml_safe(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(lambda m: clean(m.group()), text)


def _text(sheet: Any, value: str | None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_xml_safe(value or ""))
    cell.data_type = "s"  # text, whatever it starts with: never a formula
    return cell


def _typed(sheet: Any, kind: str, value: Any, text: str | None) -> Any:
    """The answer as its question's type says: a number, a date, or text."""
    from openpyxl.cell import WriteOnlyCell

    if kind in NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    if kind == "date" and isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return _text(sheet, text)
        cell = WriteOnlyCell(sheet, value=day)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return _text(sheet, text)


def workbook_bytes(store: Store, **filters: Unpack[Filters]) -> tuple[bytes, int]:
    """The export as .xlsx bytes, and the number of answers in it."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("answers")
    sheet.append([_text(sheet, name) for name in COLUMNS])
    written = 0
    for conversation in store.iter_conversations(**filters):
        head = [
            conversation["id"],
            conversation["script_id"],
            conversation["title"],
            conversation["mentorship"],
            conversation["status"],
            conversation["started_at"],
        ]
        position = conversation["position"]
        for answer in conversation["answers"]:
            skipped = bool(answer["skipped"])
            sheet.append(
                [
                    *(_text(sheet, value) for value in head),  # a cell is written once
                    _text(sheet, answer["step_id"]),
                    _text(sheet, answer["question"]),
                    _text(sheet, answer["type"]),
                    _text(sheet, None)
                    if skipped
                    else _typed(sheet, answer["type"], answer["value"], answer["answer_text"]),
                    _text(sheet, answer["answer_text"]),
                    _text(sheet, json.dumps(answer["value"], ensure_ascii=False)),
                    int(skipped),
                    _text(sheet, answer["answered_at"]),
                ]
            )
            if not skipped and answer["seq"] < position:
                written += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), written


def write_xlsx(store: Store, path: Path, **filters: Unpack[Filters]) -> int:
    """Write the .xlsx export to `path` (owner-only, never half-written); answers written."""
    from reflectcoach.store.export import refuse_database

    refuse_database(path, store.path)
    data, written = workbook_bytes(store, **filters)
    with open_text(path) as fp:
        binary = getattr(fp, "buffer", None)
        if binary is None:
            raise OSError(22, "an .xlsx export needs a file, not a terminal or device", str(path))
        fp.flush()
        binary.write(data)
    return written
