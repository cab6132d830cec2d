"""Dates as people type them ("friday", "in 2 weeks", "2026-12-04") and as they read them.

Pure: today is always passed in (the front ends take it from `clock.today()` or the app's
clock), so the same words give the same date in tests, snapshots and at the terminal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# How a day reads lives one floor down (core/days.py), where the store uses it too.
from reflectcoach.core.days import readable as readable

# `in N days`: far enough for any plan, short of date's own limits and of typing mistakes.
MAX_COUNT = 9999
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OFFSET_EXAMPLES = "today, tomorrow, in 3 days, in 2 weeks, in 1 month or 2026-12-04"

_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_IN = re.compile(r"in ([0-9]+|a|an|one) (day|week|month)s?\Z")
_COUNTS = {"a": 1, "an": 1, "one": 1}
_DAY_NAMES = {name: index for index, name in enumerate(WEEKDAYS)} | {
    name[:3]: index for index, name in enumerate(WEEKDAYS)
}


class DateError(ValueError):
    """Text that is not a date we read; str() is the message for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Offset:
    """A bound as a script writes it: `count` `unit`s from the day of answering, or a fixed
    ISO date (`fixed`). `text` is what was written, for messages."""

    text: str
    unit: str = "day"  # "day", "week" or "month"
    count: int = 0
    fixed: dt.date | None = None


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def _iso(word: str) -> dt.date | None:
    match = _ISO.match(word)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise DateError(f"'{word}' is not a day of the calendar; write YYYY-MM-DD.") from None


def month_days(year: int, month: int) -> int:
    """How many days the month has (calendar.monthrange without importing calendar and
    locale at every start)."""
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by calendar months, the day clamped to the month's end (31 Jan + 1: 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise DateError("That date is too far away.")
    last = month_days(year, month + 1)
    return dt.date(year, month + 1, min(day.day, last))


def months_ahead(today: dt.date, months: object, *, halfway: bool = False) -> dt.date | None:
    """`today` moved by a number of months (a fraction counted in days of 30), or halfway
    there: the end and the mid-point an agreement of that many months sets. None when
    `months` is not a number of months from 1 day to MAX_COUNT months."""
    if isinstance(months, bool) or not isinstance(months, int | float):
        return None
    if not 0 < months <= MAX_COUNT:
        return None
    whole = int(months)
    try:
        end = add_months(today, whole) + dt.timedelta(days=round((months - whole) * 30))
    except (DateError, OverflowError):
        return None
    return today + dt.timedelta(days=(end - today).days // 2) if halfway else end


def _move(today: dt.date, unit: str, count: int) -> dt.date:
    try:
        if unit == "month":
            return add_months(today, count)
        return today + dt.timedelta(days=count * (7 if unit == "week" else 1))
    except OverflowError:
        raise DateError("That date is too far away.") from None


def _count(word: str) -> int:
    count = _COUNTS.get(word)
    if count is None:
        # Bounded before int(): thousands of digits are a ValueError of int() itself (Python's
        # limit on integer strings), and a slow one below it.
        digits = word.lstrip("0") or "0"
        count = int(digits) if len(digits) <= len(str(MAX_COUNT)) else MAX_COUNT + 1
    if count > MAX_COUNT:
        raise DateError(f"That is too far ahead: count fewer than {MAX_COUNT + 1:,}.")
    return count


def parse_offset(text: str) -> Offset:
    """A script's `min`/`max`: today, tomorrow, in N days/weeks/months, or an ISO date."""
    word = _fold(text)
    fixed = _iso(word)
    if fixed is not None:
        return Offset(text, fixed=fixed)
    if word == "today":
        return Offset(text)
    if word == "tomorrow":
        return Offset(text, count=1)
    match = _IN.match(word)
    if match is None:
        raise DateError(f"'{_shown(text)}' is not a date bound; write {OFFSET_EXAMPLES}")
    return Offset(text, match.group(2), _count(match.group(1)))


def resolve(offset: Offset, today: dt.date) -> dt.date:
    """The day a bound stands for when answering on `today`."""
    if offset.fixed is not None:
        return offset.fixed
    return _move(today, offset.unit, offset.count)


def is_iso(text: str) -> bool:
    """Whether `text` is an ISO date (one day whatever today is: no need to confirm it)."""
    return _ISO.match(_fold(text)) is not None


def parse_date(text: str, today: dt.date) -> dt.date:
    """What a person typed -> the day it means, counted from `today`; DateError otherwise."""
    word = _fold(text)
    if word.startswith("next ") and word[5:] in _DAY_NAMES:
        word = word[5:]  # "next friday" is "friday": the next one after today
    fixed = _iso(word)
    if fixed is not None:
        return fixed
    if word in ("today", "tomorrow"):
        return _move(today, "day", int(word == "tomorrow"))
    if word in _DAY_NAMES:
        ahead = (_DAY_NAMES[word] - today.weekday() - 1) % 7 + 1
        return _move(today, "day", ahead)
    if word == "next week":
        return _move(today, "day", 7)
    if word == "end of week":
        return _move(today, "day", 6 - today.weekday())  # the coming Sunday (today on one)
    if word == "end of month":
        return today.replace(day=month_days(today.year, today.month))
    match = _IN.match(word)
    if match is not None:
        return _move(today, match.group(2), _count(match.group(1)))
    if not word:
        raise DateError(f"Type a date, for example: {examples(today)}")
    raise DateError(f"'{_shown(text)}' is not a date I can read. Try: {examples(today)}")


def examples(
    today: dt.date, lo: dt.date | None = None, hi: dt.date | None = None, *, short: bool = False
) -> str:
    """Words to try that mean a day from `lo` to `hi` when typed on `today`: an ISO date a few
    days ahead (moved inside the bounds), then the words that land inside them. Never one
    fixed date, which would soon be in the past."""
    ahead = _move(today, "day", 3)
    iso = ahead
    if lo is not None and iso < lo:
        iso = lo
    if hi is not None and iso > hi:
        iso = hi
    words = [
        "today",
        "tomorrow",
        WEEKDAYS[ahead.weekday()],
        "next week",
        "in 3 days",
        "in 2 weeks",
        "end of month",
        "in 1 month",
    ]
    fitting = [
        word
        for word in words
        if (lo is None or parse_date(word, today) >= lo)
        and (hi is None or parse_date(word, today) <= hi)
    ]
    if short:  # a placeholder: two words (a weekday first) and the ISO date
        return ", ".join(
            [*fitting[2:4], iso.isoformat()]
            if len(fitting) > 3
            else [*fitting[:2], iso.isoformat()]
        )
    return ", ".join([iso.isoformat(), *fitting[:6]])


def from_iso(value: object) -> dt.date | None:
    """A stored answer (`"YYYY-MM-DD"`) as a date; None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return _iso(value)
    except DateError:
        return None
