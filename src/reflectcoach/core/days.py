"""A day as people read it: `Friday 4 December 2026`. The one readable form of a date, for
answers, commitments, exports and lists on every floor."""

from __future__ import annotations

import datetime as dt

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)


def readable(day: dt.date | None) -> str:
    """`Friday 4 December 2026`: day and month names in the locale's language (LC_TIME, when
    a front end has set it), English when the locale gives none; empty for no date."""
    if day is None:
        return ""
    try:
        weekday, month = day.strftime("%A"), day.strftime("%B")
    except (ValueError, UnicodeError):
        weekday, month = "", ""
    if not weekday.strip() or not month.strip():
        weekday, month = WEEKDAYS[day.weekday()], MONTHS[day.month - 1]
    return f"{weekday} {day.day} {month} {day.year}"
