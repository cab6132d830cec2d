"""due.py: home's due lines (per mentorship, overdue first, a few each) and the script
that follows a mentorship up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reflectcoach.script.loader import load_file
from reflectcoach.services import due
from reflectcoach.store.commitments import Commitment, summary

TODAY = dt.date(2026, 12, 1)
FIXTURES = Path(__file__).parent / "fixtures" / "commitments"


def made(text: str, mentorship: str | None, day: str | None, n: int = 0) -> Commitment:
    return Commitment(
        id=f"{n:012x}",
        mentorship=mentorship,
        text=text,
        goal=None,
        due=None if day is None else dt.date.fromisoformat(day),
        status="open",
        reason=None,
        conversation_id=None,
        step_id=None,
        seq=n,
        created_at="2026-11-01T09:00:00Z",
        updated_at="2026-11-01T09:00:00Z",
    )


def test_lines_say_overdue_in_words_and_leave_later_ones_out() -> None:
    items = [
        made("Call\nAna", "Kim", "2026-12-03", 1),
        made("email the VP", "Sam", "2026-11-27", 2),
        made("Read the book", "Sam", "2026-12-20", 3),
        made("Undated", None, None, 4),
        made("Today's", None, "2026-12-01", 5),
    ]
    lines = due.due_lines(summary(items, TODAY), TODAY)
    assert [(line.text, line.overdue) for line in lines] == [
        ("Sam: 'email the VP' was due Friday 27 November 2026 (overdue)", True),
        ("No mentorship: 'Today's' is due today", False),
        ("Kim: 'Call Ana' is due Thursday 3 December 2026", False),
    ]


def test_a_busy_mentorship_shows_a_few_then_how_many_more() -> None:
    items = [made(f"step {n}", "Sam", f"2026-11-{10 + n}", n) for n in range(5)]
    lines = due.due_lines(summary(items, TODAY), TODAY)
    assert [line.text for line in lines][-1] == "Sam: and 2 more (k)"
    assert len(lines) == due.PER_MENTORSHIP + 1
    assert lines[-1].commitment_id == "" and lines[-1].mentorship == "Sam"


def test_nothing_due_is_no_lines() -> None:
    assert due.due_lines(summary([made("Later", "Sam", "2026-12-09")], TODAY), TODAY) == []


def test_the_follow_up_script_is_check_in_else_the_first_with_a_follow_up_step() -> None:
    plan = load_file(FIXTURES / "plan.yaml").script
    check_in = load_file(FIXTURES / "check_in.yaml").script
    assert plan is not None and check_in is not None
    assert due.follow_up_script({"plan": plan, "check_in": check_in}) == "check_in"
    assert due.follow_up_script({"plan": plan, "walk": check_in}) == "walk"
    assert due.follow_up_script({"plan": plan}) is None
