"""What the Store returns (plain dicts, typed here) and the small value conventions it keeps.

Timestamps are UTC ISO-8601 strings with microseconds and a `Z`, always the same width, so
they sort as text: `2026-11-03T09:15:02.123456Z`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict

from reflectcoach.core.clock import today

from .errors import StoreError

STATUSES = ("in_progress", "completed", "abandoned")
ID_LENGTH = 12
# The schema this version writes (migrations.KNOWN, one number per migration): here, so that
# the reads without sqlite-utils (readonly.py) know it without importing the migrations.
SCHEMA_VERSION = 13


class Filters(TypedDict, total=False):
    """Which conversations: each given key must hold (None means any)."""

    script_id: str | None
    mentorship: str | None  # "" for conversations about no one in particular
    status: str | None
    since: str | None  # bounds on started_at: see time_bound
    until: str | None
    ids: Sequence[str] | None
    query: str | None  # conversations with an answer matching every word


class Conversation(TypedDict):
    id: str
    script_id: str
    script_version: int
    script_sha256: str
    title: str
    mentorship: str | None
    status: str  # one of STATUSES
    current_step: str
    position: int
    record: str | None
    started_at: str
    updated_at: str
    completed_at: str | None
    answer_count: int  # answered (not skipped) questions on the current path (seq < position)


class Answer(TypedDict):
    conversation_id: str
    step_id: str
    seq: int
    question: str
    type: str
    answer_text: str | None  # display text; None when skipped
    value: Any  # the decoded JSON value; None when skipped
    skipped: bool
    answered_at: str
    commitment_id: str | None  # a follow_up step's answer: which commitment it is about


class ConversationWithAnswers(Conversation):
    answers: list[Answer]


class SearchHit(TypedDict):
    conversation_id: str
    script_id: str
    title: str
    mentorship: str | None
    started_at: str
    step_id: str
    question: str
    answer_text: str | None
    snippet: str  # answer_text (or question) with matches wrapped in [ and ]
    # With search(with_matches=True): where the words matched, as [start, end) offsets into
    # `question` and `answer_text` (either or both may hold some).
    question_matches: NotRequired[list[tuple[int, int]]]
    answer_matches: NotRequired[list[tuple[int, int]]]


class Series(TypedDict):
    script_id: str
    step_id: str
    question: str  # as last asked
    mentorship: str | None
    points: list[tuple[str, int | float]]  # (answered_at, value), oldest first


class MonthCount(TypedDict):
    month: str  # "2026-11"
    script_id: str
    count: int


def utc_now() -> str:
    return format_time(dt.datetime.now(dt.UTC))


def stamp_now() -> str:
    """When something is stored (the Store's clock): now, on the day `REFLECTCOACH_TODAY`
    fixes when it is set (core/clock.py), so a simulated relationship's conversations,
    commitments and ratings are dated the day its questions were asked on. Leases keep the
    real time (`utc_now`): they measure how long a session has been gone."""
    now = dt.datetime.now().astimezone()
    day = today()
    if day != now.date():
        now = now.replace(year=day.year, month=day.month, day=day.day)
    return format_time(now.astimezone(dt.UTC))


def format_time(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    # isoformat pads the year to four digits (strftime's %Y does not for years < 1000), so
    # every stored time has the same width and sorts as text.
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


_MONTH = re.compile(r"\d{4}-\d{2}\Z")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def time_bound(value: str, *, upper: bool) -> tuple[str, bool]:
    """A `since`/`until` filter value -> (comparable timestamp, inclusive).

    Accepts `YYYY-MM`, `YYYY-MM-DD` or an ISO-8601 timestamp (naive means UTC). A month or
    day given as `until` covers the whole month or day.
    """
    text = value.strip()
    try:
        if _MONTH.match(text):
            start = dt.datetime.strptime(text, "%Y-%m").replace(tzinfo=dt.UTC)
            if not upper:
                return format_time(start), True
            nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return format_time(nxt), False
        if _DAY.match(text):
            start = dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.UTC)
            if not upper:
                return format_time(start), True
            return format_time(start + dt.timedelta(days=1)), False
        return format_time(dt.datetime.fromisoformat(text)), True
    except (ValueError, OverflowError):
        raise StoreError(
            f"Not a date: {value!r}. Use YYYY-MM, YYYY-MM-DD or an ISO-8601 time."
        ) from None


def encode_value(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"This answer cannot be saved: {exc}.") from exc


def stored_value(answer_json: str, answer_text: str | None) -> str | None:
    """What `answers.answer_value` holds (m012): None when the value's JSON is the text's own
    (the column `answer_json` then computes it: `json_quote(answer_text)`, which writes a
    string exactly as `encode_value` does), else the value's JSON."""
    own = "null" if answer_text is None else encode_value(answer_text)
    return None if answer_json == own else answer_json


def decode_value(answer_json: str | None) -> Any:
    return None if answer_json is None else json.loads(answer_json)


def answer_row(row: dict[str, Any]) -> Answer:
    """An `answers` table row (dict) -> Answer."""
    return {
        "conversation_id": row["conversation_id"],
        "step_id": row["step_id"],
        "seq": row["seq"],
        "question": row["question"],
        "type": row["type"],
        "answer_text": row["answer_text"],
        "value": decode_value(row["answer_json"]),
        "skipped": bool(row["skipped"]),
        "answered_at": row["answered_at"],
        "commitment_id": row.get("commitment_id"),
    }


# One rule for when two mentorship names mean the same person (mentorships.py says why).
def display_name(name: str | None) -> str | None:
    """The name as written, with runs of whitespace made one space; None when blank."""
    if name is None:
        return None
    return " ".join(name.split()) or None


def mentorship_key(name: str | None) -> str | None:
    """What names are matched on: NFKC (so a full-width or ligature spelling is the same
    letters), whitespace collapsed, then Unicode casefold ("Straße" matches "STRASSE")."""
    shown = display_name(name)
    if shown is None:
        return None
    return " ".join(unicodedata.normalize("NFKC", shown).split()).casefold()
