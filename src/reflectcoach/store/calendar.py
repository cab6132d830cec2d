"""Commitments as an iCalendar file, built and serialised by the `icalendar` library.

One all-day event per dated commitment. Its UID is `<commitment id>@reflectcoach`, the same on
every export, so a calendar that imports the file again updates the event (a new date, say)
rather than adding a second one. Its SEQUENCE counts the changes made to it (RFC 5545 3.8.7.4:
a calendar applies an import only when the sequence has gone up), and a finished one (done,
dropped) is written STATUS:CANCELLED, so a calendar that imported it before takes it off.
An optional VALARM reminds some days before. The agreed meeting rhythm is one recurring event
per mentorship (UID `rhythm-<key>@reflectcoach`); its description carries the open talking
points only when asked, and never a private one (calendars are often synced to a cloud).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Alarm, Calendar, Event

from reflectcoach.core.text import clean

from .commitments import Commitment

FINISHED = ("done", "dropped")
# An RRULE per agreed rhythm (first_meeting's values).
RHYTHM_RULES = {
    "weekly": {"freq": "weekly"},
    "fortnightly": {"freq": "weekly", "interval": 2},
    "monthly": {"freq": "monthly"},
}

PRODID = "-//reflectcoach//commitments//EN"
UID_DOMAIN = "reflectcoach"


def uid(commitment_id: str) -> str:
    return f"{commitment_id}@{UID_DOMAIN}"


class Rhythm:
    """A mentorship's agreed meeting rhythm, as a recurring event."""

    def __init__(
        self, key: str, name: str, rhythm: str, start: dt.date, points: Iterable[str] = ()
    ) -> None:
        self.key, self.name, self.rhythm, self.start = key, name, rhythm, start
        self.points = list(points)  # open, not private: only when the person asks


def build(
    items: Iterable[Commitment],
    now: dt.datetime,
    *,
    sequences: dict[str, int] | None = None,
    alarm_days: int | None = None,
    rhythms: Iterable[Rhythm] = (),
) -> tuple[bytes, list[Commitment]]:
    """(the calendar as iCalendar bytes, the commitments left out for having no date).
    `sequences`: each commitment's number of changes (its events after the first)."""
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
        event.add("sequence", (sequences or {}).get(item.id, 0))
        finished = item.status in FINISHED
        event.add("status", "CANCELLED" if finished else "CONFIRMED")
        event.add("transp", "TRANSPARENT")  # a reminder, not time taken
        if alarm_days is not None and not finished:
            event.add_component(_alarm(alarm_days, item.text))
        calendar.add_component(event)
    for rhythm in rhythms:
        calendar.add_component(_rhythm_event(rhythm, stamp))
    return calendar.to_ical(), undated


def _alarm(days: int, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", clean(text))
    alarm.add("trigger", dt.timedelta(days=-days))
    return alarm


def _rhythm_event(rhythm: Rhythm, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"rhythm-{rhythm.key.replace(' ', '-')}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", rhythm.start)
    event.add("dtend", rhythm.start + dt.timedelta(days=1))
    event.add("rrule", RHYTHM_RULES[rhythm.rhythm])
    event.add("summary", clean(f"Mentoring meeting with {rhythm.name}"))
    lines = [f"Mentorship: {rhythm.name}"]
    if rhythm.points:
        lines.append("Talking points:")
        lines += [f"- {' '.join(p.split())}" for p in rhythm.points]
    event.add("description", clean("\n".join(lines)))
    event.add("transp", "TRANSPARENT")
    return event


def description(item: Commitment) -> str:
    lines = [f"Mentorship: {item.mentorship or '(none)'}"]
    if item.goal:
        lines.append(f"Goal: {item.goal}")
    if item.status != "open":
        lines.append(f"Status: {item.status.replace('_', ' ')}")
    return "\n".join(lines)
