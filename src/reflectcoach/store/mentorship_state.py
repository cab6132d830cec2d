"""What a mentorship agreed and where it stands (m009): its fields (partner, rhythm,
midpoint, end, feedback preferences, whether one manages the other), its goals with every
revision (set, re-aimed, reached, dropped: when, why, which conversation), and its talking
points (open, discussed, dropped). Several goals may be open: the first set is the goal being
worked on (`{mentorship.goal}`), the others wait beside it (`{mentorship.goals}` lists all).

Scripts write it by declaring `sets: mentorship.FIELD` on a question (script/
mentorship_fields.py): the answers are applied when the conversation completes, in the
completion's transaction (`apply`). A value whose answer is only in the record's just-for-me
parts is kept `private` and never leaves in a shared copy, a calendar or a brief `--share`.
Reading is always by one mentorship's key.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from . import mentorship_rows, mentorships
from .facet import Facet

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .mentorship_lookup import StateValue

REVISION_KINDS = ("set", "re-aimed", "reached", "dropped")
POINT_STATUSES = ("open", "discussed", "dropped")
FIELD_COLUMNS = ("mentorship_key", "field", "value_json", "text", "private", "conversation_id")
FIELD_COLUMNS_ALL = (*FIELD_COLUMNS, "set_at")
REVISION_COLUMNS = (
    "id",
    "mentorship_key",
    "goal_id",
    "kind",
    "text",
    "reason",
    "private",
    "conversation_id",
    "at",
)
POINT_COLUMNS = (
    "id",
    "mentorship_key",
    "text",
    "status",
    "private",
    "conversation_id",
    "created_at",
    "updated_at",
)

# How a built-in conversation stored before m009 said these things: the migration's
# backfill reads them (script id, step id) -> field, in the order conversations completed.
BUILTIN_SETS: dict[tuple[str, str], str] = {
    ("first_meeting", "partner"): "partner",
    ("first_meeting", "manages"): "manages",
    ("first_meeting", "midpoint"): "midpoint",
    ("first_meeting", "frequency"): "rhythm",
    ("first_meeting", "feedback_me"): "my_feedback",
    ("goal_setting", "goal"): "goal",
    ("midpoint_review", "partner"): "partner",
    ("midpoint_review", "new_goal"): "goal",
    ("check_in", "partner"): "partner",
    ("check_in", "next_meeting"): "next_meeting",
    ("closing", "partner"): "partner",
}


def new_id() -> str:
    return uuid.uuid4().hex[:12]


class SetLike(Protocol):
    """One `sets:` answer of a completed conversation (engine/sets.py's SetValue is one)."""

    @property
    def field(self) -> str: ...

    @property
    def value(self) -> Any: ...

    @property
    def text(self) -> str: ...

    @property
    def private(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SetValue:
    """A value the backfill sets, as a completed built-in conversation would have."""

    field: str
    value: Any
    text: str
    private: bool = False


@dataclass(frozen=True, slots=True)
class Field:
    field: str
    value: Any
    text: str
    private: bool
    conversation_id: str | None
    set_at: str


@dataclass(frozen=True, slots=True)
class Revision:
    id: str
    goal_id: str
    kind: str  # REVISION_KINDS
    text: str | None
    reason: str | None
    private: bool
    conversation_id: str | None
    at: str

    @property
    def day(self) -> str:
        return self.at[:10]


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    revisions: tuple[Revision, ...]

    @property
    def text(self) -> str:
        """The goal as it stands: its latest wording."""
        return next((r.text for r in reversed(self.revisions) if r.text), "")

    @property
    def first(self) -> str:
        return next((r.text for r in self.revisions if r.text), "")

    @property
    def status(self) -> str:
        """open, reached or dropped."""
        last = self.revisions[-1].kind
        return last if last in ("reached", "dropped") else "open"

    @property
    def private(self) -> bool:
        return any(r.private for r in self.revisions if r.text)

    @property
    def reaimed(self) -> bool:
        return any(r.kind == "re-aimed" for r in self.revisions)


@dataclass(frozen=True, slots=True)
class TalkingPoint:
    id: str
    text: str
    status: str  # POINT_STATUSES
    private: bool
    conversation_id: str | None
    created_at: str
    updated_at: str


def create_tables(db: Database) -> None:
    db["mentorship_fields"].create(
        {
            "mentorship_key": str,
            "field": str,
            "value_json": str,
            "text": str,
            "private": int,
            "conversation_id": str,
            "set_at": str,
        },
        pk=("mentorship_key", "field"),
        not_null={"mentorship_key", "field", "set_at"},
    )
    db["goal_revisions"].create(
        {
            "id": str,
            "mentorship_key": str,
            "goal_id": str,
            "kind": str,
            "text": str,
            "reason": str,
            "private": int,
            "conversation_id": str,
            "at": str,
        },
        pk="id",
        not_null={"id", "mentorship_key", "goal_id", "kind", "at"},
    )
    db.table("goal_revisions").create_index(
        ["mentorship_key", "at"], index_name="goal_revisions_mentorship"
    )
    db["talking_points"].create(
        {
            "id": str,
            "mentorship_key": str,
            "text": str,
            "status": str,
            "private": int,
            "conversation_id": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"id", "mentorship_key", "text", "status", "created_at", "updated_at"},
    )
    db.table("talking_points").create_index(
        ["mentorship_key", "status"], index_name="talking_points_mentorship"
    )


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


# Writing


def apply(
    db: Database, key: str, conversation_id: str | None, values: Sequence[SetLike], now: str
) -> None:
    """A completed conversation's `sets:` answers, in the order answered. `goal` sets the
    first goal or re-aims the current one (when the words differ), with `goal_reason` as the
    why; `new_goal` adds a goal beside the open ones; `goal_reached` (yes) marks the current
    one reached; `talking_points` adds one point per line; every other field keeps its
    latest value."""
    reason = next((v.text for v in values if v.field == "goal_reason" and v.text), None)
    for item in values:
        if item.value is None or item.field == "goal_reason":
            continue
        if item.field == "goal":
            set_goal(db, key, item.text, now, conversation_id, reason, private=item.private)
        elif item.field == "new_goal":
            add_goal(db, key, item.text, now, conversation_id, reason, private=item.private)
        elif item.field == "goal_reached":
            if item.value is True or item.value == "yes":
                close_goal(db, key, "reached", now, conversation_id)
        elif item.field == "talking_points":
            for line in item.text.splitlines():
                if line.strip():
                    add_point(db, key, line.strip(), now, conversation_id, private=item.private)
        else:
            set_field(db, key, item, now, conversation_id)


def set_field(db: Database, key: str, item: SetLike, now: str, conversation_id: str | None) -> None:
    db.execute(
        "INSERT INTO mentorship_fields (mentorship_key, field, value_json, text, private, "
        "conversation_id, set_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(mentorship_key, field) DO UPDATE SET value_json = excluded.value_json, "
        "text = excluded.text, private = excluded.private, "
        "conversation_id = excluded.conversation_id, set_at = excluded.set_at",
        [
            key,
            item.field,
            json.dumps(item.value, ensure_ascii=False),
            item.text,
            int(item.private),
            conversation_id,
            now,
        ],
    )


def _revise(
    db: Database,
    key: str,
    goal_id: str,
    kind: str,
    text: str | None,
    now: str,
    conversation_id: str | None,
    reason: str | None = None,
    *,
    private: bool = False,
) -> None:
    db.table("goal_revisions").insert(
        {
            "id": new_id(),
            "mentorship_key": key,
            "goal_id": goal_id,
            "kind": kind,
            "text": text,
            "reason": reason,
            "private": int(private),
            "conversation_id": conversation_id,
            "at": now,
        }
    )


def set_goal(
    db: Database,
    key: str,
    text: str,
    now: str,
    conversation_id: str | None,
    reason: str | None = None,
    *,
    private: bool = False,
) -> None:
    """The mentorship's goal: a new one when none is open, else the open one re-aimed (the
    most recent), unless the words are the same."""
    if not text.strip():
        return
    current = current_goal(db, key)
    if current is None:
        _revise(db, key, new_id(), "set", text, now, conversation_id, reason, private=private)
    elif not _same(current.text, text):
        _revise(
            db, key, current.id, "re-aimed", text, now, conversation_id, reason, private=private
        )


def add_goal(
    db: Database,
    key: str,
    text: str,
    now: str,
    conversation_id: str | None,
    reason: str | None = None,
    *,
    private: bool = False,
) -> str | None:
    """A goal beside the open ones (the current goal stays current): its id, or None when
    the words are empty or those of an open goal, so that asking again adds nothing."""
    if not text.strip() or any(_same(g.text, text) for g in open_goals(db, key)):
        return None
    goal_id = new_id()
    _revise(db, key, goal_id, "set", text, now, conversation_id, reason, private=private)
    return goal_id


def close_goal(
    db: Database,
    key: str,
    kind: str,
    now: str,
    conversation_id: str | None,
    reason: str | None = None,
) -> bool:
    current = current_goal(db, key)
    if current is None:
        return False
    _revise(db, key, current.id, kind, None, now, conversation_id, reason)
    return True


def add_point(
    db: Database,
    key: str,
    text: str,
    now: str,
    conversation_id: str | None = None,
    *,
    private: bool = False,
) -> str:
    """The new point's id; or, when an open point of this mentorship already says the same
    (spacing and case aside), that one's: noting it twice, or preparing the same meeting
    again, keeps one point to discuss."""
    same = " ".join(text.split()).casefold()
    for point in points(db, key):
        if " ".join(point.text.split()).casefold() == same:
            return point.id
    point_id = new_id()
    db.table("talking_points").insert(
        {
            "id": point_id,
            "mentorship_key": key,
            "text": text,
            "status": "open",
            "private": int(private),
            "conversation_id": conversation_id,
            "created_at": now,
            "updated_at": now,
        }
    )
    return point_id


def set_point(db: Database, point_id: str, status: str, now: str) -> bool:
    if status not in POINT_STATUSES:
        raise ValueError(status)
    cursor = db.execute(
        "UPDATE talking_points SET status = ?, updated_at = ? WHERE id = ?",
        [status, now, point_id],
    )
    return cursor.rowcount > 0


def move(db: Database, old_key: str, new_key: str) -> None:
    """After a rename or merge: the state goes with the conversations. A merge keeps the
    target's fields where both have one."""
    if old_key == new_key:
        return
    db.execute(
        "INSERT OR IGNORE INTO mentorship_fields SELECT ?, field, value_json, text, private, "
        "conversation_id, set_at FROM mentorship_fields WHERE mentorship_key = ?",
        [new_key, old_key],
    )
    db.execute("DELETE FROM mentorship_fields WHERE mentorship_key = ?", [old_key])
    for table in ("goal_revisions", "talking_points"):
        db.execute(
            f"UPDATE {table} SET mentorship_key = ? WHERE mentorship_key = ?", [new_key, old_key]
        )


def forget(db: Database, key: str) -> None:
    for table in ("mentorship_fields", "goal_revisions", "talking_points"):
        db.execute(f"DELETE FROM {table} WHERE mentorship_key = ?", [key])


# Reading


def fields(db: Database, key: str) -> dict[str, Field]:
    rows = db.execute(
        "SELECT field, value_json, text, private, conversation_id, set_at "
        "FROM mentorship_fields WHERE mentorship_key = ?",
        [key],
    ).fetchall()
    return {
        name: Field(name, json.loads(value) if value else None, text or "", bool(p), c, at)
        for name, value, text, p, c, at in rows
    }


def goals(db: Database, key: str) -> list[Goal]:
    """Every goal of the mentorship, oldest first, each with its revisions in order."""
    rows = db.execute(
        f"SELECT {', '.join(REVISION_COLUMNS)} FROM goal_revisions WHERE mentorship_key = ? "
        "ORDER BY at, rowid",
        [key],
    ).fetchall()
    found: dict[str, list[Revision]] = {}
    for rid, _key, goal_id, kind, text, reason, private, conversation_id, at in rows:
        found.setdefault(goal_id, []).append(
            Revision(rid, goal_id, kind, text, reason, bool(private), conversation_id, at)
        )
    return [Goal(goal_id, tuple(revisions)) for goal_id, revisions in found.items()]


def open_goals(db: Database, key: str) -> list[Goal]:
    """The open goals, the current one first, then in the order they were set."""
    return [g for g in goals(db, key) if g.status == "open"]


def current_goal(db: Database, key: str) -> Goal | None:
    """The goal being worked on: the first set of the open ones, else None. A goal added
    beside it (`new_goal`) waits until it is reached or dropped, so adding one never moves
    what check-ins, the midpoint review and closing judge; `goal` re-aims this one."""
    found = open_goals(db, key)
    return found[0] if found else None


def points(db: Database, key: str, *, statuses: Iterable[str] = ("open",)) -> list[TalkingPoint]:
    wanted = list(statuses)
    marks = ", ".join("?" for _ in wanted)
    rows = db.execute(
        f"SELECT {', '.join(POINT_COLUMNS)} FROM talking_points WHERE mentorship_key = ? "
        f"AND status IN ({marks}) ORDER BY created_at, rowid",
        [key, *wanted],
    ).fetchall()
    return [
        TalkingPoint(pid, text, status, bool(private), conversation_id, created, updated)
        for pid, _key, text, status, private, conversation_id, created, updated in rows
    ]


def revision_line(revision: Revision, before: str | None) -> str:
    """One revision in words: `2026-05-02: re-aimed: "old" -> "new" (why)`."""
    why = f" ({' '.join(revision.reason.split())})" if revision.reason else ""
    text = " ".join((revision.text or "").split())
    if revision.kind == "set":
        return f"{revision.day}: set: \u201c{text}\u201d{why}"
    if revision.kind == "re-aimed":
        old = " ".join((before or "").split())
        return f"{revision.day}: re-aimed: \u201c{old}\u201d -> \u201c{text}\u201d{why}"
    return f"{revision.day}: {revision.kind}{why}"


def history_lines(goal: Goal) -> list[str]:
    lines, before = [], None
    for revision in goal.revisions:
        lines.append(revision_line(revision, before))
        if revision.text:
            before = revision.text
    return lines


class MentorshipState(Facet):
    """`store.state`: one mentorship's agreement, goals and talking points."""

    def key(self, name: str) -> str:
        key = mentorships.mentorship_key(name)
        if key is None:
            raise ValueError("a mentorship needs a name")
        return key

    def fields(self, name: str) -> dict[str, Field]:
        return fields(self.db, self.key(name))

    def goals(self, name: str) -> list[Goal]:
        return goals(self.db, self.key(name))

    def current_goal(self, name: str) -> Goal | None:
        return current_goal(self.db, self.key(name))

    def open_goals(self, name: str) -> list[Goal]:
        return open_goals(self.db, self.key(name))

    def points(self, name: str, *, statuses: Iterable[str] = ("open",)) -> list[TalkingPoint]:
        return points(self.db, self.key(name), statuses=statuses)

    def lookup(self, name: str | None, field_name: str) -> StateValue | None:
        from .mentorship_lookup import lookup  # cycle: it builds on this module's readers

        return lookup(self.db, mentorships.mentorship_key(name), field_name)

    def add_point(self, name: str, text: str, *, private: bool = False) -> str:
        """A talking point for the mentorship `name` (created if new, like `start`)."""
        key = self.key(name)
        now = self.clock()
        with self.transaction() as db:
            shown = mentorships.first_written(db, key) or " ".join(name.split())
            mentorship_rows.ensure(db, key, shown, now)
            return add_point(db, key, text, now, private=private)

    def keep(self, name: str, field_name: str, value: Any, text: str) -> None:
        """A field the person sets outside a conversation (the agreement's acceptance)."""
        key = self.key(name)
        with self.transaction() as db:
            set_field(db, key, SetValue(field_name, value, text), self.clock(), None)

    def set_point(self, point_id: str, status: str) -> bool:
        with self.transaction() as db:
            return set_point(db, point_id, status, self.clock())

    def set_goal(self, name: str, text: str, reason: str | None = None) -> None:
        key = self.key(name)
        with self.transaction() as db:
            set_goal(db, key, text, self.clock(), None, reason)


def backfill(db: Database) -> None:
    """The state the built-in conversations already stored (BUILTIN_SETS), replayed in the
    order they completed: the migration that adds the tables runs it once."""
    rows = db.execute(
        "SELECT c.id, c.mentorship_key, c.script_id, c.completed_at, a.step_id, a.answer_json, "
        "a.answer_text FROM conversations c JOIN answers a ON a.conversation_id = c.id "
        "WHERE c.status = 'completed' AND c.mentorship_key IS NOT NULL AND a.skipped = 0 "
        "AND a.seq < c.position ORDER BY c.completed_at, c.rowid, a.seq"
    ).fetchall()
    by_conversation: dict[str, tuple[str, str, list[SetValue]]] = {}
    for cid, key, script_id, completed_at, step_id, answer_json, answer_text in rows:
        target = BUILTIN_SETS.get((script_id, step_id))
        if target is None:
            continue
        try:
            value = json.loads(answer_json) if answer_json else None
        except ValueError:
            continue
        entry = by_conversation.setdefault(cid, (key, completed_at, []))
        entry[2].append(SetValue(target, value, answer_text or ""))
    for cid, (key, completed_at, values) in by_conversation.items():
        apply(db, key, cid, values, completed_at)
