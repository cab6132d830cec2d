"""Streaming exports: JSON (a lossless backup `importer.import_json` restores), Markdown (to
read or send to a mentor) and CSV (one row per answer).

Each writer takes the iter_conversations filters and an optional `progress(done)` callback,
called with the number of conversations written so far (`Store.count` gives the total), and
returns the number of answers written: questions answered (not skipped) on each
conversation's path, the count `reflectcoach list` shows. Memory does not grow with the
history.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, Generic, TextIO, TypeVar, Unpack

from reflectcoach.core.outfile import open_text
from reflectcoach.core.sharing import shared
from reflectcoach.core.text import clean, json_safe, json_text, markdown_escape
from reflectcoach.engine.records import demote_headings

from . import commitments_io, mentorship_io, rawfile
from .db import Store
from .errors import StoreError
from .queries import CONVERSATION_COLUMNS, where_clause
from .rows import ConversationWithAnswers, Filters

Progress = Callable[[int], None]
T = TypeVar("T")
Writer = Callable[..., int]
# Every stored column of a conversation, the record last (it is the longest).
EXPORT_FIELDS = (*(c for c in CONVERSATION_COLUMNS if c != "record"), "record")
CSV_FIELDS = (
    "conversation_id",
    "script_id",
    "title",
    "mentorship",
    "status",
    "started_at",
    "step",
    "question",
    "type",
    "answer_text",
    "answer_json",
    "skipped",
    "answered_at",
)


def _stream(
    store: Store,
    filters: Filters,
    progress: Progress | None,
    *,
    include_future: bool = False,
) -> Iterator[ConversationWithAnswers]:
    conversations = store.iter_conversations(**filters, include_future=include_future)
    for done, conversation in enumerate(conversations, start=1):
        yield conversation
        if progress is not None:
            progress(done)


FORMAT = "reflectcoach"
# 1: a list of conversations, its last element `{commitments, commitment_events}` (until 0.x).
# 2: one object, `{"format": "reflectcoach", "version": 2, "conversations": [...], ...}`.
VERSION = 2


def write_json(
    store: Store,
    fp: TextIO,
    *,
    progress: Progress | None = None,
    **filters: Unpack[Filters],
) -> int:
    """One JSON object (docs/architecture.md "The JSON export"): `format`, `version`, then
    `conversations`, one per line, oldest first, and the sections beside them
    (`commitments`, `commitment_events`, `mentorships`), each a list, always present.
    Answers carry `seq` and include those beyond `position` (kept after back()), and a
    conversation with drafts (text typed, not yet answered) carries them as `drafts`, so an
    import restores exactly."""
    fp.write(f'{{"format": "{FORMAT}", "version": {VERSION},\n"conversations": [')
    written, _conversations = json_conversations(store, fp, progress=progress, **filters)
    fp.write("\n]")
    _write_list(fp, commitments_io.KEY, commitments_io.json_rows(store.db, filters))
    _write_list(fp, commitments_io.EVENTS_KEY, commitments_io.json_events(store.db, filters))
    # A mentorship's object holds its whole state: one at a time.
    _write_list(fp, mentorship_io.KEY, mentorship_io.json_items(store.db, filters), batch=1)
    fp.write("}\n")
    return written


def _write_list(fp: TextIO, key: str, rows: Iterable[Any], *, batch: int = 100) -> None:
    """`,\n"key": [...]`, the text `json_text` gives the whole list, written a batch of rows
    at a time so that a section's size in memory does not grow with the history."""
    fp.write(f',\n"{key}": [')
    separator = ""
    items = iter(rows)
    while chunk := list(islice(items, batch)):
        fp.write(separator + json_text(chunk)[1:-1])  # json.dumps joins items with ", "
        separator = ", "
    fp.write("]")


def _object(pairs: Sequence[tuple[str, str]]) -> str:
    return "json_object(" + ", ".join(f"'{key}', {value}" for key, value in pairs) + ")"


# Each conversation is turned into its JSON text by SQLite (json_object, json_group_array):
# built in C, one row per conversation, five times faster than dicts and json.dumps here.
# An optional key is a second json_object under iif, never json_insert, which parses the
# object it is given again (a conversation's with all its answers). `answer_value` (NULL when
# the value is the text itself) is stored JSON, which json() embeds as it is, compacted;
# `skipped` becomes a boolean.
_ANSWER_FIELDS = [
    ("step", "a.step_id"),
    ("seq", "a.seq"),
    ("question", "a.question"),
    ("type", "a.type"),
    ("answer", "iif(a.answer_value IS NULL, json_quote(a.answer_text), json(a.answer_value))"),
    ("answer_text", "a.answer_text"),
    ("skipped", "iif(a.skipped, json('true'), json('false'))"),
    ("answered_at", "a.answered_at"),
]
# A follow_up step's answer also says which commitment it is about (no key otherwise).
_ANSWER_JSON = (
    f"iif(a.commitment_id IS NULL, {_object(_ANSWER_FIELDS)}, "
    f"{_object([*_ANSWER_FIELDS, ('commitment', 'a.commitment_id')])})"
)
# In seq order: the lookup by conversation walks the primary key's index, (conversation_id,
# seq), without the subquery an ORDER BY would need (it copied every answer once more).
# INDEXED BY makes that walk the plan whatever the planner's statistics say (another index
# would give another order); tests/store/test_export_unchanged.py stores answers out of seq
# order to hold it to that.
_ANSWERS = (
    f"(SELECT json_group_array({_ANSWER_JSON}) FROM answers a "
    "INDEXED BY sqlite_autoindex_answers_1 WHERE a.conversation_id = c.id)"
)
_CONVERSATION_FIELDS = [*((name, f"c.{name}") for name in EXPORT_FIELDS), ("answers", _ANSWERS)]
# A conversation in a mentorship carries its mentorship's status (`m`, joined: a handful of
# rows), so an export of any part of the history restores whether it was closed.
_MENTORSHIP_STATUS = "json_object('status', m.status, 'closed_at', m.closed_at)"
_CONVERSATION_JSON = (
    f"iif(m.mentorship_key IS NULL, {_object(_CONVERSATION_FIELDS)}, "
    f"{_object([*_CONVERSATION_FIELDS, ('mentorship_status', _MENTORSHIP_STATUS)])})"
)
_WITH_MENTORSHIP = "conversations c LEFT JOIN mentorships m ON m.mentorship_key = c.mentorship_key"
# What `_answered` counts, for the total returned.
_ANSWERED = (
    "(SELECT count(*) FROM answers a WHERE a.conversation_id = c.id AND a.seq < c.position "
    "AND a.skipped = 0)"
)
# The conversations' order, every export's: the drafts' cursor walks it beside theirs.
_ORDER = "c.started_at, c.rowid"


def json_conversations(
    store: Store,
    fp: TextIO,
    *,
    progress: Progress | None = None,
    **filters: Unpack[Filters],
) -> tuple[int, int]:
    """The conversations of `write_json`'s list, one per line (the caller writes the
    brackets); the number of answers and of conversations written."""
    where = where_clause(**filters)
    if where is None:
        return 0, 0
    clause, params = where
    drafts = _Beside(_drafts(store, clause, params))
    sql = (
        f"SELECT c.id, {_CONVERSATION_JSON}, {_ANSWERED} FROM {_WITH_MENTORSHIP}{clause} "
        f"ORDER BY {_ORDER}"
    )
    written = done = 0
    separator = "\n"
    for done, (conversation_id, text, answered) in enumerate(
        store.db.execute(sql, params), start=1
    ):
        typed = drafts.take(conversation_id)
        if typed is not None:  # the object's last key, as json_object wrote the rest
            text = text[:-1] + ',"drafts":' + json_text(typed) + "}"
        fp.write(separator)
        fp.write(json_safe(text))
        separator = ",\n"
        written += answered
        if progress is not None:
            progress(done)
    return written, done


def _drafts(
    store: Store, clause: str, params: list[Any]
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Each exported conversation's drafts (text typed, not yet answered), in seq order, by
    conversation in the export's order: read beside the conversations, never all at once."""
    sql = (
        "SELECT d.conversation_id, d.step_id, d.seq, d.text, d.updated_at FROM conversations c "
        f"CROSS JOIN drafts d ON d.conversation_id = c.id{clause} ORDER BY {_ORDER}, d.seq"
    )
    rows = store.db.execute(sql, params)
    for conversation_id, group in groupby(rows, key=itemgetter(0)):
        yield (
            conversation_id,
            [{"step": s, "seq": n, "text": t, "updated_at": at} for _, s, n, t, at in group],
        )


class _Beside(Generic[T]):
    """A second cursor's rows, grouped by conversation in the export's order (a
    subsequence of the conversations): each conversation's taken as it is written."""

    def __init__(self, rows: Iterator[tuple[str, T]]) -> None:
        self._rows = rows
        self._next = next(rows, None)

    def take(self, conversation_id: str) -> T | None:
        if self._next is None or self._next[0] != conversation_id:
            return None
        found = self._next[1]
        self._next = next(self._rows, None)
        return found


# The document's outline: "# Reflections", a conversation "## Title", its record's own
# headings two levels down (a record's "# Goal card" is "### Goal card"), then
# "### Questions and answers" with a "#### question" for each.
RECORD_DEMOTION = 2


def _heading(level: int, text: str | None) -> str:
    prefix = "#" * level + " "
    return prefix + markdown_escape(" ".join((text or "").split()), prefix)


def _field(name: str, text: str | None) -> str:
    prefix = f"- {name}: "
    return prefix + markdown_escape(" ".join((text or "").split()), prefix)


def write_markdown(
    store: Store,
    fp: TextIO,
    *,
    progress: Progress | None = None,
    share: bool = False,
    **filters: Unpack[Filters],
) -> int:
    """A readable document, oldest first: per conversation its heading and details, the
    record, then each question with its answer quoted. User text is cleaned of control
    characters and escaped (`markdown_escape`) so that it renders exactly as typed.

    `share` writes the copy to send instead: only conversations with a record, each record
    without its just-for-me parts (`sharing.shared`), and no questions and answers (they
    hold every private answer too)."""
    written = 0
    fp.write("# Reflections\n")
    made = _Beside(commitments_io.by_conversation(store.db, filters))
    for conversation in _stream(store, filters, progress):
        commitments = made.take(conversation["id"])  # every conversation's turn, even skipped
        if share and not conversation["record"]:
            continue
        parts = [f"\n{_heading(2, conversation['title'])}\n\n"]
        if conversation["mentorship"]:
            parts.append(_field("Mentorship", conversation["mentorship"]) + "\n")
        started = conversation["started_at"]
        parts.append(f"- Date: {started[:10]} {started[11:16]} UTC\n")
        parts.append(f"- Status: {conversation['status'].replace('_', ' ')}\n")
        parts.append(f"- Id: {conversation['id']}\n")
        if conversation["record"]:
            record = clean(conversation["record"])
            record = demote_headings(
                (shared(record) if share else record).strip("\n"), RECORD_DEMOTION
            )
            parts.append("\n" + record + "\n")
        if share:
            written += _answered(conversation)
            fp.write("".join(parts))
            continue
        if conversation["answers"]:
            parts.append("\n### Questions and answers\n")
        for answer in conversation["answers"]:
            parts.append(f"\n{_heading(4, answer['question'])}\n\n")
            if answer["skipped"]:
                parts.append("> _(skipped)_\n")
            else:
                parts.append("> " + markdown_escape(answer["answer_text"] or "", "> ") + "\n")
        parts.append(commitments_io.markdown_part(commitments or []))
        written += _answered(conversation)
        fp.write("".join(parts))
    return written


# OWASP's rule for CSV injection: a spreadsheet reads a cell starting with one of these as a
# formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`, a DDE call) even when the CSV quotes it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...but a plain signed number is a number, not a formula: it stays numeric in the sheet.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """The cell as a spreadsheet shows text: a leading `'` where it would start a formula."""
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def write_csv(
    store: Store,
    fp: TextIO,
    *,
    progress: Progress | None = None,
    raw: bool = False,
    bom: bool = False,
    **filters: Unpack[Filters],
) -> int:
    """One row per question on each conversation's path (skipped ones marked). Open `fp` with
    newline="" (the csv module's rule).

    Text that a spreadsheet would run as a formula gets a leading `'` (`spreadsheet_safe`);
    `raw` writes every cell exactly as stored instead. `bom` starts the file with a UTF-8
    byte-order mark, which Excel needs to read UTF-8 (emoji, accents, non-Latin scripts).
    """
    if bom:
        fp.write("\ufeff")
    writer = csv.writer(fp)
    writer.writerow(CSV_FIELDS)
    cell: Callable[[str], str] = str if raw else spreadsheet_safe
    written = 0
    for conversation in _stream(store, filters, progress):
        head = (
            cell(conversation["id"]),
            cell(conversation["script_id"]),
            cell(conversation["title"]),
            cell(conversation["mentorship"] or ""),
            conversation["status"],
            conversation["started_at"],
        )
        writer.writerows(
            (
                *head,
                cell(answer["step_id"]),
                cell(answer["question"]),
                answer["type"],
                cell(answer["answer_text"] or ""),
                cell(json.dumps(answer["value"], ensure_ascii=False)),
                int(answer["skipped"]),
                answer["answered_at"],
            )
            for answer in conversation["answers"]
        )
        written += _answered(conversation)
    return written


def _answered(conversation: ConversationWithAnswers) -> int:
    position = conversation["position"]
    return sum(1 for a in conversation["answers"] if not a["skipped"] and a["seq"] < position)


WRITERS: dict[str, Writer] = {
    "json": write_json,
    "markdown": write_markdown,
    "csv": write_csv,
}


# Said when exporting from an encrypted database (CLI on stderr, the app as a notice).
NOT_ENCRYPTED = (
    "The database is encrypted, but this export is not: anyone who can read the file can read "
    "it (it is written readable by you only)."
)


def refuse_database(path: Path, db: Path) -> None:
    """Never write (or read as something else) the database or its log: replacing the file
    would lose it, and opening it beside our connection would drop its locks."""
    if rawfile.same_file(path, db):
        raise StoreError(
            f"{path} is your reflection database (or its log), not a file to export to or "
            "import from; choose another file. Nothing was changed."
        )


def write_file(
    store: Store,
    path: Path,
    fmt: str | Writer,
    *,
    progress: Progress | None = None,
    **filters: Unpack[Filters],
) -> int:
    """Export to `path` in `fmt` (json, markdown, csv, or a writer with its options bound);
    the number of answers written.

    The file is readable by its owner only (an export holds private reflections) and never
    half-written; a device or pipe is written in place (`outfile.open_text` says how). Raises
    OSError (and StoreError) with nothing left behind.
    """
    writer = WRITERS[fmt] if isinstance(fmt, str) else fmt
    refuse_database(path, store.path)
    with open_text(path, newline="") as fp:
        return writer(store, fp, progress=progress, **filters)
