"""Commitments: what a person said they would do, by when, and what became of it.

A row is made when the conversation holding a `commitment:` step completes (never before: an
abandoned draft of a plan is not a promise), in that completion's transaction. Its status then
changes from the CLI, the app, or a later conversation's `follow_up` step; every change is
also a `commitment_events` row (when, from where, from which status and due date), so a
mentorship's timeline can tell the story later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from .errors import StoreError, guarded
from .facet import Facet
from .fts import match_expression
from .rows import ID_LENGTH, mentorship_key

if TYPE_CHECKING:  # `reflectcoach commitments` reads without sqlite-utils (readonly.py)
    from sqlite_utils import Database

STATUSES = ("open", "done", "partly", "not_yet", "dropped")
# "Open" in lists and follow-ups: not finished with, one way or the other.
OPEN = ("open", "partly", "not_yet")
SOURCES = ("cli", "app", "conversation", "import")
COLUMNS = (
    "id",
    "mentorship",
    "mentorship_key",
    "text",
    "goal",
    "due",
    "status",
    "reason",
    "conversation_id",
    "step_id",
    "seq",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "id",
    "commitment_id",
    "at",
    "source",
    "conversation_id",
    "from_status",
    "to_status",
    "from_due",
    "to_due",
    "reason",
)
WEEK = 7


@dataclass(frozen=True, slots=True)
class Commitment:
    id: str
    mentorship: str | None
    text: str
    goal: str | None
    due: dt.date | None
    status: str  # one of STATUSES
    reason: str | None  # why dropped, or what is left when partly done
    conversation_id: str | None  # the conversation that made it
    step_id: str | None
    seq: int | None
    created_at: str
    updated_at: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due is not None and self.due < today


class Made(Protocol):
    """A commitment a completing conversation makes (engine: followup.Made)."""

    @property
    def text(self) -> str: ...
    @property
    def due(self) -> str | None: ...  # ISO date
    @property
    def goal(self) -> str | None: ...
    @property
    def step_id(self) -> str: ...
    @property
    def seq(self) -> int: ...


class Outcome(Protocol):
    """A follow-up's answer about one commitment (engine: followup.Outcome)."""

    @property
    def commitment_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def due(self) -> str | None: ...
    @property
    def reason(self) -> str | None: ...


# ORDER's columns (all but `due IS NULL`: due_soon reads dated ones only), by position.
_ORDER_AT = [COLUMNS.index(n) for n in ("due", "created_at", "conversation_id", "seq", "id")]


@dataclass(frozen=True, slots=True)
class DueGroup:
    """One mentorship's open commitments, for home: overdue, due within a week, the rest
    (later, then undated)."""

    mentorship: str | None
    overdue: tuple[Commitment, ...]
    this_week: tuple[Commitment, ...]
    later: tuple[Commitment, ...]
    more: int = 0  # overdue or this week, beyond those read (`Commitments.due_soon`)


def new_id() -> str:
    return uuid.uuid4().hex[:ID_LENGTH]


def _day(value: object) -> dt.date | None:
    """A stored due date; None for none, or for one some other writer left unreadable."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def from_row(row: Sequence[Any] | dict[str, Any]) -> Commitment:
    values = row if isinstance(row, dict) else dict(zip(COLUMNS, row, strict=True))
    due = values["due"]
    return Commitment(
        id=values["id"],
        mentorship=values["mentorship"],
        text=values["text"],
        goal=values["goal"],
        due=_day(due),
        status=values["status"],
        reason=values["reason"],
        conversation_id=values["conversation_id"],
        step_id=values["step_id"],
        seq=values["seq"],
        created_at=values["created_at"],
        updated_at=values["updated_at"],
    )


def sort_key(item: Commitment) -> tuple[bool, dt.date, str, str, int, str]:
    """As ORDER, in Python."""
    return (
        item.due is None,
        item.due or dt.date.min,
        item.created_at,
        item.conversation_id or "",
        item.seq or 0,
        item.id,
    )


# Oldest due first, undated last; then in the order they were made.
ORDER = "due IS NULL, due, created_at, conversation_id, seq, id"
_REVERSED = "due IS NULL DESC, due DESC, created_at DESC, conversation_id DESC, seq DESC, id DESC"
SELECT = f"SELECT {', '.join(COLUMNS)} FROM commitments"


def select(
    db: Database,
    *,
    mentorship: str | None = None,
    statuses: Collection[str] | None = None,
    due_before: dt.date | None = None,
    created_before: str | None = None,
    conversation_id: str | None = None,
    limit: int | None = None,
    last: bool = False,
) -> list[Commitment]:
    """In ORDER; `limit`: the first that many, or with `last` the last that many."""
    clause, params = where_clause(
        mentorship=mentorship,
        statuses=statuses,
        due_before=due_before,
        created_before=created_before,
        conversation_id=conversation_id,
    )
    sql = f"{SELECT}{clause} ORDER BY {_REVERSED if last else ORDER} LIMIT ?"
    found = [from_row(row) for row in db.execute(sql, [*params, -1 if limit is None else limit])]
    if last:
        found.reverse()
    return found


def where_clause(
    *,
    mentorship: str | None = None,
    statuses: Collection[str] | None = None,
    due_before: dt.date | None = None,
    created_before: str | None = None,
    conversation_id: str | None = None,
) -> tuple[str, list[Any]]:
    """SQL ` WHERE ...` (possibly empty) for `select`, and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if mentorship is not None:
        key = mentorship_key(mentorship)
        clauses.append("mentorship_key IS NULL" if key is None else "mentorship_key = ?")
        params.extend([] if key is None else [key])
    if statuses is not None:
        unknown = [s for s in statuses if s not in STATUSES]
        if unknown:
            raise StoreError(
                f"Unknown commitment status {unknown[0]!r}: use {', '.join(STATUSES)}."
            )
        clauses.append(f"status IN ({', '.join('?' for _ in statuses)})")
        params.extend(statuses)
    if due_before is not None:
        clauses.append("due IS NOT NULL AND due < ?")
        params.append(due_before.isoformat())
    if created_before is not None:
        clauses.append("created_at <= ?")
        params.append(created_before)
    if conversation_id is not None:
        clauses.append("conversation_id = ?")
        params.append(conversation_id)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


def by_ids(db: Database, ids: Iterable[str]) -> list[Commitment]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = db.execute(f"{SELECT} WHERE id IN ({marks}) ORDER BY {ORDER}", wanted).fetchall()
    return [from_row(row) for row in rows]


def resolve(db: Database, prefix: str) -> Commitment:
    """The one commitment whose id starts with `prefix`; StoreError if none or several."""
    wanted = prefix.strip().lower()
    if not wanted or any(ch not in "0123456789abcdef" for ch in wanted):
        raise StoreError(f"No commitment has the id {prefix!r} (ids are hex, like 3f9a2c).")
    rows = db.execute(
        f"{SELECT} WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", [wanted, wanted + "g"]
    ).fetchall()
    if not rows:
        raise StoreError(f"No commitment has an id starting with {wanted!r}.")
    if len(rows) > 1:
        raise StoreError(
            f"More than one commitment has an id starting with {wanted!r}; type more of the id."
        )
    return from_row(rows[0])


def insert_made(db: Database, conversation_id: str, made: Sequence[Made], now: str) -> list[str]:
    """The rows a completing conversation makes, in its mentorship; call inside its
    transaction. Returns their ids."""
    row = db.execute(
        "SELECT mentorship, mentorship_key FROM conversations WHERE id = ?", [conversation_id]
    ).fetchone()
    mentorship, key = (None, None) if row is None else row
    ids = []
    for item in made:
        commitment_id = new_id()
        db.table("commitments").insert(
            {
                "id": commitment_id,
                "mentorship": mentorship,
                "mentorship_key": key,
                "text": item.text,
                "goal": item.goal,
                "due": item.due,
                "status": "open",
                "reason": None,
                "conversation_id": conversation_id,
                "step_id": item.step_id,
                "seq": item.seq,
                "created_at": now,
                "updated_at": now,
            },
            pk="id",
        )
        _event(
            db, commitment_id, now, "conversation", conversation_id, None, "open", None, item.due
        )
        ids.append(commitment_id)
    return ids


def delete_made_by(db: Database, conversation_id: str) -> None:
    """With the conversation that made them (deleting it deletes what it said)."""
    db.execute(
        "DELETE FROM commitment_events WHERE commitment_id IN "
        "(SELECT id FROM commitments WHERE conversation_id = ?)",
        [conversation_id],
    )
    db.table("commitments").delete_where("conversation_id = ?", [conversation_id])


def still_there(db: Database, outcomes: Sequence[Outcome]) -> list[Outcome]:
    """The outcomes whose commitment still exists: one deleted (with the conversation that
    made it) while a follow-up was open must not stop that follow-up completing."""
    known = {o.commitment_id for o in outcomes}
    found = {c.id for c in by_ids(db, known)}
    return [o for o in outcomes if o.commitment_id in found]


def change(
    db: Database,
    commitment_id: str,
    status: str,
    *,
    due: str | None,
    reason: str | None,
    source: str,
    conversation_id: str | None,
    now: str,
    carried: bool = False,
) -> Commitment:
    """Set a commitment's status (inside a transaction), keeping the change as an event.
    `not_yet` needs the new due date, which replaces the old; `reason` is kept for dropped
    and partly, cleared otherwise. `carried`: no new date at closing, the date is cleared
    (carried on as the person's own, never overdue)."""
    if status not in STATUSES:
        raise StoreError(f"Unknown commitment status {status!r}: use {', '.join(STATUSES)}.")
    if source not in SOURCES:
        raise StoreError(f"Unknown source {source!r} for a commitment change.")
    rows = db.execute(f"{SELECT} WHERE id = ?", [commitment_id]).fetchall()
    if not rows:
        raise StoreError(f"There is no commitment {commitment_id!r} in the database.")
    before = from_row(rows[0])
    if status == "not_yet" and due is None and not carried:
        raise StoreError("A commitment that is not done yet needs a new date (--date).")
    old_due = None if before.due is None else before.due.isoformat()
    new_due = None if carried else (due if due is not None else old_due)
    kept = reason if status in ("dropped", "partly") else None
    db.execute(
        "UPDATE commitments SET status = ?, due = ?, reason = ?, updated_at = ? WHERE id = ?",
        [status, new_due, kept, now, commitment_id],
    )
    _event(
        db,
        commitment_id,
        now,
        source,
        conversation_id,
        before.status,
        status,
        old_due,
        new_due,
        kept,
    )
    return from_row(db.execute(f"{SELECT} WHERE id = ?", [commitment_id]).fetchone())


def _event(
    db: Database,
    commitment_id: str,
    now: str,
    source: str,
    conversation_id: str | None,
    from_status: str | None,
    to_status: str,
    from_due: str | None,
    to_due: str | None,
    reason: str | None = None,
) -> None:
    db.table("commitment_events").insert(
        {
            "id": new_id(),
            "commitment_id": commitment_id,
            "at": now,
            "source": source,
            "conversation_id": conversation_id,
            "from_status": from_status,
            "to_status": to_status,
            "from_due": from_due,
            "to_due": to_due,
            "reason": reason,
        },
        pk="id",
    )


def events(db: Database, commitment_id: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE commitment_id = ? ", [commitment_id]) if commitment_id else ("", [])
    cursor = db.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM commitment_events {where}ORDER BY at, rowid",
        params,
    )
    return [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in cursor]


def summary(items: Iterable[Commitment], today: dt.date) -> list[DueGroup]:
    """Open commitments grouped by mentorship: those with something overdue first, then by
    the soonest date."""
    week = today + dt.timedelta(days=WEEK)
    groups: dict[str | None, list[Commitment]] = {}
    for item in items:
        key = mentorship_key(item.mentorship)
        groups.setdefault(key, []).append(item)
    result = []
    for found in groups.values():
        overdue = tuple(c for c in found if c.due is not None and c.due < today)
        soon = tuple(c for c in found if c.due is not None and today <= c.due <= week)
        later = tuple(c for c in found if c.due is None or c.due > week)
        result.append(DueGroup(found[0].mentorship, overdue, soon, later))
    far = dt.date.max
    result.sort(
        key=lambda g: (
            not g.overdue,
            min((c.due or far for c in (*g.overdue, *g.this_week, *g.later)), default=far),
            g.mentorship or "",
        )
    )
    return result


class Commitments(Facet):
    """`store.commitments`: what a person said they would do, and what became of it."""

    @guarded
    def all(
        self,
        *,
        mentorship: str | None = None,
        statuses: Collection[str] | None = None,
        due_before: dt.date | None = None,
        limit: int | None = None,
        last: bool = False,
    ) -> list[Commitment]:
        """Oldest due first, undated last. `mentorship` matches by key ("" for none);
        `due_before`: only dated ones due before that day; `limit`: the first that many, or
        with `last` the last that many (still oldest due first)."""
        return select(
            self.db,
            mentorship=mentorship,
            statuses=statuses,
            due_before=due_before,
            limit=limit,
            last=last,
        )

    @guarded
    def count(
        self,
        *,
        mentorship: str | None = None,
        statuses: Collection[str] | None = None,
        due_before: dt.date | None = None,
    ) -> int:
        """How many `all(...)` with the same filters would return without a limit."""
        clause, params = where_clause(
            mentorship=mentorship, statuses=statuses, due_before=due_before
        )
        return int(
            self.db.execute(f"SELECT count(*) FROM commitments{clause}", params).fetchone()[0]
        )

    @guarded
    def get(self, prefix: str) -> Commitment:
        return resolve(self.db, prefix)

    @guarded
    def by_id(self, ids: Iterable[str]) -> list[Commitment]:
        return by_ids(self.db, ids)

    @guarded
    def events(self, commitment_id: str | None = None) -> list[dict[str, Any]]:
        """Status changes, oldest first (of one commitment, or all)."""
        return events(self.db, commitment_id)

    @guarded
    def set_status(
        self,
        id: str,
        status: str,
        *,
        due: dt.date | None = None,
        reason: str | None = None,
        source: str = "cli",
    ) -> Commitment:
        now = self.clock()
        with self.transaction() as db:
            return change(
                db,
                id,
                status,
                due=None if due is None else due.isoformat(),
                reason=reason,
                source=source,
                conversation_id=None,
                now=now,
            )

    @guarded
    def search(self, text: str, *, limit: int = 50) -> list[Commitment]:
        """Commitments whose words or goal match every word of `text` (the FTS index that
        answers use), most recently made first."""
        expression = match_expression(text)
        if expression is None or limit <= 0:
            return []
        sql = (
            f"SELECT {', '.join('c.' + n for n in COLUMNS)} FROM commitments_fts "
            "JOIN commitments c ON c.rowid = commitments_fts.rowid "
            "WHERE commitments_fts MATCH ? ORDER BY commitments_fts.rowid DESC LIMIT ?"
        )
        return [from_row(row) for row in self.db.execute(sql, [expression, limit]).fetchall()]

    @guarded
    def due_summary(self, today: dt.date) -> list[DueGroup]:
        return summary(select(self.db, statuses=OPEN), today)

    @guarded
    def due_soon(self, today: dt.date, first: int) -> list[DueGroup]:
        """What home's due list shows, read as shown: per mentorship, the `first` open
        commitments overdue or due within a week (in due order) and how many more there are
        (`more`), groups in `due_summary`'s order (that order depends on those alone); no
        `later` ones. Each mentorship is sought in commitments_key (mentorship_key, status,
        due): a few rows read per status and a count from the index, not every open
        commitment of fifty years made into objects. A due date not written as YYYY-MM-DD
        (no writer of ours leaves one) counts as none, as `due_summary` counts an unreadable
        one."""
        week = (today + dt.timedelta(days=WEEK)).isoformat()
        keys = [
            key
            for (key,) in self.db.execute(
                "WITH RECURSIVE k(key) AS (SELECT min(mentorship_key) FROM commitments "
                "UNION ALL SELECT (SELECT min(mentorship_key) FROM commitments "
                "WHERE mentorship_key > k.key) FROM k WHERE k.key IS NOT NULL) "
                "SELECT key FROM k WHERE key IS NOT NULL"
            )
        ]
        if self.db.execute(
            "SELECT 1 FROM commitments WHERE mentorship_key IS NULL LIMIT 1"
        ).fetchone():
            keys.append(None)
        due = (
            "due <= ? AND due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(due) = due"
        )
        items: list[Commitment] = []
        totals: dict[str | None, int] = {}
        for key in keys:
            which = "mentorship_key IS ?"
            found = []
            for status in OPEN:
                found += self.db.execute(
                    f"{SELECT} INDEXED BY commitments_key WHERE {which} AND status = ? "
                    f"AND {due} ORDER BY {ORDER} LIMIT ?",
                    [key, status, week, first],
                ).fetchall()
            if not found:
                continue
            # The three statuses' rows merged in ORDER (SQLite sorts NULL first).
            found.sort(key=lambda row: [(row[i] is not None, row[i]) for i in _ORDER_AT])
            (totals[key],) = self.db.execute(
                f"SELECT count(*) FROM commitments INDEXED BY commitments_key WHERE {which} "
                f"AND status IN ({', '.join('?' for _ in OPEN)}) AND {due}",
                [key, *OPEN, week],
            ).fetchone()
            items += [from_row(row) for row in found[:first]]
        groups = []
        for group in summary(items, today):
            read = len(group.overdue) + len(group.this_week)
            groups.append(replace(group, more=totals[mentorship_key(group.mentorship)] - read))
        return groups
