"""Open commitments as an iCalendar file, built and serialised by the `icalendar` library.

One all-day event per dated commitment. Its UID is `<commitment id>@reflectcoach`, the same on
every export, so a calendar that imports the file again updates the event (a new date, say)
rather than adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from reflectcoach.core.text import clean

from .commitments import Commitment

PRODID = "-//reflectcoach//commitments//EN"
UID_DOMAIN = "reflectcoach"


def uid(commitment_id: str) -> str:
    return f"{commitment_id}@{UID_DOMAIN}"


def build(items: Iterable[Commitment], now: dt.datetime) -> tuple[bytes, list[Commitment]]:
    """(the calendar as iCalendar bytes, the commitments left out for having no date)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "reflectcoach commitments")
    undated = []
    stamp = now.astimezone(dt.UTC)
    for item in items:
        if item.due is None:
            undated.append(item)
            continue
        event = Event()
        event.add("uid", uid(item.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)  # a date: an all-day event (VALUE=DATE)
        if item.due < dt.date.max:
            event.add("dtend", item.due + dt.timedelta(days=1))
        # else: 9999-12-31 has no day after it; a DATE DTSTART alone lasts one day (RFC 5545
        # 3.6.1), which every calendar reads the same.
        event.add("summary", clean(item.text))
        event.add("description", clean(description(item)))
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")  # a reminder, not time taken
        calendar.add_component(event)
    return calendar.to_ical(), undated


def description(item: Commitment) -> str:
    lines = [f"Mentorship: {item.mentorship or '(none)'}"]
    if item.goal:
        lines.append(f"Goal: {item.goal}")
    if item.status != "open":
        lines.append(f"Status: {item.status.replace('_', ' ')}")
    return "\n".join(lines)
