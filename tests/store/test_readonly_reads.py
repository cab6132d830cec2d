"""store/readonly.py (issue 26): `list` and `commitments` read with sqlite3 alone give what
the Store gives, on indexes, and only from a file that needs nothing the Store does."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from reflectcoach.store import Store, readonly
from reflectcoach.store.commitments import OPEN, STATUSES
from reflectcoach.store.leftover import temp_path

from .history import make_history

FAR = dt.date(2100, 1, 1)  # every dated commitment of the history is before it

# About plaintext files: an encrypted one is never read this way (no SQLite header).
pytestmark = pytest.mark.plaintext


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("readonly") / "r.db"
    make_history(path, conversations=400, answers_per=4, seed=3, commitments=True)
    return path


COMMITMENT_CASES = [
    {"mentorship": None, "statuses": OPEN, "due_before": FAR, "limit": 10},
    {"mentorship": None, "statuses": OPEN, "due_before": dt.date(2026, 6, 1), "limit": 10},
    {"mentorship": "ada", "statuses": OPEN, "due_before": FAR, "limit": 5},
    {"mentorship": "", "statuses": OPEN, "due_before": FAR, "limit": 3},
    {"mentorship": None, "statuses": STATUSES, "due_before": None, "limit": 10},
    {"mentorship": None, "statuses": OPEN, "due_before": None, "limit": None},
    {"mentorship": None, "statuses": ("done",), "due_before": FAR, "limit": 1000},
]


@pytest.mark.parametrize("case", COMMITMENT_CASES)
def test_commitments_read_alone_are_the_stores(db: Path, case: dict) -> None:
    found = readonly.commitments(db, **case)
    assert found is not None
    with Store.open(db) as store:
        expected = store.commitments.all(**case)
        total = store.commitments.count(**{k: v for k, v in case.items() if k != "limit"})
    assert found == (expected, total)
    assert expected  # each case reads something


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"mentorship": "ADA"},
        {"status": "completed", "script_id": "career"},
        {"since": "2025-06-01"},
    ],
)
@pytest.mark.parametrize("limit", [7, None])
def test_conversations_read_alone_are_the_stores(
    db: Path, filters: dict, limit: int | None
) -> None:
    found = readonly.conversations(db, limit=limit, **filters)
    assert found is not None
    with Store.open(db) as store:
        expected = store.conversations(limit=limit, **filters)
        total = store.count(**filters)
    assert found == (expected, total)


def test_every_read_is_on_an_index(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No statement scans a table: each is a range of an index, whatever the history's size."""
    said: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):  # type: ignore[no-untyped-def]
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(said.append)
        return conn

    monkeypatch.setattr(readonly.sqlite3, "connect", traced)
    for case in COMMITMENT_CASES[:4]:
        readonly.commitments(db, **case)
    readonly.conversations(db, limit=7, mentorship="Ada")
    monkeypatch.undo()
    reads = [sql for sql in said if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) >= 6
    plain = sqlite3.connect(db)
    try:
        for sql in reads:
            plan = [row[3] for row in plain.execute("EXPLAIN QUERY PLAN " + sql)]
            scans = [step for step in plan if step.startswith("SCAN") and "subquery" not in step]
            assert not scans, (sql, plan)
    finally:
        plain.close()


def test_a_file_in_use_or_older_or_with_a_leftover_goes_to_the_store(db: Path) -> None:
    case = COMMITMENT_CASES[0]
    with Store.open(db):  # a connection open: a log beside the file
        assert readonly.commitments(db, **case) is None
        assert readonly.conversations(db, limit=5) is None
    assert readonly.conversations(db, limit=5) is not None
    leftover = temp_path(db)
    leftover.write_bytes(b"")
    try:  # only Store.open removes a conversion's leftover, and says so
        assert readonly.conversations(db, limit=5) is None
    finally:
        leftover.unlink()


def test_an_older_schema_goes_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_history(path, conversations=3, answers_per=2, seed=1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 8")
    conn.close()
    # (closing the plain connection left the file as it was, but not as our last close did)
    assert readonly.conversations(path, limit=5) is None
    with Store.open(path) as store:  # migrates the number back
        assert len(store.conversations(limit=5)) == 3
    assert readonly.conversations(path, limit=5) is not None


def test_a_write_that_came_and_went_during_the_read_sends_it_to_the_store(tmp_path: Path) -> None:
    """A writer that opened, wrote and closed cleanly while the read ran (the file clean
    again at the end): what was read may be torn, so the Store reads instead."""
    path = tmp_path / "r.db"
    make_history(path, conversations=5, answers_per=2, seed=1)

    def read_while_written(conn: sqlite3.Connection) -> int:
        (before,) = conn.execute("SELECT count(*) FROM conversations").fetchone()
        with Store.open(path) as store:
            store.start(
                script_id="weekly",
                script_version=1,
                script_sha256="",
                title="Weekly",
                mentorship=None,
                current_step="q0",
            )
        return int(before)

    assert readonly._read(path, None, read_while_written) is None
    assert readonly.conversations(path, limit=None) is not None  # clean again, and read
