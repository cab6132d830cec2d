"""Upgrading a file written by the first release (schema m001 only), by hand, with raw sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reflectcoach.store import Store
from reflectcoach.store.migrations import KNOWN, migrations

from .helpers import WEEKLY, run

V1_SCHEMA = """
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE TABLE "conversations" (
   "id" TEXT PRIMARY KEY,
   "script_id" TEXT NOT NULL,
   "script_version" INTEGER NOT NULL,
   "script_sha256" TEXT NOT NULL,
   "title" TEXT NOT NULL,
   "mentorship" TEXT,
   "status" TEXT NOT NULL,
   "current_step" TEXT NOT NULL,
   "position" INTEGER NOT NULL,
   "started_at" TEXT NOT NULL,
   "updated_at" TEXT NOT NULL,
   "completed_at" TEXT
);
CREATE TABLE "answers" (
   "conversation_id" TEXT NOT NULL REFERENCES "conversations"("id"),
   "step_id" TEXT NOT NULL,
   "seq" INTEGER NOT NULL,
   "question" TEXT NOT NULL,
   "type" TEXT NOT NULL,
   "answer_text" TEXT,
   "answer_json" TEXT NOT NULL,
   "skipped" INTEGER NOT NULL,
   "answered_at" TEXT NOT NULL,
   PRIMARY KEY ("conversation_id", "seq")
);
INSERT INTO _sqlite_migrations (migration_set, name, applied_at)
    VALUES ('reflectcoach', 'm001_initial', '2025-06-01 10:00:00.000000+00:00');
"""

CONVERSATIONS = [
    # id, script, mentorship, status, current_step, position, started, updated, completed
    ("0123456789ab", "weekly", "Ada", "completed", "end", 3,
     "2025-06-02T09:00:00.000000Z", "2025-06-02T09:10:00.000000Z", "2025-06-02T09:10:00.000000Z"),
    ("abcdef012345", "weekly", None, "in_progress", "win", 1,
     "2025-06-09T09:00:00.000000Z", "2025-06-09T09:05:00.000000Z", None),
]  # fmt: skip
ANSWERS = [
    ("0123456789ab", "mood", 0, "Mood?", "scale", "6", "6", 0, "2025-06-02T09:01:00.000000Z"),
    ("0123456789ab", "win", 1, "What went well?", "text", "Kintsugi workshop",
     '"Kintsugi workshop"', 0, "2025-06-02T09:02:00.000000Z"),
    ("0123456789ab", "help", 2, "Help?", "yes_no", None, "null", 1,
     "2025-06-02T09:03:00.000000Z"),
    ("abcdef012345", "mood", 0, "Mood?", "scale", "8", "8", 0, "2025-06-09T09:01:00.000000Z"),
    # kept after back(): beyond position
    ("abcdef012345", "win", 1, "What went well?", "text", "Later thought",
     '"Later thought"', 0, "2025-06-09T09:02:00.000000Z"),
]  # fmt: skip


def make_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.executemany(
        "INSERT INTO conversations VALUES (?, ?, 1, 'f00d', 'Weekly', ?, ?, ?, ?, ?, ?, ?)",
        CONVERSATIONS,
    )
    conn.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ANSWERS)
    conn.commit()
    conn.close()


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.plaintext
def test_upgrade_from_v1_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    make_v1(path)
    before_answers = rows(path, "SELECT * FROM answers ORDER BY conversation_id, seq")
    before_conversations = rows(path, "SELECT * FROM conversations ORDER BY id")

    with Store.open(path) as store:
        names = [m.name for m in migrations.applied(store.db)]
        assert names == KNOWN
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # nothing lost, nothing changed (less the column m007 adds: commitment_id, empty)
        # (m012 keeps a value apart only when it is not its text's own JSON: answer_value)
        old_columns = (
            "conversation_id, step_id, seq, question, type, answer_text, answer_json, skipped, "
            "answered_at"
        )
        after = store.db.execute(
            f"SELECT {old_columns}, commitment_id FROM answers ORDER BY conversation_id, seq"
        ).fetchall()
        assert [row[:-1] for row in after] == before_answers
        assert {row[-1] for row in after} == {None}
        # (less the columns later migrations add: record, mentorship_key)
        assert [
            row[:-2]
            for row in store.db.execute("SELECT * FROM conversations ORDER BY id").fetchall()
        ] == before_conversations
        # the newest schema: record column, indexes, FTS over the old answers
        assert "record" in store.db.table("conversations").columns_dict
        index_names = {i.name for i in store.db.table("conversations").indexes}
        assert {"conversations_started", "conversations_script"} <= index_names
        assert [h["conversation_id"] for h in store.search("kintsugi")] == ["0123456789ab"]
        assert store.search("later") == []  # beyond position
        assert store.conversations(query="workshop")[0]["id"] == "0123456789ab"
        done = store.conversation("0123456789ab")
        assert done is not None and done["record"] is None and done["answer_count"] == 2
        assert store.recall("weekly", "win", "Ada") == ("Kintsugi workshop", "Kintsugi workshop")
        assert store.answers("abcdef012345", include_future=True)[1]["value"] == "Later thought"
        # and it keeps working: new writes reach the FTS index through the triggers
        new_id = run(store, WEEKLY)
        assert [h["conversation_id"] for h in store.search("shipped")] == [new_id]

    # reopening applies nothing twice
    with Store.open(path) as store:
        count = store.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert count == len(KNOWN)
        assert store.count() == 3
