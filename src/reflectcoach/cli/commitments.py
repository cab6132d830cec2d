"""Commands about commitments: list them (or write them as a calendar), change a status."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reflectcoach.cli.base import TYPED, Settings, clean, fail, main, pass_settings

if TYPE_CHECKING:
    from reflectcoach.store import Store
    from reflectcoach.store.calendar import Rhythm
    from reflectcoach.store.commitments import Commitment

WEEK = 7
SHOWN = 100  # lines printed unless --limit says otherwise
MAX_LIMIT = 1_000_000_000  # as `list`: well inside what SQLite can bind


@main.command("commitments")
@click.option("--mentorship", "-m", type=TYPED, help="Only this mentorship.")
@click.option("--due", "due", is_flag=True, help="Only those due within a week, or overdue.")
@click.option("--overdue", is_flag=True, help="Only those past their date.")
@click.option("--all", "show_all", is_flag=True, help="Finished ones too (done, dropped).")
@click.option("--json", "as_json", is_flag=True, help="As JSON, one object per commitment.")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=MAX_LIMIT),
    help=f"At most this many, the first in order (lines: {SHOWN:,} unless given; --json: all).",
)
@click.option(
    "--ics",
    type=click.Path(allow_dash=True, path_type=Path),
    help="Write them as an iCalendar file (-: standard output), one all-day event each; "
    "finished ones as cancelled, and each mentorship's meeting rhythm as a recurring event.",
)
@click.option(
    "--alarm", type=click.IntRange(0, 365), help="With --ics: a reminder DAYS before each."
)
@click.option(
    "--talking-points",
    is_flag=True,
    help="With --ics: the open talking points (never private ones) in the meeting event.",
)
@pass_settings
def list_commitments(
    settings: Settings,
    mentorship: str | None,
    due: bool,
    overdue: bool,
    show_all: bool,
    as_json: bool,
    limit: int | None,
    ics: Path | None,
    alarm: int | None,
    talking_points: bool,
) -> None:
    """What you said you would do: open ones (open, partly done, not yet done) by date,
    oldest first, undated last.

    \b
    Each line: id, due date, status, mentorship, what; overdue ones say so:
      3f9a2c1d0e4b  Friday 4 December 2026 (overdue)  open  Sam  Call Ana
    Change one with `reflectcoach commitment done ID` (or partly, drop, not-yet).
    When more match than --limit, a line on standard error says how many there are.
    """
    from reflectcoach.core.clock import today
    from reflectcoach.store.commitments import OPEN, STATUSES

    if due and overdue:
        fail("Use --due or --overdue, not both.")
    if ics is not None and (as_json or show_all):
        fail("--ics writes every commitment (finished ones cancelled); not with --json or --all.")
    if ics is None and (alarm is not None or talking_points):
        fail("--alarm and --talking-points go with --ics.")
    if ics is not None and limit is not None:
        fail("--ics writes every commitment; not with --limit.")
    day = today()
    before = day if overdue else (day + dt.timedelta(days=WEEK + 1) if due else None)
    wanted = {
        "mentorship": mentorship,
        "statuses": STATUSES if (show_all or ics is not None) else OPEN,
        "due_before": before,
    }
    # Lines are for a person: a lifetime's commitments are bounded, and the bound said.
    bound = limit if limit is not None else (None if as_json or ics is not None else SHOWN)
    quick = None
    if ics is None:
        from reflectcoach.store import readonly

        # sqlite3 alone when the file allows; else the Store (checks, migrations, passphrase).
        quick = settings.read_alone(readonly.commitments, limit=bound, **wanted)
    if quick is not None:
        found, total = quick
    else:
        with settings.store() as store:
            found = store.commitments.all(limit=bound, **wanted)  # type: ignore[arg-type]
            total = len(found)
            if bound is not None and total == bound:
                total = store.commitments.count(**wanted)  # type: ignore[arg-type]
            if ics is not None:
                extra = calendar_extras(store, found, mentorship, day, talking_points)
    if ics is not None:
        _write_calendar(found, ics, settings.db_path, alarm=alarm, **extra)
    elif as_json:
        _write_json(found, day)
    elif not found:
        click.echo("No commitments here." if show_all else "No open commitments.")
    else:
        for item in found:
            click.echo(_line(item, day))
    if ics is None and total > len(found):
        click.echo(
            f"Showing the first {len(found):,} of {total:,} (oldest due first); "
            "use --limit N to see more.",
            err=True,
        )


def _line(item: Commitment, day: dt.date) -> str:
    from reflectcoach.script.dates import readable  # as date answers read; imports little

    when = readable(item.due) if item.due is not None else "no date"
    if item.overdue(day):
        when += " (overdue)"
    who = item.mentorship or "-"
    status = item.status.replace("_", " ")
    what = " ".join(item.text.split())
    return clean(f"{item.id}  {when}  {status}  {who}  {what}")


def _write_json(found: list[Commitment], day: dt.date) -> None:
    from reflectcoach.core.terminal import for_terminal
    from reflectcoach.core.text import json_text

    out = for_terminal(sys.stdout)
    rows = [
        {
            "id": c.id,
            "mentorship": c.mentorship,
            "text": c.text,
            "goal": c.goal,
            "due": None if c.due is None else c.due.isoformat(),
            "overdue": c.overdue(day),
            "status": c.status,
            "reason": c.reason,
            "conversation_id": c.conversation_id,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        }
        for c in found
    ]
    out.write(json_text(rows, indent=2) + "\n")
    out.flush()


def calendar_extras(
    store: Store, found: list[Commitment], mentorship: str | None, day: dt.date, points: bool
) -> dict[str, object]:
    """Each commitment's SEQUENCE (its changes), and the rhythm events of active mentorships."""
    from reflectcoach.store.calendar import RHYTHM_RULES, Rhythm

    counts: dict[str, int] = {}
    for event in store.commitments.events():
        counts[event["commitment_id"]] = counts.get(event["commitment_id"], 0) + 1
    sequences = {c.id: max(counts.get(c.id, 1) - 1, 0) for c in found}
    rhythms = []
    for row in store.mentorships.all():
        if row.closed or (mentorship and store.mentorships.get(mentorship) != row):
            continue
        fields = store.state.fields(row.name)
        rhythm = fields.get("rhythm")
        if rhythm is None or rhythm.value not in RHYTHM_RULES:
            continue
        start = _first_day(fields, row.started)
        said = [p.text for p in store.state.points(row.name) if not p.private] if points else []
        rhythms.append(Rhythm(row.key, row.name, rhythm.value, start, said))
    return {"sequences": sequences, "rhythms": rhythms}


def _first_day(fields: dict, started: str) -> dt.date:  # type: ignore[type-arg]
    """The rhythm's first meeting: the next one agreed, else the mentorship's first day."""
    found = fields.get("next_meeting")
    try:
        if found is not None and isinstance(found.value, str):
            return dt.date.fromisoformat(found.value)
        return dt.date.fromisoformat(started)
    except ValueError:
        return dt.date.fromisoformat(started[:10])


def _write_calendar(
    found: list[Commitment],
    target: Path,
    db: Path,
    *,
    alarm: int | None = None,
    sequences: dict[str, int] | None = None,
    rhythms: list[Rhythm] | None = None,
) -> None:
    from reflectcoach.core import outfile
    from reflectcoach.store.calendar import build
    from reflectcoach.store.export import refuse_database

    data, undated = build(
        found, dt.datetime.now(dt.UTC), sequences=sequences, alarm_days=alarm, rhythms=rhythms or ()
    )
    text = data.decode("utf-8")
    if target == Path("-"):
        from reflectcoach.core.terminal import for_terminal

        out = for_terminal(sys.stdout)  # a terminal sees no control character, not even CR
        out.write(text)
        out.flush()
    else:
        try:
            refuse_database(target, db)
            with outfile.open_text(target, newline="") as fp:
                fp.write(text)
        except OSError as problem:
            fail(f"could not write {target}: {problem.strerror or problem}")
    for item in undated:
        if item.status in ("open", "partly", "not_yet"):
            click.echo(clean(f"Left out (no date): {item.id}  {item.text}"), err=True)
    if target != Path("-"):
        written = len(found) - len(undated)
        click.echo(
            f"Wrote {written} commitment{'s' if written != 1 else ''} to {target}.", err=True
        )


@main.group("commitment")
def commitment_group() -> None:
    """Change what became of a commitment: done, partly, drop, not-yet.

    ID is its id as `reflectcoach commitments` shows it, or enough of its start.
    """


def _when(text: str) -> dt.date:
    """`--date` in the words a date question takes: 2026-12-18, friday, in 2 weeks..."""
    from reflectcoach.core.clock import today
    from reflectcoach.script import dates

    day = today()
    try:
        when = dates.parse_date(text, day)
    except dates.DateError as problem:
        fail(problem.message)
    if when < day:
        fail(f"{dates.readable(when)} has passed: give today or a later day.")
    return when


def _change(
    settings: Settings,
    prefix: str,
    status: str,
    *,
    when: str | None = None,
    reason: str | None = None,
) -> None:
    from reflectcoach.script.dates import readable

    due = None if when is None else _when(when)
    with settings.store() as store:
        found = store.commitments.get(prefix)
        changed = store.commitments.set_status(
            found.id, status, due=due, reason=reason or None, source="cli"
        )
    words = {"done": "done", "partly": "partly done", "dropped": "dropped", "not_yet": "not yet"}
    shown = readable(changed.due) if changed.due is not None else "no date"
    detail = f", now due {shown}" if status == "not_yet" else ""
    click.echo(clean(f"Marked {changed.id} {words[status]}{detail}: {changed.text}"))


@commitment_group.command("done")
@click.argument("commitment_id")
@pass_settings
def done(settings: Settings, commitment_id: str) -> None:
    """It is done."""
    _change(settings, commitment_id, "done")


@commitment_group.command("partly")
@click.argument("commitment_id")
@click.option("--reason", type=TYPED, help="What is left.")
@pass_settings
def partly(settings: Settings, commitment_id: str, reason: str | None) -> None:
    """Partly done: it stays open, with what is left."""
    _change(settings, commitment_id, "partly", reason=reason)


@commitment_group.command("drop")
@click.argument("commitment_id")
@click.option("--reason", type=TYPED, help="What made you let it go.")
@pass_settings
def drop(settings: Settings, commitment_id: str, reason: str | None) -> None:
    """Let it go."""
    _change(settings, commitment_id, "dropped", reason=reason)


@commitment_group.command("not-yet")
@click.argument("commitment_id")
@click.option(
    "--date",
    "when",
    required=True,
    type=TYPED,
    help="The new date: 2026-12-18, today, tomorrow, friday, next week, in 2 weeks, end of month.",
)
@pass_settings
def not_yet(settings: Settings, commitment_id: str, when: str) -> None:
    """Not done yet: carried forward to a new date (the old one is kept in its history)."""
    _change(settings, commitment_id, "not_yet", when=when)
