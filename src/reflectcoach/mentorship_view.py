"""A mentorship seen whole, read once for both front ends: who and since when, every
conversation in order, its commitments, and every rating over time.

The app's mentorship screen shows a `MentorshipView`; `reflectcoach mentorship show NAME`
prints `plain_lines(view)`. Both read through `load`, so they always show the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reflectcoach.ratings import RatingSeries, mentorship_ratings, points_text, scale_text

if TYPE_CHECKING:
    from reflectcoach.script.model import Script
    from reflectcoach.store import Store
    from reflectcoach.store.mentorship_rows import Mentorship
    from reflectcoach.store.mentorships import TimelineEntry

NO_COMMITMENTS = "Commitments: none recorded yet."
STATUS_WORDS = {"completed": "completed", "in_progress": "in progress", "abandoned": "set aside"}


@dataclass(frozen=True, slots=True)
class CommitmentLine:
    """What the commitments section shows of one commitment (filled once commitments are
    merged: text, due date, status)."""

    text: str
    due: str | None
    status: str


@dataclass(frozen=True, slots=True)
class MentorshipView:
    mentorship: Mentorship
    timeline: list[TimelineEntry]
    commitments: list[CommitmentLine]
    ratings: list[RatingSeries]


def commitments_for(store: Store, mentorship: Mentorship) -> list[CommitmentLine]:
    """The mentorship's open and finished commitments, for the commitments section."""
    return []  # TODO(integrator): store.commitments(mentorship=mentorship.name) as CommitmentLine


def load(store: Store, scripts: Mapping[str, Script], name: str) -> MentorshipView:
    """StoreError (with a "did you mean") when there is no such mentorship."""
    head = load_head(store, name)
    return replace(head, ratings=mentorship_ratings(store, scripts, head.mentorship.name))


def load_head(store: Store, name: str) -> MentorshipView:
    """All but the ratings (the screen paints these first, then reads the ratings)."""
    mentorship = store.find_mentorship(name)
    return MentorshipView(
        mentorship=mentorship,
        timeline=store.mentorship_timeline(mentorship.name),
        commitments=commitments_for(store, mentorship),
        ratings=[],
    )


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
    return f"{series.question}{reworded} — {title}, {scale_text(series)}"


def plain_lines(view: MentorshipView, titles: Mapping[str, str]) -> list[str]:
    """The view as lines of plain text (the caller makes them safe for a terminal)."""
    lines = [header_text(view.mentorship), "", f"Conversations ({len(view.timeline)}):"]
    lines += [f"  {timeline_line(entry)}" for entry in view.timeline] or ["  none yet"]
    lines.append("")
    if view.commitments:
        lines.append(f"Commitments ({len(view.commitments)}):")
        lines += [
            f"  [{c.status}] {c.text}" + (f" (by {c.due})" if c.due else "")
            for c in view.commitments
        ]
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
