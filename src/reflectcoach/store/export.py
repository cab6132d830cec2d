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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO, Unpack

from reflectcoach.outfile import open_text
from reflectcoach.records import demote_headings
from reflectcoach.text import clean, json_text, markdown_escape

from .db import Store
from .queries import CONVERSATION_COLUMNS
from .rows import ConversationWithAnswers, Filters

Progress = Callable[[int], None]
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


def write_json(
    store: Store,
    fp: TextIO,
    *,
    progress: Progress | None = None,
    **filters: Unpack[Filters],
) -> int:
    """A JSON list, one conversation per line, oldest first. Answers carry `seq` and include
    those beyond `position` (kept after back()), and a conversation with drafts (text typed,
    not yet answered) carries them as `drafts`, so an import restores exactly."""
    written = 0
    separator = "\n"
    # Few rows (a draft lives only until its question is answered): read them all up front
    # rather than a query per conversation.
    drafts: dict[str, list[dict[str, Any]]] = {}
    for draft in store.drafts():
        drafts.setdefault(draft["conversation_id"], []).append(
            {
                "step": draft["step_id"],
                "seq": draft["seq"],
                "text": draft["text"],
                "updated_at": draft["updated_at"],
            }
        )
    fp.write("[")
    for conversation in _stream(store, filters, progress, include_future=True):
        item: dict[str, Any] = {name: conversation[name] for name in EXPORT_FIELDS}  # type: ignore[literal-required]
        item["answers"] = [
            {
                "step": answer["step_id"],
                "seq": answer["seq"],
                "question": answer["question"],
                "type": answer["type"],
                "answer": answer["value"],
                "answer_text": answer["answer_text"],
                "skipped": answer["skipped"],
                "answered_at": answer["answered_at"],
            }
            for answer in conversation["answers"]
        ]
        if conversation["id"] in drafts:
            item["drafts"] = drafts[conversation["id"]]
        fp.write(separator)
        fp.write(json_text(item))
        separator = ",\n"
        written += _answered(conversation)
    fp.write("\n]\n")
    return written


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
    **filters: Unpack[Filters],
) -> int:
    """A readable document, oldest first: per conversation its heading and details, the
    record, then each question with its answer quoted. User text is cleaned of control
    characters and escaped (`markdown_escape`) so that it renders exactly as typed."""
    written = 0
    fp.write("# Reflections\n")
    for conversation in _stream(store, filters, progress):
        parts = [f"\n{_heading(2, conversation['title'])}\n\n"]
        if conversation["mentorship"]:
            parts.append(_field("Mentorship", conversation["mentorship"]) + "\n")
        started = conversation["started_at"]
        parts.append(f"- Date: {started[:10]} {started[11:16]} UTC\n")
        parts.append(f"- Status: {conversation['status'].replace('_', ' ')}\n")
        parts.append(f"- Id: {conversation['id']}\n")
        if conversation["record"]:
            record = demote_headings(clean(conversation["record"]).strip("\n"), RECORD_DEMOTION)
            parts.append("\n" + record + "\n")
        if conversation["answers"]:
            parts.append("\n### Questions and answers\n")
        for answer in conversation["answers"]:
            parts.append(f"\n{_heading(4, answer['question'])}\n\n")
            if answer["skipped"]:
                parts.append("> _(skipped)_\n")
            else:
                parts.append("> " + markdown_escape(answer["answer_text"] or "", "> ") + "\n")
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
    with open_text(path, newline="") as fp:
        return writer(store, fp, progress=progress, **filters)
