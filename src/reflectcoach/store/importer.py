"""Restoring a JSON export (export.write_json) into a database, all or nothing.

Every export ever written imports: the versioned object (`{"format": "reflectcoach",
"version": 2, ...}`, docs/architecture.md "The JSON export") and the list earlier versions
wrote (conversations, the last element `{commitments, commitment_events}`).

Conversations already present (same id) are left exactly as they are: an import never
overwrites. The whole file is validated before anything is written, then written in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import IO, Any

from sqlite_utils import Database

from reflectcoach.core.numbers import MAX_NUMBER_WORDS, within

from . import commitments_io, mentorship_io, mentorship_rows
from . import export as export_format
from .db import Store
from .errors import StoreError, guarded
from .mentorship_rows import MENTORSHIP_STATUSES
from .mentorships import display_name, first_written, mentorship_key
from .rows import ID_LENGTH, STATUSES, encode_value, format_time, stored_value

_ID = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}\Z")


class _Invalid(Exception):
    pass


def _unicode(value: str, key: str) -> str:
    """JSON's `\\ud800` escapes can spell half a character, which no database can store."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Invalid(f"{key!r} holds an unpaired surrogate, which is not text") from None
    return value


def _str(item: dict[str, Any], key: str, *, empty: bool = True) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise _Invalid(f"{key!r} must be text")
    if not empty and not value:
        raise _Invalid(f"{key!r} must not be empty")
    return _unicode(value, key)


def _opt(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise _Invalid(f"{key!r} must be text or null")
    return value if value is None else _unicode(value, key)


def _whole(item: dict[str, Any], key: str, default: int | None = None) -> int:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise _Invalid(f"{key!r} must be a whole number, 0 or more")
    return value


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _time(value: str | None, key: str) -> str | None:
    if value is None:
        return None
    try:
        return format_time(dt.datetime.fromisoformat(value))
    except (ValueError, OverflowError):  # OverflowError: year 1 in a zone east of UTC
        raise _Invalid(f"{key!r} must be an ISO-8601 time, not {value!r}") from None


def _answer(item: Any, index: int, conversation_id: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _Invalid(f"answer {index + 1} must be an object")
    try:
        skipped = item.get("skipped", False)
        if not isinstance(skipped, bool):
            raise _Invalid("'skipped' must be true or false")
        value = item.get("answer")
        if skipped and value is not None:
            raise _Invalid("a skipped answer must have 'answer': null")
        text = _opt(item, "answer_text")
        kind = _str(item, "type", empty=False)
        if kind in ("number", "scale") and _numeric(value) and not within(value):
            raise _Invalid(
                f"'answer' is a number beyond ±{MAX_NUMBER_WORDS}, the largest an answer holds"
            )
        shown = None if skipped else (text or "")
        return {
            "conversation_id": conversation_id,
            "step_id": _str(item, "step", empty=False),
            "seq": _whole(item, "seq", index),
            "question": _str(item, "question"),
            "type": kind,
            "answer_text": shown,
            "answer_value": stored_value(_unicode(encode_value(value), "answer"), shown),
            "skipped": int(skipped),
            "answered_at": _time(_str(item, "answered_at"), "answered_at"),
            "commitment_id": _commitment_id(item),
        }
    except StoreError as exc:
        raise _Invalid(str(exc)) from None
    except _Invalid as exc:
        raise _Invalid(f"answer {index + 1}: {exc}") from None


def _commitment_id(item: dict[str, Any]) -> str | None:
    value = _opt(item, "commitment")
    if value is not None and not _ID.match(value):
        raise _Invalid("'commitment' must be 12 lowercase hex characters")
    return value


def _draft(item: Any, index: int, conversation_id: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _Invalid(f"draft {index + 1} must be an object")
    try:
        return {
            "conversation_id": conversation_id,
            "seq": _whole(item, "seq"),
            "step_id": _str(item, "step", empty=False),
            "text": _str(item, "text"),
            "updated_at": _time(_str(item, "updated_at"), "updated_at"),
        }
    except _Invalid as exc:
        raise _Invalid(f"draft {index + 1}: {exc}") from None


Rows = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


def _conversation(item: Any) -> Rows:
    if not isinstance(item, dict):
        raise _Invalid("must be an object")
    conversation_id = item.get("id")
    if not isinstance(conversation_id, str) or not _ID.match(conversation_id):
        raise _Invalid("'id' must be 12 lowercase hex characters")
    status = item.get("status")
    if status not in STATUSES:
        raise _Invalid(f"'status' must be one of {', '.join(STATUSES)}")
    mentorship = _opt(item, "mentorship")
    row = {
        "id": conversation_id,
        "script_id": _str(item, "script_id", empty=False),
        "script_version": _whole(item, "script_version"),
        "script_sha256": _str(item, "script_sha256"),
        "title": _str(item, "title"),
        "mentorship": display_name(mentorship),
        "status": status,
        "current_step": _str(item, "current_step", empty=False),
        "position": _whole(item, "position"),
        "record": _opt(item, "record"),
        "started_at": _time(_str(item, "started_at"), "started_at"),
        "updated_at": _time(_str(item, "updated_at"), "updated_at"),
        "completed_at": _time(_opt(item, "completed_at"), "completed_at"),
    }
    row["_state"] = _mentorship_status(item.get("mentorship_status"))
    answers_in = item.get("answers", [])
    if not isinstance(answers_in, list):
        raise _Invalid("'answers' must be a list")
    answers = [_answer(a, i, conversation_id) for i, a in enumerate(answers_in)]
    seqs = [a["seq"] for a in answers]
    if len(set(seqs)) != len(seqs):
        raise _Invalid("two answers have the same 'seq'")
    _check_path(row, set(seqs))
    drafts_in = item.get("drafts", [])  # optional: only conversations with drafts have it
    if not isinstance(drafts_in, list):
        raise _Invalid("'drafts' must be a list")
    drafts = [_draft(d, i, conversation_id) for i, d in enumerate(drafts_in)]
    draft_seqs = [d["seq"] for d in drafts]
    if len(set(draft_seqs)) != len(draft_seqs):
        raise _Invalid("two drafts have the same 'seq'")
    return row, answers, drafts


def conversation_rows(item: Any) -> Rows:
    """One export object checked by the import's rules, as rows; StoreError saying what is
    wrong (sync reads conversations from other devices through this)."""
    try:
        return _conversation(item)
    except _Invalid as exc:
        raise StoreError(str(exc)) from None


def _mentorship_status(value: Any) -> tuple[str, str | None] | None:
    """The exported mentorship's status: (status, closed_at), or None (an older export)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Invalid("'mentorship_status' must be an object")
    status = value.get("status")
    if status not in MENTORSHIP_STATUSES:
        raise _Invalid(f"'mentorship_status' must be one of {', '.join(MENTORSHIP_STATUSES)}")
    closed_at = _time(_opt(value, "closed_at"), "closed_at")
    if (status == "closed") != (closed_at is not None):
        raise _Invalid("a closed mentorship has a 'closed_at', an active one none")
    return status, closed_at


def _check_path(row: dict[str, Any], seqs: set[int]) -> None:
    """What the store itself never writes, whatever the script: a path with a hole in it, or
    a place past its answers. (Whether the answers fit the script is for resume to see:
    the store cannot read scripts, and a script may change after an export anyway.)"""
    missing = next((seq for seq in range(len(seqs)) if seq not in seqs), None)
    if missing is not None:
        raise _Invalid(
            f"'seq' {missing} is missing: answers are numbered 0, 1, 2... with none left out"
        )
    if row["position"] > len(seqs):
        raise _Invalid(f"'position' is {row['position']}, past its {len(seqs)} answers")


def _load(fp: IO[str] | IO[bytes], source: str) -> list[Any] | dict[str, Any]:
    try:
        data = json.load(fp)
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"Cannot import {source}: it is not valid JSON ({exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}). Nothing was imported."
        ) from None
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise StoreError(
            f"Cannot import {source}: it is not a readable JSON file ({exc}). Nothing was imported."
        ) from None
    if isinstance(data, dict) and data.get("format") == export_format.FORMAT:
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 2:
            raise StoreError(
                f"Cannot import {source}: its 'version' must be a whole number, 2 or more. "
                "Nothing was imported."
            )
        if version > export_format.VERSION:
            raise StoreError(
                f"Cannot import {source}: it was written by a newer reflectcoach (export "
                f"version {version}; this one reads up to {export_format.VERSION}). Upgrade "
                "reflectcoach to import it. Nothing was imported."
            )
        return data
    if not isinstance(data, list):
        raise StoreError(
            f"Cannot import {source}: expected a reflectcoach JSON export (an object with "
            '"format": "reflectcoach", or an earlier export\'s list of conversations). '
            "Nothing was imported."
        )
    return data


def _sections(data: dict[str, Any], source: str) -> tuple[list[Any], list[Any]]:
    """A versioned export as the list an earlier one was: its conversations, then its
    commitments part; and its mentorships section."""
    conversations = data.get("conversations", [])
    mentorships = data.get(mentorship_io.KEY, [])
    if not isinstance(conversations, list) or not isinstance(mentorships, list):
        raise StoreError(
            f"Cannot import {source}: 'conversations' and 'mentorships' must be lists. "
            "Nothing was imported."
        )
    items = list(conversations)
    part = {
        key: data[key] for key in (commitments_io.KEY, commitments_io.EVENTS_KEY) if key in data
    }
    if part.get(commitments_io.KEY):
        items.append(part)
    return items, mentorships


@guarded
def _write(
    store: Store,
    items: list[Rows],
    commitments: Sequence[commitments_io.Part] = (),
    elsewhere: dict[str, str] | None = None,
    mentorships: Sequence[mentorship_io.Part] = (),
) -> tuple[int, int]:
    added: list[Rows] = []
    with store.transaction() as db:
        try:
            commitments_io.check_made_here(db, elsewhere or {})
        except commitments_io.Invalid as exc:
            raise StoreError(f"{exc}.") from None
        wanted = json.dumps([row["id"] for row, _, _ in items])
        seen = {
            found
            for (found,) in db.execute(
                "SELECT id FROM conversations WHERE id IN (SELECT value FROM json_each(?))",
                [wanted],
            )
        }
        for row, answers, drafts in items:
            if row["id"] not in seen:
                seen.add(row["id"])
                added.append((row, answers, drafts))
        _match_mentorships(db, [row for row, _, _ in added])
        # Mentorships new to this database take the status the file gives; those already
        # here keep theirs (an import never overwrites).
        states: dict[str, tuple[str, str | None] | None] = {}
        for row, _, _ in added:
            state = row.pop("_state")
            key = row["mentorship_key"]
            if key is not None and mentorship_rows.get(db, key) is None:
                states[key] = states.get(key) or state
        if added:
            db.table("conversations").insert_all(
                (row for row, _, _ in added), pk="id", batch_size=500
            )
            db.table("answers").insert_all(
                (answer for _, answers, _ in added for answer in answers),
                pk=("conversation_id", "seq"),
                batch_size=500,
            )
            db.table("drafts").insert_all(
                (draft for _, _, drafts in added for draft in drafts),
                pk=("conversation_id", "seq"),
                batch_size=500,
            )
        commitments_io.write_part(db, list(commitments))
        for key in {row["mentorship_key"] for row, _, _ in added} - {None}:
            mentorship_rows.refresh(db, key)
            state = states.get(key)
            if state is not None:
                mentorship_rows.set_closed(db, key, state[1])
        mentorship_io.write_section(db, list(mentorships), store.clock())
    return len(added), len(items) - len(added)


def _match_mentorships(db: Database, rows: list[dict[str, Any]]) -> None:
    """Give each row its mentorship key, and the name that mentorship already has here (or,
    for one new to this file, the spelling of its earliest imported conversation)."""
    shown: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r["started_at"]):
        key = mentorship_key(row["mentorship"])
        row["mentorship_key"] = key
        if key is None:
            row["mentorship"] = None
            continue
        if key not in shown:
            shown[key] = first_written(db, key) or row["mentorship"]
        row["mentorship"] = shown[key]


def import_json(store: Store, fp: IO[str] | IO[bytes]) -> tuple[int, int]:
    """Import an export; returns (conversations added, conversations already present)."""
    source = str(getattr(fp, "name", "the file"))
    loaded = _load(fp, source)
    data, sections = _sections(loaded, source) if isinstance(loaded, dict) else (loaded, [])
    try:
        mentorships = mentorship_io.read_section(sections)
    except mentorship_io.Invalid as exc:
        raise StoreError(f"Cannot import {source}: {exc}. Nothing was imported.") from None
    items = []
    commitments: list[commitments_io.Part] = []
    for index, item in enumerate(data):
        if commitments_io.is_part(item):
            try:
                commitments.append(commitments_io.read_part(item))
            except commitments_io.Invalid as exc:
                raise StoreError(f"Cannot import {source}: {exc}. Nothing was imported.") from None
            continue
        try:
            items.append(_conversation(item))
        except _Invalid as exc:
            ident = item.get("id") if isinstance(item, dict) else None
            label = f"conversation {index + 1}" + (
                f" (id {ident})" if isinstance(ident, str) else ""
            )
            raise StoreError(
                f"Cannot import {source}: {label}: {exc}. Nothing was imported."
            ) from None
    try:
        elsewhere = commitments_io.check_links(commitments, {row["id"] for row, _, _ in items})
    except commitments_io.Invalid as exc:
        raise StoreError(f"Cannot import {source}: {exc}. Nothing was imported.") from None
    try:
        return _write(store, items, commitments, elsewhere, mentorships)
    except StoreError as exc:
        raise StoreError(f"Cannot import {source}: {exc} Nothing was imported.") from exc
