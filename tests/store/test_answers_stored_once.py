"""m012 (issue 26): a text answer is stored once. A file written before it (schema 11, every
value also as JSON in `answer_json`) migrates in one transaction: every row reads back the
same bytes, search finds the same rows, SQLite's and FTS5's checks pass, the table is smaller;
a migration that fails half way leaves the file as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflectcoach.store import Store, migrations
from reflectcoach.store.rows import encode_value, stored_value

from .history import COMMON_WORD, RARE_WORD, make_history

# Built and checked with raw sqlite3: about plaintext files.
pytestmark = pytest.mark.plaintext

# The answers table as m001..m011 left it (its last column added by m007).
ANSWERS_M011 = """
CREATE TABLE "answers_m011" (
   "conversation_id" TEXT NOT NULL REFERENCES "conversations"("id"),
   "step_id" TEXT NOT NULL,
   "seq" INTEGER NOT NULL,
   "question" TEXT NOT NULL,
   "type" TEXT NOT NULL,
   "answer_text" TEXT,
   "answer_json" TEXT NOT NULL,
   "skipped" INTEGER NOT NULL,
   "answered_at" TEXT NOT NULL, "commitment_id" TEXT,
   PRIMARY KEY ("conversation_id", "seq")
)
"""
COLUMNS = (
    "conversation_id, step_id, seq, question, type, answer_text, answer_json, skipped, "
    "answered_at, commitment_id"
)
HOSTILE = [f'say "hi" {RARE_WORD}\\', "tab\there\nline", "\x1f\x7f\u2028 é 🙂", "", "  "]
WORDS = (COMMON_WORD, RARE_WORD, "feedback", "quot*", "zzzz")


def as_schema_11(path: Path) -> None:
    """Rewrite a current file as version 11 wrote it: `answer_json` a column of its own."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        # What later migrations made (m013's summary and its triggers) goes first: version
        # 11 had none of it, and the migration adds it again after m012.
        later = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name LIKE 'numeric_summary%' "
            "AND type IN ('trigger', 'table') ORDER BY type DESC"
        ).fetchall()
        for kind, name in later:
            conn.execute(f"DROP {kind.upper()} {name}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name > 'm012'")
        kept = [
            sql
            for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'answers' "
                "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
            )
        ]
        conn.execute(ANSWERS_M011)
        conn.execute(
            f"INSERT INTO answers_m011 (rowid, {COLUMNS}) SELECT rowid, {COLUMNS} FROM answers"
        )
        conn.execute("DROP TABLE answers")
        conn.execute("ALTER TABLE answers_m011 RENAME TO answers")
        for sql in kept:
            conn.execute(sql)
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm012_answers_stored_once'")
        conn.execute("PRAGMA user_version = 11")
        conn.execute("COMMIT")
        conn.execute("VACUUM")  # as a file that never had the new table
    finally:
        conn.close()


def read(path: Path) -> tuple[list[tuple], dict[str, list[int]], int]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"SELECT rowid, {COLUMNS} FROM answers ORDER BY rowid").fetchall()
        found = {
            word: [
                r
                for (r,) in conn.execute(
                    "SELECT rowid FROM answers_fts WHERE answers_fts MATCH ? ORDER BY rowid",
                    [f'"{word}"' if not word.endswith("*") else word],
                )
            ]
            for word in WORDS
        }
        (size,) = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'answers'").fetchone()
        return rows, found, int(size)
    finally:
        conn.close()


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    make_history(path, conversations=150, answers_per=8, seed=2)
    with Store.open(path) as store:  # answers no generator writes: controls, quotes, blanks
        conversation = store.start(
            script_id="weekly",
            script_version=1,
            script_sha256="",
            title="Weekly",
            mentorship=None,
            current_step="q0",
        )
        journal = store.journal(conversation)
        for seq, text in enumerate(HOSTILE):
            journal.answered(
                step_id=f"q{seq}",
                question=f"Question {seq}?",
                qtype="text",
                text=text,
                value=text,
                skipped=False,
                seq=seq,
                position=seq + 1,
                current_step=f"q{seq + 1}",
                discard_from=None,
            )
        journal.answered(
            step_id="shown",
            question="A choice, shown by its label?",
            qtype="choice",
            text="A bit of both",
            value="mixed",
            skipped=False,
            seq=len(HOSTILE),
            position=len(HOSTILE) + 1,
            current_step="end",
            discard_from=None,
        )
    as_schema_11(path)
    return path


def test_a_schema_11_file_migrates_with_every_row_and_match_kept(old_file: Path) -> None:
    rows, found, size = read(old_file)
    assert all(found[w] for w in (COMMON_WORD, RARE_WORD))
    with Store.open(old_file) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        store.db.execute("INSERT INTO answers_fts(answers_fts, rank) VALUES ('integrity-check', 1)")
        hits = store.search(RARE_WORD, limit=1000)
        assert {h["answer_text"] for h in hits if h.get("answer_text")}
        kept_apart = store.db.execute(
            "SELECT count(*) FROM answers WHERE answer_value IS NOT NULL "
            "AND type IN ('text', 'long_text')"
        ).fetchone()[0]
        assert kept_apart == 0  # every text answer's value is its text: stored once
        (choice,) = store.db.execute(
            "SELECT answer_value FROM answers WHERE step_id = 'shown'"
        ).fetchone()
        assert choice == '"mixed"'  # a value that is not its text stays apart
    after, found_after, size_after = read(old_file)
    assert after == rows  # the same bytes in every column, answer_json included
    assert found_after == found
    assert size_after < size * 0.8


def test_a_migration_that_fails_half_way_leaves_the_file_as_it_was(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows, found, _ = read(old_file)
    # The copy fails after the new table was made: the transaction takes all of it back.
    monkeypatch.setattr(migrations, "_KEPT", "no_such_column")
    with pytest.raises(Exception):  # noqa: B017 - whatever the Store calls it
        Store.open(old_file)
    conn = sqlite3.connect(old_file)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 11
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        assert "answers_m012" not in names
    finally:
        conn.close()
    assert read(old_file)[:2] == (rows, found)
    monkeypatch.undo()
    with Store.open(old_file):
        pass
    assert read(old_file)[:2] == (rows, found)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text(), st.integers(), st.lists(st.text(max_size=3))))
def test_the_value_kept_apart_is_exactly_what_sqlite_would_not_compute(
    text: str, value: object
) -> None:
    """`answer_json` reads `answer_value`, or else `json_quote(answer_text)`: whatever is
    written, it reads back exactly the JSON the Store encoded."""
    shown = None if value is None else text
    answer_json = encode_value(value)
    kept = stored_value(answer_json, shown)
    conn = sqlite3.connect(":memory:")
    try:
        (computed,) = conn.execute("SELECT coalesce(?, json_quote(?))", [kept, shown]).fetchone()
    finally:
        conn.close()
    assert computed == answer_json
