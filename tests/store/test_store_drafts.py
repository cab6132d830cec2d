"""Drafts: text typed but not given as an answer. Kept, replaced, cleared with the answer,
never an answer anywhere, and carried by the JSON export (and its import) alone."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from reflectcoach.store import Store
from reflectcoach.store.export import write_csv, write_json, write_markdown
from reflectcoach.store.importer import import_json

from .helpers import WEEKLY, run

TYPED = "Half a thought, still being\nwritten down"


def test_a_draft_is_kept_replaced_and_dropped_when_blank(fresh_store: Store) -> None:
    cid = run(fresh_store, WEEKLY[:1], complete=False)
    assert fresh_store.drafts.get(cid, seq=1, step_id="win") is None
    assert fresh_store.drafts.save(cid, seq=1, step_id="win", text="Half")
    assert fresh_store.drafts.save(cid, seq=1, step_id="win", text=TYPED)
    assert fresh_store.drafts.get(cid, seq=1, step_id="win") == TYPED
    assert fresh_store.drafts.get(cid, seq=1, step_id="other") is None  # typed for another question
    assert fresh_store.drafts.save(cid, seq=1, step_id="win", text="  \n")
    assert fresh_store.drafts.all(cid) == []


def test_only_the_question_being_asked_takes_a_draft(fresh_store: Store) -> None:
    cid = run(fresh_store, WEEKLY[:2], complete=False)  # asking seq 2 now
    assert not fresh_store.drafts.save(cid, seq=1, step_id="win", text="late write")
    assert fresh_store.drafts.all(cid) == []
    done = run(fresh_store, WEEKLY)
    assert not fresh_store.drafts.save(done, seq=len(WEEKLY), step_id="x", text="after the end")


def test_answering_clears_the_draft_in_the_same_transaction(fresh_store: Store) -> None:
    cid = run(fresh_store, WEEKLY[:1], complete=False)
    fresh_store.drafts.save(cid, seq=1, step_id="win", text=TYPED)
    step_id, question, qtype, value, _ = WEEKLY[1]
    fresh_store.journal(cid).answered(
        step_id=step_id,
        question=question,
        qtype=qtype,
        text=value,
        value=value,
        skipped=False,
        seq=1,
        position=2,
        current_step="help",
        discard_from=None,
    )
    assert fresh_store.drafts.all(cid) == []


def test_a_new_branch_drops_later_drafts_and_delete_takes_them_all(fresh_store: Store) -> None:
    cid = run(fresh_store, WEEKLY[:2], complete=False)
    fresh_store.drafts.save(cid, seq=2, step_id="help", text="maybe")
    journal = fresh_store.journal(cid)
    journal.moved(position=0, current_step="mood")
    journal.answered(
        step_id="mood",
        question="How was your week, 1 to 10?",
        qtype="scale",
        text="2",
        value=2,
        skipped=False,
        seq=0,
        position=1,
        current_step="why",
        discard_from=1,
    )
    assert fresh_store.drafts.all(cid) == []
    fresh_store.drafts.save(cid, seq=1, step_id="why", text="because")
    assert fresh_store.delete(cid)
    assert fresh_store.drafts.all() == []


def test_only_an_empty_conversation_is_discarded(fresh_store: Store) -> None:
    empty = run(fresh_store, [], complete=False)
    answered = run(fresh_store, WEEKLY[:1], complete=False)
    drafted = run(fresh_store, [], complete=False)
    fresh_store.journal(drafted).moved(position=0, current_step="mood")
    fresh_store.drafts.save(drafted, seq=0, step_id="mood", text="7?")
    assert fresh_store.discard_if_empty(empty)
    assert not fresh_store.discard_if_empty(answered)
    assert not fresh_store.discard_if_empty(drafted)
    assert {c["id"] for c in fresh_store.conversations()} == {answered, drafted}


def test_json_carries_drafts_and_an_import_restores_them(
    fresh_store: Store, tmp_path: Path
) -> None:
    cid = run(fresh_store, WEEKLY[:1], complete=False)
    fresh_store.drafts.save(cid, seq=1, step_id="win", text=TYPED)
    plain = run(fresh_store, WEEKLY)
    out = io.StringIO()
    write_json(fresh_store, out)
    data = {item["id"]: item for item in json.loads(out.getvalue())["conversations"]}
    assert "drafts" not in data[plain]  # conversations without drafts look as they did
    ((draft),) = data[cid]["drafts"]
    assert (draft["seq"], draft["step"], draft["text"]) == (1, "win", TYPED)
    with Store.open(tmp_path / "other.db") as other:
        assert import_json(other, io.StringIO(out.getvalue())) == (2, 0)
        assert other.drafts.get(cid, seq=1, step_id="win") == TYPED
        again = io.StringIO()
        write_json(other, again)
        assert again.getvalue() == out.getvalue()


def test_bad_drafts_in_an_import_are_refused(fresh_store: Store) -> None:
    import pytest

    from reflectcoach.store import StoreError

    cid = run(fresh_store, WEEKLY[:1], complete=False)
    fresh_store.drafts.save(cid, seq=1, step_id="win", text=TYPED)
    out = io.StringIO()
    write_json(fresh_store, out)
    (item,) = json.loads(out.getvalue())["conversations"]
    item["id"] = "0" * 12
    item["drafts"][0]["text"] = 5
    with pytest.raises(StoreError, match="draft 1: 'text' must be text"):
        import_json(fresh_store, io.StringIO(json.dumps([item])))


def test_a_draft_is_never_an_answer(fresh_store: Store) -> None:
    cid = run(fresh_store, WEEKLY[:1], complete=False)
    fresh_store.drafts.save(cid, seq=1, step_id="win", text="UNSUBMITTED words")
    markdown, table = io.StringIO(), io.StringIO(newline="")
    assert write_markdown(fresh_store, markdown) == 1
    write_csv(fresh_store, table)
    assert "UNSUBMITTED" not in markdown.getvalue()
    assert "UNSUBMITTED" not in table.getvalue()
    assert len(list(csv.reader(io.StringIO(table.getvalue())))) == 2  # header + the answer
    assert fresh_store.search("UNSUBMITTED") == []
    (row,) = fresh_store.conversations()
    assert row["answer_count"] == 1
    assert len(fresh_store.answers(cid)) == 1
