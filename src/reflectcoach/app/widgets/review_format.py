"""Words, times and safe text for the screens that look back over reflections.

Everything shown here came from a person or a script: it is cleaned of terminal control
characters and turned into `Content` (or Rich `Text` for DataTable cells) so that no
markup in it is ever parsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.validation import ValidationResult, Validator

from reflectcoach.core.text import clean

if TYPE_CHECKING:
    pass

STATUS_WORDS = {
    "in_progress": "in progress",
    "completed": "completed",
    "abandoned": "abandoned",
}
NO_MENTORSHIP = "no mentorship named"


def one_line(text: str | None) -> str:
    """Cleaned text with its whitespace (newlines included) collapsed, for a single line."""
    return " ".join(clean(text or "").split())


def cell(text: str | None, width: int | None = None) -> Text:
    """A DataTable cell: DataTable parses markup in `str` cells, so hand it `Text`."""
    value = one_line(text)
    if width is not None and len(value) > width:
        value = value[: max(width - 1, 0)] + "…"
    return Text(value, no_wrap=True, overflow="ellipsis", end="")


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))


def mentorship_label(mentorship: str | None) -> str:
    return mentorship if mentorship else NO_MENTORSHIP


def local_time(stamp: str | None) -> dt.datetime | None:
    """A stored UTC timestamp in this machine's time zone (None stays None)."""
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone()


def when(stamp: str | None) -> str:
    """`2026-01-05 09:15` in local time, or "" for no time."""
    moment = local_time(stamp)
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def day(stamp: str | None) -> str:
    moment = local_time(stamp)
    return "" if moment is None else moment.strftime("%Y-%m-%d")


def parse_day(text: str) -> dt.date | None:
    """`YYYY-MM-DD` -> date; "" -> None; anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    if len(text) != 10:
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def day_bounds(since: dt.date | None, until: dt.date | None) -> tuple[str | None, str | None]:
    """Local calendar days -> the store's since/until (inclusive ISO-8601 timestamps).

    The table shows local times, so a day typed here means that local day, not a UTC one.
    """
    start = None if since is None else dt.datetime.combine(since, dt.time()).astimezone()
    end = None
    if until is not None:
        next_day = dt.datetime.combine(until + dt.timedelta(days=1), dt.time()).astimezone()
        end = next_day - dt.timedelta(microseconds=1)
    return (
        None if start is None else start.isoformat(),
        None if end is None else end.isoformat(),
    )


class DayValidator(Validator):
    """Empty, or a real calendar day written YYYY-MM-DD."""

    def validate(self, value: str) -> ValidationResult:
        try:
            parse_day(value)
        except ValueError:
            return self.failure(f"{one_line(value)!r} is not a date: use YYYY-MM-DD")
        return self.success()


def count_words(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"


def joined(parts: Iterable[str]) -> str:
    return " · ".join(part for part in parts if part)


def describe(row: Mapping[str, Any]) -> str:
    """One line naming a conversation in a question or a notification (plain text)."""
    return (
        f"“{one_line(row['title'])}” with {one_line(mentorship_label(row['mentorship']))}, "
        f"started {when(row['started_at'])}, {count_words(row.get('answer_count', 0), 'answer')}"
    )
