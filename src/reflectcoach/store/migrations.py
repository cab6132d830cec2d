"""The schema, as an ordered set of sqlite-utils migrations applied when a Store opens.

Never edit a migration that has shipped: add a new one. `m001_initial` is the first release's
schema; later ones upgrade files written by older versions (tests/store/test_migrations.py
builds such a file by hand).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import mentorship_rows, mentorship_state, numeric_summary, rows
from .errors import StoreError, damaged
from .files import Library, read_schema
from .mentorships import mentorship_key

if TYPE_CHECKING:
    from .key import Key

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
def m004_mentorship_key(db: Database) -> None:
    # Names match ignoring case and spacing (store/mentorships.py): the key is computed in
    # Python, since SQLite's lower() knows only ASCII. Files written before this may hold
    # "Sam" and "sam" as two mentorships: they become one, shown as first written.
    conversations = db.table("conversations")
    conversations.add_column("mentorship_key", str)
    shown: dict[str, str] = {}
    updates: list[tuple[str | None, str | None, int]] = []
    rows = db.execute(
        "SELECT rowid, mentorship FROM conversations WHERE mentorship IS NOT NULL "
        "ORDER BY started_at, rowid"
    ).fetchall()
    for rowid, name in rows:
        key = mentorship_key(name)
        # A blank name (some other writer's) is no mentorship; else the first spelling.
        first = None if key is None else shown.setdefault(key, " ".join(name.split()))
        updates.append((first, key, rowid))
    db.conn.executemany(
        "UPDATE conversations SET mentorship = ?, mentorship_key = ? WHERE rowid = ?", updates
    )
    conversations.create_index(
        ["mentorship_key", "started_at"], index_name="conversations_mentorship_key"
    )


@migrations()
def m005_drafts(db: Database) -> None:
    # Text typed but not yet given as an answer (store/drafts.py): one row per place in the
    # path, like answers, and never read as one.
    db["drafts"].create(
        {"conversation_id": str, "seq": int, "step_id": str, "text": str, "updated_at": str},
        pk=("conversation_id", "seq"),
        not_null={"conversation_id", "seq", "step_id", "text", "updated_at"},
        foreign_keys=[("conversation_id", "conversations", "id")],
    )


@migrations()
def m006_leases(db: Database) -> None:
    # Which session may write a conversation (store/leases.py). No foreign key: a lease is
    # not data, is never exported, and a row left by a deleted conversation is never read.
    db["leases"].create(
        {
            "conversation_id": str,
            "token": str,
            "pid": int,
            "hostname": str,
            "started_at": str,
            "renewed_at": str,
            "released_at": str,
        },
        pk="conversation_id",
        not_null={"conversation_id", "token", "pid", "hostname", "started_at", "renewed_at"},
    )


@migrations()
def m007_commitments(db: Database) -> None:
    # What people said they would do (store/commitments.py), made when a conversation
    # completes, and every change of their status (the mentorship's timeline reads these).
    db["commitments"].create(
        {
            "id": str,
            "mentorship": str,
            "mentorship_key": str,
            "text": str,
            "goal": str,
            "due": str,
            "status": str,
            "reason": str,
            "conversation_id": str,
            "step_id": str,
            "seq": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"id", "text", "status", "created_at", "updated_at"},
    )
    commitments = db.table("commitments")
    commitments.create_index(["mentorship_key", "status", "due"], index_name="commitments_key")
    commitments.create_index(["status", "due"], index_name="commitments_status_due")
    commitments.create_index(["conversation_id"], index_name="commitments_conversation")
    commitments.enable_fts(["text", "goal"], create_triggers=True)
    db["commitment_events"].create(
        {
            "id": str,
            "commitment_id": str,
            "at": str,
            "source": str,
            "conversation_id": str,
            "from_status": str,
            "to_status": str,
            "from_due": str,
            "to_due": str,
            "reason": str,
        },
        pk="id",
        not_null={"id", "commitment_id", "at", "source", "to_status"},
    )
    db.table("commitment_events").create_index(
        ["commitment_id", "at"], index_name="commitment_events_commitment"
    )
    # A follow_up step is answered once per commitment (and part): the row says which, so
    # a resume asks exactly where it stopped.
    db.table("answers").add_column("commitment_id", str)


@migrations()
def m008_mentorships(db: Database) -> None:
    # A mentorship as a thing of its own (store/mentorship_rows.py): its role, start and
    # whether it is closed. Conversations keep their name and key; this mirrors them.
    db["mentorships"].create(
        {
            "mentorship_key": str,
            "name": str,
            "role": str,
            "started": str,
            "status": str,
            "closed_at": str,
        },
        pk="mentorship_key",
        not_null={"mentorship_key", "name", "started", "status"},
    )
    mentorship_rows.backfill(db)


@migrations()
def m009_mentorship_state(db: Database) -> None:
    # What a mentorship agreed and where it stands (store/mentorship_state.py): fields,
    # goals with their revisions, talking points; backfilled from the built-ins' answers.
    mentorship_state.create_tables(db)
    mentorship_state.backfill(db)


@migrations()
def m010_exchange(db: Database) -> None:
    # The exchange with a partner (store/partners.py): this person's identity (public keys;
    # the secret keys only where no keyring exists), the partner linked to each mentorship,
    # what the partner last shared (their side, never mixed with this person's rows), and
    # which records go with the next share. Self-contained: reads and changes no other table.
    db["identity"].create(
        {
            "slot": str,
            "age_recipient": str,
            "signing_public": str,
            "secret_where": str,
            "age_secret": str,
            "signing_secret": str,
            "created_at": str,
        },
        pk="slot",
        not_null={"slot", "age_recipient", "signing_public", "secret_where", "created_at"},
    )
    db["partners"].create(
        {
            "mentorship_key": str,
            "age_recipient": str,
            "signing_public": str,
            "linked_at": str,
            "sent_seq": int,
            "received_seq": int,
            "received_at": str,
            "made_at": str,
        },
        pk="mentorship_key",
        not_null={"mentorship_key", "age_recipient", "signing_public", "linked_at"},
    )
    db.table("partners").create_index(
        ["signing_public"], index_name="partners_signing", unique=True
    )
    db["partner_sections"].create(
        {
            "mentorship_key": str,
            "section": str,
            "version": int,
            "body_json": str,
            "seq": int,
            "received_at": str,
        },
        pk=("mentorship_key", "section"),
        not_null={"mentorship_key", "section", "version", "body_json", "seq", "received_at"},
    )
    db["outbox"].create(
        {"conversation_id": str, "kind": str, "marked_at": str},
        pk="conversation_id",
        not_null={"conversation_id", "kind", "marked_at"},
    )


@migrations()
def m011_sync(db: Database) -> None:
    # Devices of one person converging over a folder they sync (store/sync_rows.py): every
    # version of a conversation seen in the change log, what each local row was last
    # written or merged at, the change-log files already read, and this device's settings.
    db["sync_settings"].create({"name": str, "value": str}, pk="name", not_null={"value"})
    db["sync_versions"].create(
        {
            "conversation_id": str,
            "version": str,
            "parent": str,
            "content": str,
            "device": str,
            "at": str,
            "completed": int,
            "data": str,
        },
        pk=("conversation_id", "version"),
        not_null={"conversation_id", "version", "content", "device", "at", "completed"},
    )
    db["sync_versions"].create_index(["parent"], index_name="sync_versions_parent")
    db["sync_local"].create(
        {
            "conversation_id": str,
            "version": str,
            "content": str,
            "copy_of": str,
            "fingerprint": str,
        },
        pk="conversation_id",
        not_null={"conversation_id", "version", "content"},
    )
    db["sync_files"].create(
        {"name": str, "sha256": str, "read_at": str},
        pk="name",
        not_null={"name", "sha256", "read_at"},
    )


# m012: the answers table, every text answer stored once. Its value used to be stored a second
# time as JSON (`answer_json` = json_quote(answer_text): a third of a lifetime's file). Now
# `answer_value` holds the JSON only when it is not the text's own, and `answer_json` is a
# virtual column computed from the two, so every reader reads what it read before.
ANSWERS_M012 = """
CREATE TABLE "answers_m012" (
   "conversation_id" TEXT NOT NULL REFERENCES "conversations"("id"),
   "step_id" TEXT NOT NULL,
   "seq" INTEGER NOT NULL,
   "question" TEXT NOT NULL,
   "type" TEXT NOT NULL,
   "answer_text" TEXT,
   "answer_value" TEXT,
   "answer_json" TEXT NOT NULL
      GENERATED ALWAYS AS (coalesce("answer_value", json_quote("answer_text"))) VIRTUAL,
   "skipped" INTEGER NOT NULL,
   "answered_at" TEXT NOT NULL,
   "commitment_id" TEXT,
   PRIMARY KEY ("conversation_id", "seq")
)
"""
_KEPT = (
    "conversation_id, step_id, seq, question, type, answer_text, skipped, answered_at, "
    "commitment_id"
)


@migrations()
def m012_answers_stored_once(db: Database) -> None:
    # The rows keep their rowids, which the FTS index (external content: the answers table
    # itself) refers to, and their question and answer_text, which it indexed: the index stays
    # as it is. The triggers and indexes on the table go with it and are made again.
    schema = [
        sql
        for (sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'answers' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
        )
    ]
    db.execute(ANSWERS_M012)
    db.execute(
        f"INSERT INTO answers_m012 (rowid, {_KEPT}, answer_value) SELECT rowid, {_KEPT}, "
        "CASE WHEN answer_json = json_quote(answer_text) THEN NULL ELSE answer_json END "
        "FROM answers"
    )
    db.execute("DROP TABLE answers")
    db.execute("ALTER TABLE answers_m012 RENAME TO answers")
    for sql in schema:
        db.execute(sql)


@migrations()
def m013_numeric_summary(db: Database) -> None:
    # Insights' question list kept per question for settled conversations, by triggers,
    # and filled from the history here, in the migration's transaction
    # (store/numeric_summary.py).
    numeric_summary.create(db)


KNOWN = [
    m.__name__
    for m in (
        m001_initial,
        m002_record_indexes_fts,
        m003_conversations_series_index,
        m004_mentorship_key,
        m005_drafts,
        m006_leases,
        m007_commitments,
        m008_mentorships,
        m009_mentorship_state,
        m010_exchange,
        m011_sync,
        m012_answers_stored_once,
        m013_numeric_summary,
    )
]


# The schema's number, kept in the file's header (`PRAGMA user_version`) as well as in
# sqlite-utils' table of applied migrations: any SQLite tool shows it, and a file from a newer
# version is refused even if that version recorded its migrations differently.
SCHEMA_VERSION = len(KNOWN)
if SCHEMA_VERSION != rows.SCHEMA_VERSION:  # a new migration must move both
    raise RuntimeError(
        f"rows.SCHEMA_VERSION is {rows.SCHEMA_VERSION}; migrations know {SCHEMA_VERSION}"
    )


def check_file(
    path: Path, key: Key | None = None, library: Library = "sqlite3", *, verify: bool = True
) -> None:
    """Refuse a file that is not ours before a connection that could write to it exists:
    opening another program's database read-write checkpoints its WAL, rolls back its journal
    and, for a file holding only views, would add our tables beside them. `verify`: run
    SQLite's quick_check too (`integrity.needs_check`, asked before this process held it)."""
    schema = read_schema(path, SET_NAME, check=verify, key=key, library=library)
    if schema is None:
        return
    if not schema.applied and schema.objects:
        raise damaged(path, "it holds other tables or views and no reflectcoach data")
    _refuse_newer(schema.applied, path, schema.user_version)
    if schema.problem is not None:
        raise damaged(path, f"SQLite's integrity check says: {schema.problem}")


def _refuse_newer(applied: list[str], path: Path, user_version: int) -> None:
    unknown = [name for name in applied if name not in KNOWN]
    if user_version > SCHEMA_VERSION:
        unknown.insert(0, f"version {user_version}; this one knows up to {SCHEMA_VERSION}")
    if unknown:
        raise StoreError(
            f"The reflection database {path} was written by a newer version of reflectcoach "
            f"(schema {', '.join(unknown)}). Upgrade reflectcoach to use it; it has not been "
            "changed."
        )


def user_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def check(db: Database, path: Path) -> bool:
    """Before anything is written: is this file ours (or empty) and not from a newer version?
    Returns whether migrations are pending."""
    applied = [m.name for m in migrations.applied(db)]
    if not applied and _user_tables(db):
        raise damaged(path, "it holds other tables and no reflectcoach data")
    version = user_version(db)
    _refuse_newer(applied, path, version)
    # A file from before user_version was kept has every migration and version 0: it gets
    # its number on this open (one small write, once).
    return bool(set(KNOWN) - set(applied)) or version < SCHEMA_VERSION


def upgrade(db: Database, path: Path) -> None:
    """Apply pending migrations and record the schema number. Call inside a write transaction
    (BEGIN IMMEDIATE) so two processes opening the same new file cannot both create the
    schema; checks again there."""
    if check(db, path):
        migrations.apply(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _user_tables(db: Database) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
