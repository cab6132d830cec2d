"""Commitments end to end: plain mode by subprocess, the commands that list and change them,
and the calendar they export (read back with icalendar's own parser)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from reflectcoach.store import Store

from .test_plain import env_for

pytestmark = pytest.mark.encrypted_too  # commitments --due and --ics read on their own path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "commitments"
TODAY = "2026-12-01"


def run(
    tmp_path: Path, *args: str, stdin: str = "", today: str = TODAY
) -> subprocess.CompletedProcess[str]:
    db = tmp_path / "r.db"
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "--scripts", str(FIXTURES), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**env_for(tmp_path), "REFLECTCOACH_TODAY": today},
        timeout=60,
    )


def lines(*answers: str) -> str:
    return "\n".join(answers) + "\n"


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """A first conversation in plain mode that makes two commitments for Sam."""
    # Piped, a date is taken as typed (and said back): one line per answer.
    stdin = lines("Grow as a lead", "Call Ana", "2026-12-04", "Read the book", "2026-11-28")
    result = run(tmp_path, "start", "plan", "--plain", "-m", "Sam", stdin=stdin)
    assert result.returncode == 0, result.stderr
    return tmp_path


def stored(tmp_path: Path) -> dict[str, tuple[str, dt.date | None]]:
    with Store.open(tmp_path / "r.db") as store:
        return {c.text: (c.status, c.due) for c in store.commitments.all(statuses=None)}


def test_a_plan_then_a_check_in_in_plain_mode(planned: Path) -> None:
    assert stored(planned) == {
        "Call Ana": ("open", dt.date(2026, 12, 4)),
        "Read the book": ("open", dt.date(2026, 11, 28)),
    }
    # The check-in asks oldest due first: the book (overdue), then Ana.
    stdin = lines("1", "3", "2026-12-18", "4", "Plan the talk", "")
    result = run(planned, "start", "plan_check_in", "--plain", "-m", "sam", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    book = out.index("Last time you said you'd *Read the book* by *Saturday 28 November 2026*")
    ana = out.index("Last time you said you'd *Call Ana* by *Friday 4 December 2026*")
    assert book < ana
    assert "  1) Done\n  2) Partly\n  3) Not yet\n  4) Dropped" in out
    assert "By when now?" in out
    assert stored(planned) == {
        "Call Ana": ("not_yet", dt.date(2026, 12, 18)),
        "Read the book": ("done", dt.date(2026, 11, 28)),
        "Plan the talk": ("open", None),
    }
    listed = run(planned, "commitments")
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()
    assert len(rows) == 2
    assert rows[0].endswith("Friday 18 December 2026  not yet  Sam  Call Ana")
    assert rows[1].endswith("no date  open  Sam  Plan the talk")
    every = run(planned, "commitments", "--all").stdout
    assert "done  Sam  Read the book" in every


def test_overdue_is_said_in_words_and_filters_work(planned: Path) -> None:
    out = run(planned, "commitments").stdout.splitlines()
    assert out[0].endswith("Saturday 28 November 2026 (overdue)  open  Sam  Read the book")
    assert "(overdue)" not in out[1]
    assert [
        r.split("  ")[-1] for r in run(planned, "commitments", "--overdue").stdout.splitlines()
    ] == ["Read the book"]
    due = run(planned, "commitments", "--due").stdout.splitlines()
    assert [r.split("  ")[-1] for r in due] == ["Read the book", "Call Ana"]
    later = run(planned, "commitments", "--due", today="2026-11-21").stdout.splitlines()
    assert [r.split("  ")[-1] for r in later] == ["Read the book"]
    assert run(planned, "commitments", "-m", "Bo").stdout == "No open commitments.\n"
    both = run(planned, "commitments", "--due", "--overdue")
    assert both.returncode != 0 and "not both" in both.stderr
    data = json.loads(run(planned, "commitments", "--json").stdout)
    assert [(c["text"], c["due"], c["overdue"]) for c in data] == [
        ("Read the book", "2026-11-28", True),
        ("Call Ana", "2026-12-04", False),
    ]


def ids(tmp_path: Path) -> dict[str, str]:
    with Store.open(tmp_path / "r.db") as store:
        return {c.text: c.id for c in store.commitments.all(statuses=None)}


def test_status_commands_take_prefixes_and_say_what_they_did(planned: Path) -> None:
    known = ids(planned)
    done = run(planned, "commitment", "done", known["Read the book"][:6])
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Marked {known['Read the book']} done: Read the book\n"
    moved = run(planned, "commitment", "not-yet", known["Call Ana"], "--date", "2026-12-09")
    assert "now due Wednesday 9 December 2026" in moved.stdout
    words = run(planned, "commitment", "not-yet", known["Call Ana"][:5], "--date", "in 2 weeks")
    assert "now due Tuesday 15 December 2026" in words.stdout
    unread = run(planned, "commitment", "not-yet", known["Call Ana"], "--date", "soonish")
    assert unread.returncode == 1 and "not a date I can read" in unread.stderr
    moved = run(planned, "commitment", "not-yet", known["Call Ana"], "--date", "2026-12-09")
    missing = run(planned, "commitment", "not-yet", known["Call Ana"])
    assert missing.returncode == 2 and "--date" in missing.stderr
    past = run(planned, "commitment", "not-yet", known["Call Ana"], "--date", "2026-01-01")
    assert past.returncode == 1 and "has passed" in past.stderr
    dropped = run(planned, "commitment", "drop", known["Call Ana"], "--reason", "Ana left")
    assert dropped.returncode == 0, dropped.stderr
    unknown = run(planned, "commitment", "done", "ffffff")
    assert unknown.returncode == 1 and "No commitment has an id starting with" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    with Store.open(planned / "r.db") as store:
        ana = store.commitments.get(known["Call Ana"])
        assert (ana.status, ana.reason, ana.due) == ("dropped", "Ana left", dt.date(2026, 12, 9))
        events = store.commitments.events(ana.id)
    assert [(e["source"], e["to_status"]) for e in events] == [
        ("conversation", "open"),
        ("cli", "not_yet"),
        ("cli", "not_yet"),
        ("cli", "not_yet"),
        ("cli", "dropped"),
    ]


def events(path: Path) -> dict[str, tuple[dt.date, str, str]]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {
        str(e["uid"]): (e.decoded("dtstart"), str(e["summary"]), str(e["description"]))
        for e in calendar.walk("VEVENT")
    }


def test_the_calendar_parses_and_keeps_its_uids_after_a_change(planned: Path) -> None:
    # An undated one, to be left out with a note.
    stdin = lines("Other", "Undated plan", "", "", "")
    assert run(planned, "start", "plan", "--plain", "-m", "Sam", stdin=stdin).returncode == 0
    known = ids(planned)
    target = planned / "due.ics"
    result = run(planned, "commitments", "--ics", str(target))
    assert result.returncode == 0, result.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    assert "Left out (no date)" in result.stderr and "Undated plan" in result.stderr
    first = events(target)
    assert first == {
        f"{known['Read the book']}@reflectcoach": (
            dt.date(2026, 11, 28),
            "Read the book",
            "Mentorship: Sam\nGoal: Grow as a lead",
        ),
        f"{known['Call Ana']}@reflectcoach": (
            dt.date(2026, 12, 4),
            "Call Ana",
            "Mentorship: Sam\nGoal: Grow as a lead",
        ),
    }
    calendar = Calendar.from_ical(target.read_bytes())
    for event in calendar.walk("VEVENT"):
        assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(days=1)
        assert event.get("dtstamp") is not None
    moved = run(planned, "commitment", "not-yet", known["Call Ana"], "--date", "2026-12-10")
    assert moved.returncode == 0, moved.stderr
    run(planned, "commitment", "done", known["Read the book"])
    assert run(planned, "commitments", "--ics", str(target)).returncode == 0
    second = events(target)
    assert second[f"{known['Call Ana']}@reflectcoach"][0] == dt.date(2026, 12, 10)
    # A finished one stays, cancelled, so a calendar that imported it takes it off; each
    # change raises SEQUENCE, so the calendar applies the new version (issue 21).
    calendar = Calendar.from_ical(target.read_bytes())
    found = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    book, ana = (
        found[f"{known['Read the book']}@reflectcoach"],
        found[f"{known['Call Ana']}@reflectcoach"],
    )
    assert (str(book["status"]), int(book["sequence"])) == ("CANCELLED", 1)
    assert (str(ana["status"]), int(ana["sequence"])) == ("CONFIRMED", 1)
    to_stdout = run(planned, "commitments", "--ics", "-")
    assert Calendar.from_ical(to_stdout.stdout.encode()).walk("VEVENT")


def test_search_finds_commitments_labelled_as_such(planned: Path) -> None:
    known = ids(planned)
    result = run(planned, "search", "book")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    start = out.index(next(line for line in out if line.startswith("Commitment ")))
    assert out[start].startswith(f"Commitment {known['Read the book']} [Sam]  open, from ")
    assert out[start + 1] == "  C: Read the book"
    assert out[start + 2] == "  G: Grow as a lead"
    assert "A: Read the book" in result.stdout  # the answer it came from, found as before


def test_the_last_day_there_is_still_makes_a_calendar(planned: Path) -> None:
    """9999-12-31 can be typed; the day after it cannot be written, so the event says one day
    by having no end (RFC 5545 3.6.1: an all-day DTSTART alone lasts one day)."""
    known = ids(planned)
    far = run(planned, "commitment", "not-yet", known["Call Ana"], "--date", "9999-12-31")
    assert far.returncode == 0, far.stderr
    target = planned / "due.ics"
    result = run(planned, "commitments", "--ics", str(target))
    assert result.returncode == 0, result.stderr
    assert "unexpected problem" not in result.stderr
    calendar = Calendar.from_ical(target.read_bytes())
    last = next(e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Call Ana")
    assert last.decoded("dtstart") == dt.date(9999, 12, 31)
    assert "dtend" not in last and "duration" not in last
    other = next(e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Read the book")
    assert other.decoded("dtend") - other.decoded("dtstart") == dt.timedelta(days=1)


def test_a_new_date_of_thousands_of_digits_is_too_far(planned: Path) -> None:
    known = ids(planned)
    huge = "in " + "9" * 5000 + " days"
    result = run(planned, "commitment", "not-yet", known["Call Ana"], "--date", huge)
    assert result.returncode == 1
    assert "too far" in result.stderr and "unexpected problem" not in result.stderr
    assert stored(planned)["Call Ana"] == ("open", dt.date(2026, 12, 4))


def test_the_calendar_reminds_and_keeps_the_meeting_rhythm(planned: Path) -> None:
    from reflectcoach.engine.sets import SetValue

    with Store.open(planned / "r.db") as store:
        with store.transaction() as db:
            from reflectcoach.store import mentorship_state

            mentorship_state.apply(
                db,
                "sam",
                None,
                [SetValue("rhythm", "fortnightly", "every two weeks")],
                "2026-11-01T09:00:00.000000Z",
            )
        store.state.add_point("Sam", "Ask about the budget")
        store.state.add_point("Sam", "Mine alone", private=True)
    target = planned / "due.ics"
    plain = run(planned, "commitments", "--ics", str(target), "--alarm", "2")
    assert plain.returncode == 0, plain.stderr
    calendar = Calendar.from_ical(target.read_bytes())
    meetings = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("rhythm-")]
    [meeting] = meetings
    assert dict(meeting["rrule"]) == {"FREQ": ["WEEKLY"], "INTERVAL": [2]}
    assert "Ask about the budget" not in str(meeting["description"])  # only when asked
    alarms = [a for e in calendar.walk("VEVENT") for a in e.walk("VALARM")]
    assert alarms and all(a.decoded("trigger") == -dt.timedelta(days=2) for a in alarms)
    asked = run(planned, "commitments", "--ics", str(target), "--talking-points")
    assert asked.returncode == 0, asked.stderr
    [meeting] = [
        e
        for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")
        if str(e["uid"]).startswith("rhythm-")
    ]
    described = str(meeting["description"])
    assert "Ask about the budget" in described and "Mine alone" not in described
