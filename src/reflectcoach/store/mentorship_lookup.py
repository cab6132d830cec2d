"""`{mentorship.FIELD}` as a script reads it (conditions, templates, prefill): this side's
state (store/mentorship_state.py), and beside it what the partner shared that a script may
offer as theirs: their open talking points after the person's own (check_in's agenda offer),
and their stated feedback preference when this side has none (store/partners.py). Never
reads another mentorship.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from reflectcoach.core.sharing import KEPT_PRIVATE

from .mentorship_state import (
    Goal,
    TalkingPoint,
    current_goal,
    fields,
    history_lines,
    open_goals,
    points,
)
from .partners import their_points, their_term

if TYPE_CHECKING:
    from sqlite_utils import Database


class StateValue(NamedTuple):
    """`{mentorship.NAME}`: its value, its text, and the text a record part that may be sent
    shows: `KEPT_PRIVATE` for what a just-for-me answer set, a list without its private
    items (those stay in the person's own parts)."""

    value: Any
    text: str
    shared: str


def _value(value: Any, text: str, private: bool = False) -> StateValue:
    return StateValue(value, text, KEPT_PRIVATE if private and text else text)


def _bullets(
    items: Sequence[Goal] | Sequence[TalkingPoint], theirs: Sequence[str] = ()
) -> StateValue | None:
    """One `- ` line each; `theirs` (the partner's, already labelled) after the person's own,
    in both copies: the partner shared them."""

    def lines(chosen: Iterable[Goal] | Iterable[TalkingPoint]) -> list[str]:
        return [f"- {' '.join(item.text.split())}" for item in chosen]

    if not items and not theirs:
        return None
    text = "\n".join([*lines(items), *theirs])
    return StateValue(text, text, "\n".join([*lines(i for i in items if not i.private), *theirs]))


def _their_points(db: Database, key: str) -> list[str]:
    theirs = [t for t in their_points(db, key) if t]
    if not theirs:
        return []
    who = db.execute("SELECT name FROM mentorships WHERE mentorship_key = ?", [key]).fetchone()
    return [f"- From {who[0] if who else 'your partner'}: {t}" for t in theirs]


def lookup(db: Database, key: str | None, name: str) -> StateValue | None:
    """`{mentorship.NAME}` for a conversation of the mentorship `key`, or None when the
    mentorship has no such value. Never reads another mentorship."""
    if key is None:
        return None
    if name in ("goal", "first_goal", "goal_history"):
        goal = current_goal(db, key)
        if goal is None:
            return None
        if name == "goal":
            return _value(goal.text, goal.text, goal.private)
        if name == "first_goal":  # only when re-aimed since: "as first set"
            return _value(goal.first, goal.first, goal.private) if goal.reaimed else None
        text = "; ".join(history_lines(goal))
        return _value(text, text, goal.private)
    if name == "goals":
        return _bullets(open_goals(db, key))
    if name == "talking_points":
        # The partner's points offered as theirs, after the person's own.
        return _bullets(points(db, key), _their_points(db, key))
    row = db.execute(
        "SELECT name, role, started, status FROM mentorships WHERE mentorship_key = ?", [key]
    ).fetchone()
    if name in ("name", "role", "started", "status"):
        if row is None:
            return None
        value = dict(zip(("name", "role", "started", "status"), row, strict=True))[name]
        return _value(None, "") if value is None else _value(value, str(value))
    found_field = fields(db, key).get(name)
    if found_field is None and name == "partner_feedback" and row is not None:
        # Not said on this side: the preference the partner stated in their agreement.
        other = {"mentee": "mentor", "mentor": "mentee"}.get(row[1] or "")
        found = their_term(db, key, f"{other}_feedback") if other else None
        return None if found is None else _value(*found)
    if found_field is None:
        return None
    return _value(found_field.value, found_field.text, found_field.private)
