"""Date answers (answers.py): typed words -> an ISO string within bounds, and back to words."""

from __future__ import annotations

import datetime as dt

import pytest

from reflectcoach.core import clock
from reflectcoach.engine.answers import AnswerError, display, fits, instructions, normalise
from reflectcoach.script.dates import parse_offset
from reflectcoach.script.model import Pos, QuestionType, Step

TUESDAY = dt.date(2026, 12, 1)


def date_step(lo: str | None = None, hi: str | None = None, optional: bool = False) -> Step:
    return Step(
        id="by_when",
        pos=Pos(1, 1),
        type=QuestionType.DATE,
        optional=optional,
        date_min=parse_offset(lo) if lo else None,
        date_max=parse_offset(hi) if hi else None,
    )


def test_a_date_answer_is_stored_as_iso_text() -> None:
    assert normalise(date_step(), "friday", {}, today=TUESDAY) == "2026-12-04"
    assert normalise(date_step(), "2027-02-01", {}, today=TUESDAY) == "2027-02-01"
    assert normalise(date_step(), dt.date(2027, 2, 1), {}, today=TUESDAY) == "2027-02-01"


def test_today_comes_from_the_clock_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01")
    assert normalise(date_step(), "tomorrow", {}) == "2026-12-02"


def test_out_of_bounds_says_the_range_in_words() -> None:
    step = date_step("today", "in 3 months")
    with pytest.raises(AnswerError, match="pick a date from Tuesday 1 December 2026 to Monday 1"):
        normalise(step, "2026-11-30", {}, today=TUESDAY)
    with pytest.raises(AnswerError, match="out of range"):
        normalise(step, "in 4 months", {}, today=TUESDAY)
    assert normalise(step, "in 3 months", {}, today=TUESDAY) == "2027-03-01"
    with pytest.raises(AnswerError, match=r"pick a date from Tuesday 1 December 2026 on\."):
        normalise(date_step("today"), "2026-01-01", {}, today=TUESDAY)
    with pytest.raises(AnswerError, match=r"pick a date up to Friday 25 December 2026\."):
        normalise(date_step(hi="2026-12-25"), "2026-12-26", {}, today=TUESDAY)


def test_a_word_that_is_not_a_date_is_an_answer_error_with_examples() -> None:
    with pytest.raises(AnswerError, match="Try: 2026-12-04, today, tomorrow, friday"):
        normalise(date_step(), "whenever", {}, today=TUESDAY)
    with pytest.raises(AnswerError, match="Type a date"):
        normalise(date_step(), None, {}, today=TUESDAY)


def test_display_is_the_readable_form() -> None:
    assert display(date_step(), "2026-12-04", {}) == "Friday 4 December 2026"
    assert display(date_step(), None, {}) == ""
    assert display(date_step(), "not a date", {}) == "not a date"  # an import may hold anything
    assert "2026-12-04, today, tomorrow, friday" in instructions(date_step(), {}, TUESDAY)


def test_a_stored_date_fits_when_iso_and_within_fixed_bounds() -> None:
    assert fits(date_step(), "2026-12-04")
    # Bounds counted from the day of answering were checked that day.
    assert fits(date_step("today"), "2001-01-01")
    assert not fits(date_step("2026-12-01"), "2026-11-30")
    assert not fits(date_step(hi="2026-12-01"), "2026-12-02")
    for value in ("friday", "2026-02-30", 20261204, None, ["2026-12-04"], "2026-12-04 "):
        assert not fits(date_step(), value)
    assert fits(date_step(optional=True), None)


def test_date_examples_follow_today_and_the_bounds() -> None:
    import datetime as dt

    from reflectcoach.script import dates

    today = dt.date(2026, 12, 20)
    words = dates.examples(today).split(", ")
    assert words[0] == "2026-12-23" and "2026-12-04" not in words
    lo, hi = dt.date(2027, 1, 20), dt.date(2027, 3, 1)  # from in a month, up to March
    words = dates.examples(today, lo, hi).split(", ")
    assert words[0] == "2027-01-20"
    for word in words:
        assert lo <= dates.parse_date(word, today) <= hi, word
    assert "today" not in words and "in 1 month" in words
    short = dates.examples(today, short=True).split(", ")
    assert len(short) == 3 and short[-1] == "2026-12-23"
