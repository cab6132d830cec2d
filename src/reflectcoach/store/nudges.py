"""What the agreement says is due, per mentorship, in words: commitments overdue, the
midpoint review coming or due (from the agreed date), no conversation for longer than the
agreed rhythm, the planned end approaching, and a closed mentorship's leftovers.

Plain SQL over any connection with `execute` (the Store's, or a stdlib sqlite3 one opened
read-only by `peek_nudges`, so `reflectcoach due` never imports sqlite-utils: it runs from a
shell prompt or a timer). Home's due list and the mentorship screen read the same words.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any, Protocol

# Days between meetings for the rhythms first_meeting offers; a few days' grace before
# "no check-in for N days" is said.
RHYTHM_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30}
GRACE = 3
MIDPOINT_AHEAD = 7  # "midpoint review in N days" from this many days before
END_AHEAD = 14  # "planned end in N days"
STATE_SCHEMA = 9  # m009 added the mentorship state


class Executes(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


class Nudge:
    """One mentorship's nudges. (A plain class: `due` must not pay for dataclasses.)"""

    __slots__ = ("mentorship", "parts")

    def __init__(self, mentorship: str, parts: tuple[str, ...]) -> None:
        self.mentorship = mentorship
        self.parts = parts  # "1 overdue", "midpoint review in 3 days", ...

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Nudge) and (self.mentorship, self.parts) == (
            other.mentorship,
            other.parts,
        )

    def __repr__(self) -> str:
        return f"Nudge({self.mentorship!r}, {self.parts!r})"

    @property
    def line(self) -> str:
        return f"{self.mentorship}: {', '.join(self.parts)}"


def _day(value: Any) -> dt.date | None:
    try:
        found = json.loads(value) if isinstance(value, str) else None
        return dt.date.fromisoformat(found) if isinstance(found, str) else None
    except ValueError:
        return None


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _in(day: dt.date, today: dt.date, what: str) -> str:
    n = (day - today).days
    if n == 0:
        return f"{what} today"
    return f"{what} in {_days(n)}" if n > 0 else f"{what} due ({_days(-n)} ago)"


def nudges(db: Executes, today: dt.date, *, state: bool = True) -> list[Nudge]:
    """Every mentorship with something to say, by name. `state`: the file has m009's
    tables (an older one says only what its commitments say)."""
    # Per mentorship (a handful), each count a range of an index: commitments_key
    # (mentorship_key, status, due), and conversations_mentorship_key read newest first.
    rows = []
    for key, name, status in db.execute(
        "SELECT mentorship_key, name, status FROM mentorships ORDER BY name"
    ).fetchall():
        overdue, still_open = db.execute(
            "SELECT count(CASE WHEN due < ? THEN 1 END), count(*) FROM commitments "
            "WHERE mentorship_key = ? AND status IN ('open', 'partly', 'not_yet')",
            [today.isoformat(), key],
        ).fetchone()
        last = db.execute(
            "SELECT started_at FROM conversations WHERE mentorship_key = ? "
            "AND status = 'completed' ORDER BY started_at DESC LIMIT 1",
            [key],
        ).fetchone()
        rows.append((key, name, status, overdue, still_open, last[0] if last else None))
    fields: dict[str, dict[str, str]] = {}
    if state:
        for key, name, value in db.execute(
            "SELECT mentorship_key, field, value_json FROM mentorship_fields "
            "WHERE field IN ('midpoint', 'end', 'rhythm')"
        ).fetchall():
            fields.setdefault(key, {})[name] = value
    reviewed: set[str] | None = None  # mentorships with a completed midpoint review
    found = []
    for key, name, status, overdue, still_open, last in rows:
        parts: list[str] = []
        agreed = fields.get(key, {})
        if status == "closed":
            if still_open:
                many = "s" if still_open != 1 else ""
                parts.append(f"closed, {still_open} commitment{many} still open")
        else:
            if overdue:
                parts.append(f"{overdue} overdue")
            midpoint = _day(agreed.get("midpoint"))
            if midpoint is not None and (midpoint - today).days <= MIDPOINT_AHEAD:
                if reviewed is None:  # read only when some agreement has a midpoint
                    reviewed = {
                        k
                        for (k,) in db.execute(
                            "SELECT DISTINCT mentorship_key FROM conversations "
                            "WHERE script_id = 'midpoint_review' AND status = 'completed'"
                        ).fetchall()
                    }
                if key not in reviewed:
                    parts.append(_in(midpoint, today, "midpoint review"))
            end = _day(agreed.get("end"))
            if end is not None and (end - today).days <= END_AHEAD:
                parts.append(_in(end, today, "planned end"))
            rhythm = agreed.get("rhythm")
            every = RHYTHM_DAYS.get(json.loads(rhythm) if rhythm else "")
            last_day = _local_day(last)
            if every is not None and last_day is not None:
                gap = (today - last_day).days
                if gap > every + GRACE:
                    parts.append(f"no check-in for {_days(gap)}")
        if parts:
            found.append(Nudge(name, tuple(parts)))
    return found


def _local_day(stamp: str | None) -> dt.date | None:
    if not stamp:
        return None
    try:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().date()
    except ValueError:
        return None


def peek_nudges(path: Path, today: dt.date) -> list[Nudge] | None:
    """`nudges` read with the standard library's sqlite3 alone, read-only, when the file is
    a plaintext reflectcoach database (store/peek.py's rules: the header read through
    rawfile, never a plain open()); None when only `Store.open` may read it (encrypted, or
    not as our last clean close left it)."""
    from .peek import clean  # only this path reads without the Store

    if not clean(path):
        return None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version < 8:  # no mentorships table yet: the Store migrates it first
            return None
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        return nudges(conn, today, state="mentorship_fields" in tables)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
