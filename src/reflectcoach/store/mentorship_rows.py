"""Mentorships as rows of their own: name, the person's role in it, when it started, whether
it is closed.

Conversations stay the authority on which mentorship they belong to (`mentorship_key`);
the `mentorships` table keeps what a mentorship is as a whole. Its row is written in the
same transaction as whatever changes it: created when a conversation first names it
(`Store.start`), its role refreshed when one of its conversations completes, closed when a
conversation of a script with `closes_mentorship: true` completes, reopened by the person,
and kept right through rename and merge (store/mentorships.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

ROLES = ("mentee", "mentor")
MENTORSHIP_STATUSES = ("active", "closed")
# The step id whose answer says which side of the mentorship the person is on.
ROLE_STEP = "role"


@dataclass(frozen=True, slots=True)
class Mentorship:
    key: str
    name: str
    role: str | None  # "mentee", "mentor", or None when no conversation asked
    started: str  # YYYY-MM-DD: the day of its first conversation
    status: str  # "active" | "closed"
    closed_at: str | None  # UTC ISO time it was closed

    @property
    def closed(self) -> bool:
        return self.status == "closed"


COLUMNS = ("mentorship_key", "name", "role", "started", "status", "closed_at")


def from_row(row: tuple[Any, ...]) -> Mentorship:
    key, name, role, started, status, closed_at = row
    return Mentorship(key, name, role, started, status, closed_at)


def get(db: Database, key: str) -> Mentorship | None:
    row = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM mentorships WHERE mentorship_key = ?", [key]
    ).fetchone()
    return None if row is None else from_row(row)


def ensure(db: Database, key: str, name: str, started_at: str) -> None:
    """The mentorship's row, created when a conversation first names it (nothing changes
    for one that exists)."""
    db.execute(
        "INSERT INTO mentorships (mentorship_key, name, role, started, status, closed_at) "
        "VALUES (?, ?, NULL, substr(?, 1, 10), 'active', NULL) "
        "ON CONFLICT(mentorship_key) DO NOTHING",
        [key, name, started_at],
    )


def latest_role(db: Database, key: str) -> str | None:
    """The latest answer to a `role` step on the path of any of its conversations, when it
    is one of ROLES."""
    row = db.execute(
        "SELECT a.answer_json FROM conversations c JOIN answers a ON a.conversation_id = c.id "
        "WHERE c.mentorship_key = ? AND a.step_id = ? AND a.skipped = 0 AND a.seq < c.position "
        "AND a.answer_json IN ('\"mentee\"', '\"mentor\"') "
        "ORDER BY a.answered_at DESC, a.seq DESC LIMIT 1",
        [key, ROLE_STEP],
    ).fetchone()
    return None if row is None else str(row[0]).strip('"')


def completed(db: Database, key: str, conversation_id: str) -> None:
    """A conversation of the mentorship completed: its own `role` answer, if it gave one,
    is the role from now on. Reads only its own answers (a full `refresh` reads every
    conversation of the mentorship: 26-50 ms for one with a thousand, on every completion)."""
    row = db.execute(
        "SELECT a.answer_json FROM answers a JOIN conversations c ON c.id = a.conversation_id "
        "WHERE a.conversation_id = ? AND a.step_id = ? AND a.skipped = 0 AND a.seq < c.position "
        "ORDER BY a.seq DESC LIMIT 1",
        [conversation_id, ROLE_STEP],
    ).fetchone()
    if row is not None and str(row[0]).strip('"') in ROLES:
        db.execute(
            "UPDATE mentorships SET role = ? WHERE mentorship_key = ?",
            [str(row[0]).strip('"'), key],
        )


def refresh(db: Database, key: str) -> None:
    """Recompute what the conversations say: name (as first written), start day and role;
    the row is created if missing, its status kept. A key with no conversation left keeps
    its row as it was."""
    found = db.execute(
        "SELECT mentorship, started_at FROM conversations WHERE mentorship_key = ? "
        "ORDER BY started_at, rowid LIMIT 1",
        [key],
    ).fetchone()
    if found is None:
        return
    name, started_at = found
    ensure(db, key, name, started_at)
    db.execute(
        "UPDATE mentorships SET name = ?, started = substr(?, 1, 10), role = ? "
        "WHERE mentorship_key = ?",
        [name, started_at, latest_role(db, key), key],
    )


def forget_if_empty(db: Database, key: str) -> None:
    """After a delete: a mentorship with no conversation left is no mentorship (its row
    goes); one with some left has its start and role read again."""
    if db.execute("SELECT 1 FROM conversations WHERE mentorship_key = ? LIMIT 1", [key]).fetchone():
        refresh(db, key)
    else:
        db.execute("DELETE FROM mentorships WHERE mentorship_key = ?", [key])
        for table in ("mentorship_fields", "goal_revisions", "talking_points"):
            db.execute(f"DELETE FROM {table} WHERE mentorship_key = ?", [key])


def set_closed(db: Database, key: str, closed_at: str | None) -> bool:
    """Close (with a time) or reopen (None); False when there is no such mentorship."""
    cursor = db.execute(
        "UPDATE mentorships SET status = ?, closed_at = ? WHERE mentorship_key = ?",
        ["active" if closed_at is None else "closed", closed_at, key],
    )
    return cursor.rowcount > 0


def merge(db: Database, old_key: str, new_key: str) -> None:
    """After a rename (`old_key`'s conversations now carry `new_key`): one row for the
    mentorship. A merge keeps the target's status unless only the renamed one was active."""
    if old_key == new_key:
        refresh(db, new_key)
        return
    old = get(db, old_key)
    target = get(db, new_key)
    db.execute("DELETE FROM mentorships WHERE mentorship_key = ?", [old_key])
    if target is None and old is not None:
        db.table("mentorships").insert(
            {
                "mentorship_key": new_key,
                "name": old.name,
                "role": old.role,
                "started": old.started,
                "status": old.status,
                "closed_at": old.closed_at,
            }
        )
    elif target is not None and old is not None and not old.closed and target.closed:
        set_closed(db, new_key, None)
    refresh(db, new_key)


def backfill(db: Database) -> None:
    """Every mentorship the conversations name, as the migration that adds the table finds
    them. A file from before `closes_mentorship` existed is closed where the built-in
    closing conversation was completed (its only closing script then)."""
    keys = [
        key
        for (key,) in db.execute(
            "SELECT DISTINCT mentorship_key FROM conversations WHERE mentorship_key IS NOT NULL"
        ).fetchall()
    ]
    for key in keys:
        refresh(db, key)
    db.execute(
        "UPDATE mentorships SET status = 'closed', closed_at = ("
        "SELECT max(completed_at) FROM conversations c WHERE c.mentorship_key = "
        "mentorships.mentorship_key AND c.script_id = 'closing' AND c.status = 'completed') "
        "WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.mentorship_key = "
        "mentorships.mentorship_key AND c.script_id = 'closing' AND c.status = 'completed')"
    )
