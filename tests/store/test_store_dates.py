"""Date answers in the store: ISO in JSON (export and import as is), the readable day in
Markdown and search."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reflectcoach.store import Store
from reflectcoach.store.export import write_json, write_markdown
from reflectcoach.store.importer import import_json

from .helpers import Clock, run

PLAN = [
    ("step", "What is your next step?", "text", "Ask Sam for feedback", None),
    ("next_date", "By when?", "date", "2026-12-04", "Friday 4 December 2026"),
    ("review", "When shall we look again?", "date", None, None),
]


def test_a_date_is_iso_in_json_and_readable_in_markdown(fresh_store: Store) -> None:
    run(fresh_store, PLAN)
    out = io.StringIO()
    write_json(fresh_store, out)
    (item,) = json.loads(out.getvalue())["conversations"]
    answer = next(a for a in item["answers"] if a["step"] == "next_date")
    assert (answer["type"], answer["answer"]) == ("date", "2026-12-04")
    markdown = io.StringIO()
    write_markdown(fresh_store, markdown)
    assert "#### By when?\n\n> Friday 4 December 2026\n" in markdown.getvalue()
    assert fresh_store.search("december")


def test_date_answers_round_trip_through_an_import(tmp_path: Path, clock: Clock) -> None:
    with Store.open(tmp_path / "a.db") as source:
        source.clock = clock
        run(source, PLAN)
        out = io.StringIO()
        write_json(source, out)
        expected = source.answers(source.conversations()[0]["id"])
    with Store.open(tmp_path / "b.db") as target:
        assert import_json(target, io.StringIO(out.getvalue())) == (1, 0)
        assert target.answers(target.conversations()[0]["id"]) == expected
