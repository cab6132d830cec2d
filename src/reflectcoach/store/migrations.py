"""The schema, as an ordered set of sqlite-utils migrations applied when a Store opens.

Never edit a migration that has shipped: add a new one. `m001_initial` is the first release's
schema; later ones upgrade files written by older versions (tests/store/test_migrations.py
builds such a file by hand).
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .errors import StoreError, damaged

SET_NAME = "reflectcoach"
migrations = Migrations(SET_NAME)


@migrations()
def m001_initial(db: Database) -> None:
    db["conversations"].create(
        {
            "id": str,
            "script_id": str,
            "script_version": int,
            "script_sha256": str,
            "title": str,
            "mentorship": str,
            "status": str,
            "current_step": str,
            "position": int,
            "started_at": str,
            "updated_at": str,
            "completed_at": str,
        },
        pk="id",
        not_null={
            "script_id",
            "script_version",
            "script_sha256",
            "title",
            "status",
            "current_step",
            "position",
            "started_at",
            "updated_at",
        },
    )
    db["answers"].create(
        {
            "conversation_id": str,
            "step_id": str,
            "seq": int,
            "question": str,
            "type": str,
            "answer_text": str,
            "answer_json": str,
            "skipped": int,
            "answered_at": str,
        },
        # A row is a place in the path: a script that loops asks a step more than once.
        pk=("conversation_id", "seq"),
        not_null={
            "conversation_id",
            "step_id",
            "seq",
            "question",
            "type",
            "answer_json",
            "skipped",
            "answered_at",
        },
        foreign_keys=[("conversation_id", "conversations", "id")],
    )


@migrations()
def m002_record_indexes_fts(db: Database) -> None:
    conversations = db.table("conversations")
    conversations.add_column("record", str)
    conversations.create_index(["started_at"], index_name="conversations_started")
    conversations.create_index(["script_id", "started_at"], index_name="conversations_script")
    conversations.create_index(["mentorship", "started_at"], index_name="conversations_mentorship")
    conversations.create_index(["status", "updated_at"], index_name="conversations_status")
    conversations.create_index(
        ["script_id", "status", "completed_at"], index_name="conversations_completed"
    )
    answers = db.table("answers")
    # Partial and nearly covering: numeric_series reads only these ~1 in 5 answers.
    db.execute(
        "CREATE INDEX answers_numeric "
        "ON answers(conversation_id, step_id, seq, answered_at, answer_json) "
        "WHERE type IN ('scale', 'number') AND skipped = 0"
    )
    answers.enable_fts(["question", "answer_text"], create_triggers=True)


@migrations()
def m003_conversations_series_index(db: Database) -> None:
    # Insights group numeric answers by (mentorship, script): walking this index gives each
    # group's conversations together, with the id and position the join needs, so every
    # GROUP BY sorts one group's answers and not the whole history (store/insights.py).
    db.execute(
        "CREATE INDEX conversations_series ON conversations(mentorship, script_id, id, position)"
    )


@migrations()
def m004_drafts(db: Database) -> None:
    # Text typed but not yet given as an answer (store/drafts.py): one row per place in the
    # path, like answers, and never read as one.
    db["drafts"].create(
        {"conversation_id": str, "seq": int, "step_id": str, "text": str, "updated_at": str},
        pk=("conversation_id", "seq"),
        not_null={"conversation_id", "seq", "step_id", "text", "updated_at"},
        foreign_keys=[("conversation_id", "conversations", "id")],
    )


KNOWN = [
    m.__name__
    for m in (
        m001_initial,
        m002_record_indexes_fts,
        m003_conversations_series_index,
        m004_drafts,
    )
]


def check(db: Database, path: Path) -> bool:
    """Before anything is written: is this file ours (or empty) and not from a newer version?
    Returns whether migrations are pending."""
    applied = [m.name for m in migrations.applied(db)]
    if not applied and _user_tables(db):
        raise damaged(path, "it holds other tables and no reflectcoach data")
    unknown = [name for name in applied if name not in KNOWN]
    if unknown:
        raise StoreError(
            f"The reflection database {path} was written by a newer version of reflectcoach "
            f"(schema {', '.join(unknown)}). Upgrade reflectcoach to use it; it has not been "
            "changed."
        )
    return bool(set(KNOWN) - set(applied))


def upgrade(db: Database, path: Path) -> None:
    """Apply pending migrations. Call inside a write transaction (BEGIN IMMEDIATE) so two
    processes opening the same new file cannot both create the schema; checks again there."""
    if check(db, path):
        migrations.apply(db)


def _user_tables(db: Database) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
