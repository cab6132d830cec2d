"""What is due, for home's due list: per mentorship, overdue then due within a week, one
line each ("Sam: 'email the VP' was due Friday 27 November 2026 (overdue)"); and which
script follows a mentorship up. No Textual here: the widget only shows these lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reflectcoach.script.dates import readable
from reflectcoach.script.model import QuestionType

if TYPE_CHECKING:
    from reflectcoach.script.model import Script
    from reflectcoach.store.commitments import Commitment, DueGroup
    from reflectcoach.store.nudges import Nudge

CHECK_IN = "check_in"  # the built-in follow-up conversation, when the catalog has it
NOBODY = "No mentorship"
PER_MENTORSHIP = 3  # home stays short: the rest are a line saying how many, k shows them


@dataclass(frozen=True, slots=True)
class DueLine:
    commitment_id: str
    mentorship: str | None
    text: str  # the whole line, plain (the widget makes it safe)
    overdue: bool


def due_lines(groups: Iterable[DueGroup], today: dt.date) -> list[DueLine]:
    """The overdue and this-week commitments of each group, groups in due_summary's order
    (those with something overdue first); later and undated ones are left for the
    Commitments screen. Empty: nothing is worth showing on home."""
    lines = []
    for group in groups:
        due = (*group.overdue, *group.this_week)
        for item in due[:PER_MENTORSHIP]:
            lines.append(
                DueLine(item.id, group.mentorship, line_text(item, today), item.overdue(today))
            )
        beyond = len(due) - PER_MENTORSHIP + group.more
        if beyond > 0:
            more = f"{group.mentorship or NOBODY}: and {beyond:,} more (k)"
            lines.append(DueLine("", group.mentorship, more, False))
    return lines


def nudge_lines(nudges: Iterable[Nudge]) -> list[DueLine]:
    """What the agreement says beyond the commitments listed (store/nudges.py): midpoint
    review, no check-in for longer than the rhythm, planned end, a closed mentorship's
    leftovers; one line per mentorship, in words. (Overdue commitments have lines of
    their own.)"""
    lines = []
    for nudge in nudges:
        parts = [p for p in nudge.parts if not p.endswith(" overdue")]
        if parts:
            text = f"{nudge.mentorship}: {', '.join(parts)}"
            lines.append(DueLine("", nudge.mentorship, text, "due (" in text))
    return lines


def line_text(item: Commitment, today: dt.date) -> str:
    who = item.mentorship or NOBODY
    what = " ".join(item.text.split())
    if item.due is None:  # not from due_summary's two groups, but said plainly all the same
        return f"{who}: '{what}' (no date)"
    if item.due < today:
        return f"{who}: '{what}' was due {readable(item.due)} (overdue)"
    when = "today" if item.due == today else readable(item.due)
    return f"{who}: '{what}' is due {when}"


def follow_up_script(scripts: Mapping[str, Script]) -> str | None:
    """The built-in check-in if there is one, else the first script (in catalog order)
    with a `follow_up` step; None when no script follows commitments up."""
    if CHECK_IN in scripts:
        return CHECK_IN
    for script_id, script in scripts.items():
        if any(step.type is QuestionType.FOLLOW_UP for step in script.steps.values()):
            return script_id
    return None
