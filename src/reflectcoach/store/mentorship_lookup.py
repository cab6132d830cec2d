"""`{mentorship.FIELD}` as a script reads it (conditions, templates, prefill): this side's
state (store/mentorship_state.py), and beside it what the partner shared that a script may
offer as theirs: their open talking points after the person's own (check_in's agenda offer),
and their stated feedback preference when this side has none (store/partners.py). Never
reads another mentorship.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .mentorship_state import current_goal, fields, history_lines, open_goals, points
from .partners import their_points, their_term

if TYPE_CHECKING:
    from sqlite_utils import Database


def lookup(db: Database, key: str | None, name: str) -> tuple[Any, str] | None:
    """`{mentorship.NAME}` for a conversation of the mentorship `key`: (value, text), or
    None when the mentorship has no such value. Never reads another mentorship."""
    if key is None:
        return None
    if name in ("goal", "first_goal", "goal_history"):
        goal = current_goal(db, key)
        if goal is None:
            return None
        if name == "goal":
            return goal.text, goal.text
        if name == "first_goal":  # only when re-aimed since: "as first set"
            return (goal.first, goal.first) if goal.reaimed else None
        text = "; ".join(history_lines(goal))
        return text, text
    if name == "goals":
        found_goals = open_goals(db, key)
        text = "\n".join(f"- {' '.join(g.text.split())}" for g in found_goals)
        return (text, text) if found_goals else None
    if name == "talking_points":
        found = points(db, key)
        lines = [f"- {' '.join(p.text.split())}" for p in found]
        theirs = their_points(db, key)
        if theirs:
            # The partner's points offered as theirs, after the person's own.
            who = db.execute(
                "SELECT name FROM mentorships WHERE mentorship_key = ?", [key]
            ).fetchone()
            lines += [f"- From {who[0] if who else 'your partner'}: {t}" for t in theirs if t]
        text = "\n".join(lines)
        return (text, text) if lines else None
    row = db.execute(
        "SELECT name, role, started, status FROM mentorships WHERE mentorship_key = ?", [key]
    ).fetchone()
    if name in ("name", "role", "started", "status"):
        if row is None:
            return None
        value = dict(zip(("name", "role", "started", "status"), row, strict=True))[name]
        return (None, "") if value is None else (value, str(value))
    found_field = fields(db, key).get(name)
    if found_field is None and name == "partner_feedback" and row is not None:
        # Not said on this side: the preference the partner stated in their agreement.
        other = {"mentee": "mentor", "mentor": "mentee"}.get(row[1] or "")
        return their_term(db, key, f"{other}_feedback") if other else None
    if found_field is None:
        return None
    return found_field.value, found_field.text
