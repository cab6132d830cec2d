"""Commitments in exports and imports.

JSON: the export's `commitments` and `commitment_events` sections, the commitments the
exported conversations made and their events (ids kept, so importing twice adds nothing),
each read from a cursor as it is written. Markdown: a "Commitments" part under the
conversation that made each. Import also reads the list-format export's last element,
`{"commitments": [...], "commitment_events": [...]}`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter
from typing import Any

from sqlite_utils import Database

from reflectcoach.core.days import readable
from reflectcoach.core.text import markdown_escape

from .commitments import COLUMNS, EVENT_COLUMNS, SOURCES, STATUSES, Commitment, from_row
from .mentorships import display_name, first_written, mentorship_key
from .queries import where_clause
from .rows import ID_LENGTH, Filters, format_time

KEY = "commitments"
EVENTS_KEY = "commitment_events"
EXPORTED = tuple(c for c in COLUMNS if c != "mentorship_key")
_ID = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}\Z")


def _made_by(filters: Filters) -> tuple[str, list[Any]] | None:
    where = where_clause(**filters)
    if where is None:
        return None
    clause, params = where
    return f"conversation_id IN (SELECT c.id FROM conversations c{clause})", params


def json_rows(db: Database, filters: Filters) -> Iterator[dict[str, Any]]:
    """The commitments the conversations `filters` export made, oldest first, from a cursor
    (the export writes them as they come)."""
    made = _made_by(filters)
    if made is None:
        return
    clause, params = made
    sql = f"SELECT {', '.join(EXPORTED)} FROM commitments WHERE {clause} ORDER BY created_at, id"
    for row in db.execute(sql, params):
        yield dict(zip(EXPORTED, row, strict=True))


def json_events(db: Database, filters: Filters) -> Iterator[dict[str, Any]]:
    """The events of `json_rows`' commitments, in order, from a cursor."""
    made = _made_by(filters)
    if made is None:
        return
    clause, params = made
    sql = (
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM commitment_events WHERE commitment_id IN "
        f"(SELECT id FROM commitments WHERE {clause}) ORDER BY at, rowid"
    )
    for row in db.execute(sql, params):
        yield dict(zip(EVENT_COLUMNS, row, strict=True))


def by_conversation(db: Database, filters: Filters) -> Iterator[tuple[str, list[Commitment]]]:
    """For the Markdown export: the commitments each exported conversation made, as made, by
    conversation in the export's order (oldest first) and only those with some: read beside
    the conversations, a conversation's at a time."""
    where = where_clause(**filters)
    if where is None:
        return
    clause, params = where
    columns = ", ".join(f"k.{name}" for name in COLUMNS)
    # CROSS JOIN keeps the conversations the outer loop, so only each one's commitments are
    # sorted (by seq), never the whole table.
    sql = (
        f"SELECT {columns} FROM conversations c CROSS JOIN commitments k "
        f"ON k.conversation_id = c.id{clause} ORDER BY c.started_at, c.rowid, k.seq, k.id"
    )
    items = (from_row(row) for row in db.execute(sql, params))
    for conversation_id, made in groupby(items, key=attrgetter("conversation_id")):
        yield conversation_id or "", list(made)


def markdown_part(items: list[Commitment]) -> str:
    if not items:
        return ""
    lines = ["\n### Commitments\n\n"]
    for item in items:
        what = " ".join(item.text.split())
        when = f"by {readable(item.due)}" if item.due is not None else "no date"
        status = item.status.replace("_", " ")
        extra = f" ({' '.join(item.reason.split())})" if item.reason else ""
        line = f"- {markdown_escape(what, '- ')} — {when}, {status}"
        lines.append(line + (markdown_escape(extra, line) if extra else "") + "\n")
    return "".join(lines)


# Import


class Invalid(Exception):
    pass


def is_part(item: Any) -> bool:
    return isinstance(item, dict) and KEY in item and "id" not in item


def _text(item: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or (not optional and not value.strip()):
        raise Invalid(f"{key!r} must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(f"{key!r} holds an unpaired surrogate, which is not text") from None
    return value


def _ident(item: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _ID.match(value):
        raise Invalid(f"{key!r} must be {ID_LENGTH} lowercase hex characters")
    return value


def _day(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) else _bad(key)
    except ValueError:
        return _bad(key)


def _bad(key: str) -> str:
    raise Invalid(f"{key!r} must be a date (YYYY-MM-DD) or null")


def _time(item: dict[str, Any], key: str) -> str:
    value = _text(item, key)
    try:
        return format_time(dt.datetime.fromisoformat(value or ""))
    except (ValueError, OverflowError):
        raise Invalid(f"{key!r} must be an ISO-8601 time") from None


def _commitment(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise Invalid("must be an object")
    status = item.get("status")
    if status not in STATUSES:
        raise Invalid(f"'status' must be one of {', '.join(STATUSES)}")
    seq = item.get("seq")
    if seq is not None and (
        isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < 2**63
    ):  # 2**63 and up: no SQLite integer holds it
        raise Invalid("'seq' must be a whole number, 0 or more, or null")
    return {
        "id": _ident(item, "id"),
        "mentorship": display_name(_text(item, "mentorship", optional=True)),
        "text": _text(item, "text"),
        "goal": _text(item, "goal", optional=True),
        "due": _day(item, "due"),
        "status": status,
        "reason": _text(item, "reason", optional=True),
        "conversation_id": _ident(item, "conversation_id", optional=True),
        "step_id": _text(item, "step_id", optional=True),
        "seq": seq,
        "created_at": _time(item, "created_at"),
        "updated_at": _time(item, "updated_at"),
    }


def _event(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise Invalid("must be an object")
    if item.get("source") not in SOURCES:
        raise Invalid(f"'source' must be one of {', '.join(SOURCES)}")
    for key in ("from_status", "to_status"):
        if item.get(key) is not None and item.get(key) not in STATUSES:
            raise Invalid(f"{key!r} must be one of {', '.join(STATUSES)}")
    if item.get("to_status") is None:
        raise Invalid("'to_status' must be one of " + ", ".join(STATUSES))
    return {
        "id": _ident(item, "id"),
        "commitment_id": _ident(item, "commitment_id"),
        "at": _time(item, "at"),
        "source": item["source"],
        "conversation_id": _ident(item, "conversation_id", optional=True),
        "from_status": item.get("from_status"),
        "to_status": item["to_status"],
        "from_due": _day(item, "from_due"),
        "to_due": _day(item, "to_due"),
        "reason": _text(item, "reason", optional=True),
    }


Part = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def read_part(item: dict[str, Any]) -> Part:
    """Validated rows of an export's commitments element; Invalid says what is wrong."""
    rows, events = item.get(KEY), item.get(EVENTS_KEY, [])
    if not isinstance(rows, list) or not isinstance(events, list):
        raise Invalid(f"'{KEY}' and '{EVENTS_KEY}' must be lists")
    commitments = []
    for index, row in enumerate(rows):
        try:
            commitments.append(_commitment(row))
        except Invalid as exc:
            raise Invalid(f"commitment {index + 1}: {exc}") from None
    found = []
    for index, row in enumerate(events):
        try:
            found.append(_event(row))
        except Invalid as exc:
            raise Invalid(f"commitment event {index + 1}: {exc}") from None
    return commitments, found


def check_links(parts: list[Part], conversations: set[str]) -> dict[str, str]:
    """Every event's commitment is in the file; returns the commitments whose conversation is
    not in the file ({conversation id: label}), which must then be in the database."""
    ids = {row["id"] for commitments, _ in parts for row in commitments}
    elsewhere: dict[str, str] = {}
    for commitments, events in parts:
        for index, event in enumerate(events):
            if event["commitment_id"] not in ids:
                raise Invalid(
                    f"commitment event {index + 1}: its commitment {event['commitment_id']} "
                    "is not in the file"
                )
        for index, row in enumerate(commitments):
            made_by = row["conversation_id"]
            if made_by is not None and made_by not in conversations:
                elsewhere.setdefault(made_by, f"commitment {index + 1}")
    return elsewhere


def check_made_here(db: Database, elsewhere: dict[str, str]) -> None:
    """Inside the import's transaction: the conversations `check_links` left to the database."""
    if not elsewhere:
        return
    wanted = json.dumps(list(elsewhere))
    sql = "SELECT id FROM conversations WHERE id IN (SELECT value FROM json_each(?))"
    here = {found for (found,) in db.execute(sql, [wanted])}
    for made_by, label in elsewhere.items():
        if made_by not in here:
            raise Invalid(
                f"{label}: the conversation that made it, {made_by}, is neither in the file "
                "nor in this database"
            )


def write_part(db: Database, parts: list[Part]) -> None:
    """Inside the import's transaction: the rows not already here (by id); names matched to
    the mentorships here, as conversations are."""
    rows = [row for commitments, _ in parts for row in commitments]
    events = [event for _, found in parts for event in found]
    table, event_table = db.table("commitments"), db.table("commitment_events")
    present = {r[0] for r in db.execute("SELECT id FROM commitments")} if rows else set()
    shown: dict[str, str] = {}
    new = []
    for row in rows:
        if row["id"] in present:
            continue
        present.add(row["id"])
        key = mentorship_key(row["mentorship"])
        if key is not None:
            shown.setdefault(key, first_written(db, key) or row["mentorship"])
        new.append({**row, "mentorship_key": key, "mentorship": shown.get(key or "")})
    table.insert_all(new, pk="id", batch_size=500)
    seen = {r[0] for r in db.execute("SELECT id FROM commitment_events")} if events else set()
    fresh = []
    for event in events:
        if event["id"] not in seen:
            seen.add(event["id"])
            fresh.append(event)
    event_table.insert_all(fresh, pk="id", batch_size=500)
