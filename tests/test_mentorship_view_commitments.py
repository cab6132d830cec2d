"""mentorship_view's commitments section: every open one, the latest finished ones, and a
line saying how many finished ones are left out."""

from __future__ import annotations

import datetime as dt

from reflectcoach.services.mentorship_view import (
    FINISHED_SHOWN,
    CommitmentLine,
    commitment_text,
    shown_commitments,
)


def line(n: int, status: str) -> CommitmentLine:
    return CommitmentLine(
        f"{n:012x}", f"step {n}", dt.date(2026, 1, 1) + dt.timedelta(n), status, False
    )


def test_a_long_history_shows_the_open_ones_and_the_latest_finished() -> None:
    lines = [line(n, "done") for n in range(FINISHED_SHOWN + 3)] + [line(99, "open")]
    shown, more = shown_commitments(lines)
    assert [c.text for c in shown] == ["step 99"] + [f"step {n}" for n in range(3, 13)]
    assert (
        more
        == "and 3 earlier finished ones (all of them: k here, or reflectcoach commitments --all)"
    )


def test_a_short_one_shows_everything() -> None:
    lines = [line(1, "open"), line(2, "dropped")]
    assert shown_commitments(lines) == (lines, None)


def test_the_text_is_one_line_and_says_overdue_in_words() -> None:
    item = CommitmentLine("a" * 12, "Call\nAna", dt.date(2026, 12, 4), "partly", True, "the\nrest")
    assert commitment_text(item) == (
        "partly done · Call Ana · due Friday 4 December 2026 (overdue) · left: the rest"
    )
