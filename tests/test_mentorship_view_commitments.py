"""mentorship_view's commitments section: every open one, the latest finished ones, and a
line saying how many finished ones are left out; and the mentorship screen's page
(`load_page`), the same conversations and commitments as the whole read, in pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from store.history import make_history

from reflectcoach.services.mentorship_view import (
    FINISHED_SHOWN,
    CommitmentLine,
    commitment_text,
    load_head,
    load_page,
    shown_commitments,
)
from reflectcoach.store import Store


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


def test_the_screens_page_is_the_whole_read_in_pages(tmp_path: Path) -> None:
    make_history(tmp_path / "h.db", conversations=900, answers_per=6, seed=5, commitments=True)
    today = dt.date(2026, 12, 6)
    with Store.open(tmp_path / "h.db") as store:
        for name in store.mentorships.names()[:3]:
            whole = load_head(store, name, today)
            page = load_page(store, name.lower(), today, conversations=40, open_shown=7)
            assert page.mentorship == whole.mentorship
            assert (page.timeline, page.conversations) == (
                whole.timeline[-40:],
                len(whole.timeline),
            )
            shown, _ = shown_commitments(whole.commitments)
            open_ones = [c for c in whole.commitments if not c.finished]
            finished = [c for c in whole.commitments if c.finished]
            assert len(open_ones) > 7 and len(finished) > FINISHED_SHOWN
            assert (page.open_ones, page.open_count) == (open_ones[:7], len(open_ones))
            assert page.finished == [c for c in shown if c.finished]
            assert page.finished_count == len(finished)
