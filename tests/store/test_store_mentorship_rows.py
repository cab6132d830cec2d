"""Mentorships as rows: created when first named, role and start from their conversations,
closed by a closing conversation, reopened, kept right through rename, merge, export and
import, and backfilled by the migration."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reflectcoach.store import Store, StoreError
from reflectcoach.store.export import write_json
from reflectcoach.store.importer import import_json

from .helpers import WEEKLY, Step, run
from .test_store_migrations import make_v1

ROLE_MENTEE: list[Step] = [("role", "Which are you?", "choice", "mentee", "the mentee")]
ROLE_MENTOR: list[Step] = [("role", "Which are you?", "choice", "mentor", "the mentor")]


def close_with(store: Store, mentorship: str, *, closes: bool = True) -> str:
    conversation_id = run(store, WEEKLY[:1], script_id="closing", complete=False,
                          mentorship=mentorship)  # fmt: skip
    store.journal(conversation_id).completed(
        record=None, position=1, current_step="end", closes_mentorship=closes
    )
    return conversation_id


def test_created_when_first_named_with_its_first_spelling(fresh_store: Store) -> None:
    run(fresh_store, WEEKLY, mentorship="Sam", complete=False)
    run(fresh_store, WEEKLY, mentorship="  sam ")
    run(fresh_store, WEEKLY, mentorship=None)
    [found] = fresh_store.mentorships.all()
    assert (found.key, found.name, found.status, found.closed_at) == ("sam", "Sam", "active", None)
    assert found.started == "2026-01-05" and found.role is None
    assert (
        fresh_store.mentorships.get("SAM") == found and fresh_store.mentorships.get("Kim") is None
    )


def test_role_is_the_latest_answer_to_a_role_step(fresh_store: Store) -> None:
    run(fresh_store, ROLE_MENTEE, mentorship="Sam")
    assert fresh_store.mentorships.find("Sam").role == "mentee"
    run(fresh_store, ROLE_MENTOR, mentorship="Sam")
    assert fresh_store.mentorships.find("Sam").role == "mentor"
    # A skipped role says nothing new.
    run(fresh_store, [("role", "Which?", "choice", None, None)], mentorship="Sam")
    assert fresh_store.mentorships.find("Sam").role == "mentor"


def test_a_closing_conversation_closes_it_and_reopen_opens_it(fresh_store: Store) -> None:
    run(fresh_store, WEEKLY, mentorship="Sam")
    close_with(fresh_store, "Sam", closes=False)
    assert fresh_store.mentorships.find("Sam").status == "active"
    close_with(fresh_store, "sam")
    closed = fresh_store.mentorships.find("Sam")
    assert closed.closed and closed.closed_at is not None
    reopened = fresh_store.mentorships.reopen("SAM")
    assert reopened.status == "active" and reopened.closed_at is None
    with pytest.raises(StoreError, match="no mentorship named 'Kim'"):
        fresh_store.mentorships.reopen("Kim")


def test_rename_and_merge_keep_one_row(fresh_store: Store) -> None:
    run(fresh_store, ROLE_MENTEE, mentorship="Sam")
    run(fresh_store, WEEKLY, mentorship="Kim")
    close_with(fresh_store, "Kim")
    fresh_store.mentorships.rename("Sam", "Samantha")
    assert [m.name for m in fresh_store.mentorships.all()] == ["Kim", "Samantha"]
    assert fresh_store.mentorships.find("samantha").role == "mentee"
    # Merging an active one into a closed one: the mentorship goes on, so it is active.
    fresh_store.mentorships.rename("Samantha", "kim")
    [merged] = fresh_store.mentorships.all()
    assert (merged.name, merged.role, merged.status) == ("Kim", "mentee", "active")
    assert merged.started == "2026-01-05"


def test_json_round_trip_carries_status_without_duplicates(
    fresh_store: Store, tmp_path: Path
) -> None:
    run(fresh_store, ROLE_MENTOR, mentorship="Sam")
    close_with(fresh_store, "Sam")
    run(fresh_store, WEEKLY, mentorship="Kim")
    out = io.StringIO()
    write_json(fresh_store, out)
    items = json.loads(out.getvalue())["conversations"]
    assert items[0]["mentorship_status"]["status"] == "closed"
    before = fresh_store.mentorships.all()
    with Store.open(tmp_path / "other.db") as other:
        assert import_json(other, io.StringIO(out.getvalue())) == (3, 0)
        assert other.mentorships.all() == before
        assert import_json(other, io.StringIO(out.getvalue())) == (0, 3)
        assert other.mentorships.all() == before
    # Into the same database: nothing added, nothing changed.
    fresh_store.mentorships.reopen("Sam")
    import_json(fresh_store, io.StringIO(out.getvalue()))
    assert fresh_store.mentorships.find("Sam").status == "active"


def test_import_refuses_a_bad_status(fresh_store: Store) -> None:
    run(fresh_store, WEEKLY, mentorship="Sam")
    out = io.StringIO()
    write_json(fresh_store, out)
    items = json.loads(out.getvalue())["conversations"]
    items[0]["mentorship_status"] = {"status": "paused", "closed_at": None}
    with pytest.raises(StoreError, match="mentorship_status"):
        import_json(fresh_store, io.StringIO(json.dumps(items)))


@pytest.mark.plaintext  # builds a file of the first release's schema, as stdlib SQLite
def test_migration_backfills_from_conversations(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    make_v1(path)
    with Store.open(path) as store:
        [ada] = store.mentorships.all()
        assert (ada.name, ada.started, ada.status, ada.role) == (
            "Ada",
            "2025-06-02",
            "active",
            None,
        )


@pytest.mark.plaintext  # builds a file of the first release's schema, as stdlib SQLite
def test_migration_closes_where_the_closing_conversation_was_completed(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "v1.db"
    make_v1(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE conversations SET script_id = 'closing' WHERE mentorship = 'Ada'")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        [ada] = store.mentorships.all()
        assert (ada.status, ada.closed_at) == ("closed", "2025-06-02T09:10:00.000000Z")


def test_deleting_its_last_conversation_forgets_it(fresh_store: Store) -> None:
    first = run(fresh_store, ROLE_MENTEE, mentorship="Sam")
    fresh_store.clock.set("2026-02-01T09:00:00")  # type: ignore[attr-defined]
    second = run(fresh_store, WEEKLY, mentorship="Sam")
    fresh_store.delete(first)
    found = fresh_store.mentorships.find("Sam")
    assert (found.started, found.role) == ("2026-02-01", None)
    fresh_store.delete(second)
    assert fresh_store.mentorships.all() == []
