"""A mentorship seen whole, read once for both front ends: who and since when, every
conversation in order, its commitments, and every rating over time; `mentorship show` also
lists its goals (every open one, the goal being worked on first, then those reached or
dropped).

`reflectcoach mentorship show NAME` prints `plain_lines(view)` of `load`'s view. The app's
mentorship screen reads the same rows in pages (`load_page`: the latest conversations and
the first commitments, with how many there are in all; services/ratings.py `rating_list`),
so what it reads follows what it shows; each part is the same as `load`'s, in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reflectcoach.core import clock
from reflectcoach.script.dates import readable
from reflectcoach.services.ratings import RatingSeries, mentorship_ratings, points_text, scale_text
from reflectcoach.store.commitments import OPEN, STATUSES

if TYPE_CHECKING:
    from reflectcoach.script.model import Script
    from reflectcoach.store import Store
    from reflectcoach.store.commitments import Commitment
    from reflectcoach.store.mentorship_rows import Mentorship
    from reflectcoach.store.mentorship_state import Goal
    from reflectcoach.store.mentorships import TimelineEntry

NO_COMMITMENTS = "Commitments: none recorded yet."
STATUS_WORDS = {"completed": "completed", "in_progress": "in progress", "abandoned": "set aside"}


# Statuses in words: the section never relies on a colour to say what became of one.
COMMITMENT_WORDS = {
    "open": "open",
    "partly": "partly done",
    "not_yet": "not done yet",
    "done": "done",
    "dropped": "dropped",
}


@dataclass(frozen=True, slots=True)
class CommitmentLine:
    """What the commitments section shows of one commitment."""

    id: str
    text: str
    due: dt.date | None
    status: str  # one of store.commitments.STATUSES
    overdue: bool
    reason: str | None = None
    carried_from: tuple[dt.date, ...] = ()  # earlier due dates, oldest first (not_yet)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "dropped")


# Finished ones shown (the latest due): a mentorship of years has hundreds, and the open
# ones are what the section is for. The rest: `k` (app), `commitments --all` (CLI).
FINISHED_SHOWN = 10


def shown_commitments(lines: list[CommitmentLine]) -> tuple[list[CommitmentLine], str | None]:
    """Every open one and the latest FINISHED_SHOWN finished ones, with the line saying how
    many finished ones are left out (None when none is)."""
    open_ones = [c for c in lines if not c.finished]
    finished = [c for c in lines if c.finished]
    if len(finished) <= FINISHED_SHOWN:
        return lines, None
    left = len(finished) - FINISHED_SHOWN
    return [*open_ones, *finished[-FINISHED_SHOWN:]], more_finished_text(left)


def more_finished_text(left: int) -> str:
    return (
        f"and {left:,} earlier finished one{'s' if left != 1 else ''} "
        "(all of them: k here, or reflectcoach commitments --all)"
    )


def commitment_text(line: CommitmentLine) -> str:
    """`not done yet · Call Ana · due Friday 4 December 2026 (overdue) · carried forward
    from Friday 27 November 2026`: one line, status first, overdue said in words."""
    parts = [COMMITMENT_WORDS.get(line.status, line.status), _flat(line.text)]
    if line.due is None:
        parts.append("no date")
    else:
        word = "was due" if line.finished else "due"
        parts.append(f"{word} {readable(line.due)}" + (" (overdue)" if line.overdue else ""))
    if line.carried_from:
        parts.append("carried forward from " + ", then ".join(map(readable, line.carried_from)))
    if line.reason:
        parts.append(("why: " if line.status == "dropped" else "left: ") + _flat(line.reason))
    return " · ".join(parts)


def _flat(text: str) -> str:
    """On one line: a commitment typed over several lines is one line here."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class MentorshipView:
    mentorship: Mentorship
    timeline: list[TimelineEntry]
    commitments: list[CommitmentLine]
    ratings: list[RatingSeries]
    goals: tuple[Goal, ...] = ()  # open ones first, the goal being worked on first of all


def commitments_for(
    store: Store, mentorship: Mentorship, today: dt.date | None = None
) -> list[CommitmentLine]:
    """The mentorship's commitments: open ones first (overdue, due within a week, later,
    undated), then finished ones (done, dropped), each group oldest due first."""
    day = today or clock.today()
    found = store.commitments.all(mentorship=mentorship.name, statuses=STATUSES)
    open_ones = [c for c in found if c.status in OPEN]
    finished = [c for c in found if c.status not in OPEN]
    return [_line(store, item, day) for item in [*open_ones, *finished]]


def _line(store: Store, item: Commitment, day: dt.date) -> CommitmentLine:
    carried: tuple[dt.date, ...] = ()
    if item.status == "not_yet":  # few: one small read each for its history
        carried = _carried(store.commitments.events(item.id))
    return CommitmentLine(
        id=item.id,
        text=item.text,
        due=item.due,
        status=item.status,
        overdue=item.overdue(day),
        reason=item.reason,
        carried_from=carried,
    )


def _carried(events: list[dict[str, object]]) -> tuple[dt.date, ...]:
    """The due dates a commitment was carried forward from, oldest first."""
    days = []
    for event in events:
        before, after = event.get("from_due"), event.get("to_due")
        if event.get("to_status") == "not_yet" and isinstance(before, str) and before != after:
            try:
                days.append(dt.date.fromisoformat(before))
            except ValueError:  # another writer's unreadable date: not worth a line
                continue
    return tuple(days)


def load(
    store: Store, scripts: Mapping[str, Script], name: str, today: dt.date | None = None
) -> MentorshipView:
    """StoreError (with a "did you mean") when there is no such mentorship."""
    head = load_head(store, name, today)
    return replace(head, ratings=mentorship_ratings(store, scripts, head.mentorship.name))


def load_head(store: Store, name: str, today: dt.date | None = None) -> MentorshipView:
    """All but the ratings, whole: `load`'s head, and what `load_page` pages (tests compare)."""
    mentorship = store.mentorships.find(name)
    return MentorshipView(
        mentorship=mentorship,
        timeline=store.mentorships.timeline(mentorship.name),
        commitments=commitments_for(store, mentorship, today),
        ratings=[],
        goals=tuple(sorted(store.state.goals(mentorship.name), key=lambda g: g.status != "open")),
    )


@dataclass(frozen=True, slots=True)
class MentorshipPage:
    """What the mentorship screen shows first, and how much there is in all."""

    mentorship: Mentorship
    timeline: list[TimelineEntry]  # the latest conversations, oldest first
    conversations: int  # in all
    open_ones: list[CommitmentLine]  # the first open ones, in `commitments_for`'s order
    open_count: int  # in all
    finished: list[CommitmentLine]  # the latest finished ones (by due), in that order
    finished_count: int  # in all


def load_page(
    store: Store,
    name: str,
    today: dt.date | None = None,
    *,
    conversations: int,
    open_shown: int,
    finished_shown: int = FINISHED_SHOWN,
) -> MentorshipPage:
    """The head of `load`'s view in pages: the latest `conversations` of its timeline and
    the first `open_shown` open and the latest `finished_shown` finished commitments, each
    with its count. A mentorship of years has thousands of conversations and commitments;
    this reads the rows shown (StoreError when there is no such mentorship)."""
    day = today or clock.today()
    mentorship = store.mentorships.find(name)
    finished_statuses = [s for s in STATUSES if s not in OPEN]
    open_ones = store.commitments.all(mentorship=mentorship.name, statuses=OPEN, limit=open_shown)
    finished = store.commitments.all(
        mentorship=mentorship.name, statuses=finished_statuses, limit=finished_shown, last=True
    )
    return MentorshipPage(
        mentorship=mentorship,
        timeline=store.mentorships.timeline(mentorship.name, latest=conversations),
        conversations=store.mentorships.timeline_count(mentorship.name),
        open_ones=[_line(store, item, day) for item in open_ones],
        open_count=store.commitments.count(mentorship=mentorship.name, statuses=OPEN),
        finished=[_line(store, item, day) for item in finished],
        finished_count=store.commitments.count(
            mentorship=mentorship.name, statuses=finished_statuses
        ),
    )


def goal_text(goal: Goal, first: bool) -> str:
    """`open (worked on) · Lead the planning meeting by May`: the status in words."""
    status = "open (worked on)" if first and goal.status == "open" else goal.status
    return f"{status} · {_flat(goal.text)}"


def role_text(mentorship: Mentorship) -> str:
    return {"mentee": "you are the mentee", "mentor": "you are the mentor"}.get(
        mentorship.role or "", "role not given"
    )


def status_text(mentorship: Mentorship) -> str:
    if mentorship.closed and mentorship.closed_at:
        return f"closed {mentorship.closed_at[:10]}"
    return "closed" if mentorship.closed else "active"


def header_text(mentorship: Mentorship) -> str:
    """`Sam · you are the mentee · since 2026-01-05 · active`"""
    return " · ".join(
        [
            mentorship.name,
            role_text(mentorship),
            f"since {mentorship.started}",
            status_text(mentorship),
        ]
    )


def timeline_line(entry: TimelineEntry) -> str:
    status = STATUS_WORDS.get(entry.status, entry.status)
    about = f" — {entry.first_line}" if entry.first_line else ""
    return f"{entry.started_at[:10]}  {entry.title} ({status}){about}  [{entry.id}]"


def series_heading(series: RatingSeries, titles: Mapping[str, str]) -> str:
    title = titles.get(series.script_id, series.script_id)
    reworded = " (wording changed)" if series.reworded else ""
    return f"{series.label}{reworded} — {title}, {scale_text(series)}"


def plain_lines(view: MentorshipView, titles: Mapping[str, str]) -> list[str]:
    """The view as lines of plain text (the caller makes them safe for a terminal)."""
    lines = [header_text(view.mentorship), "", f"Conversations ({len(view.timeline)}):"]
    lines += [f"  {timeline_line(entry)}" for entry in view.timeline] or ["  none yet"]
    lines.append("")
    if view.goals:
        lines.append(f"Goals ({len(view.goals)}):")
        lines += [f"  {goal_text(g, n == 0)}" for n, g in enumerate(view.goals)]
        lines.append("")
    if view.commitments:
        lines.append(f"Commitments ({len(view.commitments)}):")
        shown, more = shown_commitments(view.commitments)
        lines += [f"  {commitment_text(c)}  [{c.id}]" for c in shown]
        lines += [f"  {more}"] if more else []
    else:
        lines.append(NO_COMMITMENTS)
    lines.append("")
    lines.append(f"Ratings ({len(view.ratings)}):")
    for series in view.ratings:
        lines.append(f"  {series_heading(series, titles)}")
        if series.reworded:
            earlier = " / ".join(f'"{w}"' for w in series.wordings[:-1])
            lines.append(f"    first asked as {earlier}")
        lines.append(f"    {points_text(series)}")
    if not view.ratings:
        lines.append("  none yet")
    return lines
