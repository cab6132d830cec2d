"""Mentorships in exports and imports: the `mentorships` section of the JSON export, one
object per mentorship the exported conversations name: its row (name, role, started,
status, closed_at) and its state (store/mentorship_state.py: fields, goal revisions,
talking points), ids kept so importing twice adds nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlite_utils import Database

from . import mentorship_rows, mentorship_state
from .mentorship_rows import MENTORSHIP_STATUSES
from .mentorships import first_written, mentorship_key
from .queries import where_clause
from .rows import Filters, format_time

KEY = "mentorships"


class Invalid(Exception):
    pass


def json_items(db: Database, filters: Filters) -> Iterator[dict[str, Any]]:
    """The section's objects, by mentorship key, one at a time (the export writes each as it
    comes: a mentorship's state grows with its history)."""
    where = where_clause(**filters)
    if where is None:
        return
    clause, params = where
    keys = [
        key
        for (key,) in db.execute(
            f"SELECT DISTINCT c.mentorship_key FROM conversations c{clause}", params
        )
        if key is not None
    ]
    for key in sorted(keys):
        row = mentorship_rows.get(db, key)
        if row is None:
            continue
        yield {
            "name": row.name,
            "role": row.role,
            "started": row.started,
            "status": row.status,
            "closed_at": row.closed_at,
            "fields": [
                {
                    "field": f.field,
                    "value": f.value,
                    "text": f.text,
                    "private": f.private,
                    "conversation_id": f.conversation_id,
                    "set_at": f.set_at,
                }
                for f in mentorship_state.fields(db, key).values()
            ],
            "goal_revisions": [
                {
                    "id": r.id,
                    "goal_id": r.goal_id,
                    "kind": r.kind,
                    "text": r.text,
                    "reason": r.reason,
                    "private": r.private,
                    "conversation_id": r.conversation_id,
                    "at": r.at,
                }
                for goal in mentorship_state.goals(db, key)
                for r in goal.revisions
            ],
            "talking_points": [
                {
                    "id": p.id,
                    "text": p.text,
                    "status": p.status,
                    "private": p.private,
                    "conversation_id": p.conversation_id,
                    "created_at": p.created_at,
                    "updated_at": p.updated_at,
                }
                for p in mentorship_state.points(db, key, statuses=mentorship_state.POINT_STATUSES)
            ],
        }


# Import


def _text(item: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{key!r} must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(f"{key!r} holds an unpaired surrogate, which is not text") from None
    return value


def _time(item: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = _text(item, key, optional=optional)
    if value is None:
        return None
    try:
        return format_time(dt.datetime.fromisoformat(value))
    except (ValueError, OverflowError):
        raise Invalid(f"{key!r} must be an ISO-8601 time") from None


def _flag(item: dict[str, Any], key: str) -> int:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise Invalid(f"{key!r} must be true or false")
    return int(value)


def _one_of(item: dict[str, Any], key: str, allowed: Sequence[str], default: Any = None) -> str:
    value = item.get(key, default)
    if value not in allowed:
        raise Invalid(f"{key!r} must be one of {', '.join(allowed)}")
    return str(value)


def _list(item: dict[str, Any], key: str) -> list[Any]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Invalid(f"{key!r} must be a list of objects")
    return value


Part = dict[str, Any]


def read_section(items: Any) -> list[Part]:
    """The validated `mentorships` section; Invalid says what is wrong."""
    if not isinstance(items, list):
        raise Invalid(f"'{KEY}' must be a list")
    found = []
    for index, item in enumerate(items):
        try:
            found.append(_mentorship(item))
        except Invalid as exc:
            raise Invalid(f"mentorship {index + 1}: {exc}") from None
    return found


def _mentorship(item: Any) -> Part:
    if not isinstance(item, dict):
        raise Invalid("must be an object")
    name = _text(item, "name") or ""
    key = mentorship_key(name)
    if key is None:
        raise Invalid("'name' must not be empty")
    status = _one_of(item, "status", MENTORSHIP_STATUSES, "active")
    fields = []
    for row in _list(item, "fields"):
        fields.append(
            {
                "mentorship_key": key,
                "field": _text(row, "field"),
                "value_json": json.dumps(row.get("value"), ensure_ascii=False),
                "text": _text(row, "text", optional=True) or "",
                "private": _flag(row, "private"),
                "conversation_id": _text(row, "conversation_id", optional=True),
                "set_at": _time(row, "set_at"),
            }
        )
    revisions = []
    for row in _list(item, "goal_revisions"):
        kind = _one_of(row, "kind", mentorship_state.REVISION_KINDS)
        revisions.append(
            {
                "id": _text(row, "id"),
                "mentorship_key": key,
                "goal_id": _text(row, "goal_id"),
                "kind": kind,
                "text": _text(row, "text", optional=True),
                "reason": _text(row, "reason", optional=True),
                "private": _flag(row, "private"),
                "conversation_id": _text(row, "conversation_id", optional=True),
                "at": _time(row, "at"),
            }
        )
    points = []
    for row in _list(item, "talking_points"):
        point_status = _one_of(row, "status", mentorship_state.POINT_STATUSES)
        points.append(
            {
                "id": _text(row, "id"),
                "mentorship_key": key,
                "text": _text(row, "text"),
                "status": point_status,
                "private": _flag(row, "private"),
                "conversation_id": _text(row, "conversation_id", optional=True),
                "created_at": _time(row, "created_at"),
                "updated_at": _time(row, "updated_at"),
            }
        )
    return {
        "key": key,
        "name": name,
        "status": status,
        "closed_at": _time(item, "closed_at", optional=True),
        "started": _text(item, "started", optional=True),
        "fields": fields,
        "goal_revisions": revisions,
        "talking_points": points,
    }


def write_section(db: Database, parts: list[Part], now: str) -> None:
    """Inside the import's transaction. A mentorship new here gets its row (status as the
    file says); state rows are added by id (goals, points) or where the field is unset
    here: an import never overwrites."""
    for part in parts:
        key = part["key"]
        if mentorship_rows.get(db, key) is None:
            shown = first_written(db, key) or part["name"]
            mentorship_rows.ensure(db, key, shown, part["started"] or now)
            if part["status"] == "closed":
                mentorship_rows.set_closed(db, key, part["closed_at"] or now)
        db.table("mentorship_fields").insert_all(part["fields"], ignore=True)
        db.table("goal_revisions").insert_all(part["goal_revisions"], pk="id", ignore=True)
        db.table("talking_points").insert_all(part["talking_points"], pk="id", ignore=True)
