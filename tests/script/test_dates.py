"""Dates as people type them (script/dates.py): words, ISO, bounds, the readable form."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflectcoach.script.dates import (
    DateError,
    Offset,
    add_months,
    months_ahead,
    parse_date,
    parse_offset,
    readable,
    resolve,
)

TUESDAY = dt.date(2026, 12, 1)
SUNDAY = dt.date(2026, 12, 6)
days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9000, 12, 31))


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("2026-12-04", "2026-12-04"),
        ("today", "2026-12-01"),
        ("  ToDay ", "2026-12-01"),
        ("tomorrow", "2026-12-02"),
        ("friday", "2026-12-04"),
        ("Fri", "2026-12-04"),
        ("next friday", "2026-12-04"),
        ("NEXT   Friday", "2026-12-04"),
        ("tuesday", "2026-12-08"),  # strictly after today, so a week on
        ("tue", "2026-12-08"),
        ("wednesday", "2026-12-02"),
        ("mon", "2026-12-07"),
        ("next week", "2026-12-08"),
        ("in 3 days", "2026-12-04"),
        ("in 1 day", "2026-12-02"),
        ("in 2 weeks", "2026-12-15"),
        ("in a week", "2026-12-08"),
        ("in 1 month", "2027-01-01"),
        ("in 3 months", "2027-03-01"),
        ("end of week", "2026-12-06"),
        ("end of month", "2026-12-31"),
    ],
)
def test_words_people_type(typed: str, iso: str) -> None:
    assert parse_date(typed, TUESDAY).isoformat() == iso


def test_months_are_calendar_months_clamped_to_the_month_end() -> None:
    assert parse_date("in 1 month", dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert parse_date("in 1 month", dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 12, 15), 13) == dt.date(2028, 1, 15)


def test_end_of_week_on_a_sunday_is_that_day_and_end_of_month_on_its_last() -> None:
    assert parse_date("end of week", SUNDAY) == SUNDAY
    assert parse_date("sunday", SUNDAY) == dt.date(2026, 12, 13)
    assert parse_date("end of month", dt.date(2026, 2, 28)) == dt.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "Type a date"),
        ("someday", "'someday' is not a date I can read. Try: 2026-12-04, today"),
        ("2026-02-30", "not a day of the calendar"),
        ("2026-2-3", "not a date I can read"),
        ("20261204", "not a date I can read"),  # fromisoformat would take it; people do not
        ("in 99999 days", "too far ahead"),
        ("next fortnight", "not a date I can read"),
    ],
)
def test_what_is_not_a_date_says_how_to_write_one(typed: str, fragment: str) -> None:
    with pytest.raises(DateError, match=fragment):
        parse_date(typed, TUESDAY)


def test_readable_names_the_weekday() -> None:
    assert readable(dt.date(2026, 12, 4)) == "Friday 4 December 2026"
    assert readable(dt.date(2027, 1, 31)) == "Sunday 31 January 2027"


@settings(deadline=None)  # a loaded machine must not fail a parser test
@given(days, days)
def test_every_iso_date_round_trips(day: dt.date, today: dt.date) -> None:
    assert parse_date(day.isoformat(), today) == day
    assert parse_date(f"  {day.isoformat()} ", today) == day


@settings(deadline=None)
@given(
    st.sampled_from(["tomorrow", "friday", "mon", "next sunday", "next week", "in 2 weeks"]),
    days,
)
def test_words_about_the_future_give_a_later_day(word: str, today: dt.date) -> None:
    assert parse_date(word, today) > today


@settings(deadline=None)
@given(st.sampled_from(["today", "end of week", "end of month", "in 0 days"]), days)
def test_words_about_now_give_today_or_later(word: str, today: dt.date) -> None:
    day = parse_date(word, today)
    assert today <= day <= today + dt.timedelta(days=31)


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=9999), st.sampled_from(["day", "week", "month"]), days)
def test_counted_offsets_never_go_back(count: int, unit: str, today: dt.date) -> None:
    try:
        day = parse_date(f"in {count} {unit}s", today)
    except DateError:
        return  # beyond year 9999
    assert day >= today


@settings(deadline=None)
@given(st.text(max_size=40), days)
def test_any_text_gives_a_date_or_a_date_error(text: str, today: dt.date) -> None:
    try:
        parse_date(text, today)
    except DateError as err:
        assert err.message
    try:
        parse_offset(text)
    except DateError as err:
        assert err.message


@settings(deadline=None)
@given(days)
def test_far_days_from_the_end_of_time_are_date_errors(today: dt.date) -> None:
    end = dt.date(9999, 12, 30)
    for word in ("in 9999 months", "in 9999 weeks", "next week", "in 1 month"):
        try:
            assert parse_date(word, end) >= end
        except DateError as err:
            assert "too far" in err.message


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("today", Offset("today")),
        ("tomorrow", Offset("tomorrow", count=1)),
        ("in 3 days", Offset("in 3 days", "day", 3)),
        ("In 2 Weeks", Offset("In 2 Weeks", "week", 2)),
        ("in 3 months", Offset("in 3 months", "month", 3)),
        ("2026-12-25", Offset("2026-12-25", fixed=dt.date(2026, 12, 25))),
    ],
)
def test_bounds_a_script_may_write(text: str, offset: Offset) -> None:
    assert parse_offset(text) == offset


def test_bounds_resolve_from_the_day_of_answering() -> None:
    assert resolve(parse_offset("today"), TUESDAY) == TUESDAY
    assert resolve(parse_offset("in 3 months"), TUESDAY) == dt.date(2027, 3, 1)
    assert resolve(parse_offset("2026-12-25"), TUESDAY) == dt.date(2026, 12, 25)


@pytest.mark.parametrize("text", ["friday", "next week", "soon", "3 days", "yesterday"])
def test_bounds_are_only_offsets_or_iso(text: str) -> None:
    with pytest.raises(DateError, match="not a date bound; write today, tomorrow"):
        parse_offset(text)


@settings(deadline=None)
@given(days)
def test_end_of_month_is_the_last_day_of_the_month(today: dt.date) -> None:
    last = parse_date("end of month", today)
    assert (last.year, last.month) == (today.year, today.month)
    assert (last + dt.timedelta(days=1)).day == 1


@pytest.mark.parametrize(
    "digits",
    ["9" * 5000, "1" + "0" * 4400, "0" * 6000 + "1", "9" * 20],
    ids=["5000 nines", "10^4400", "one after 6000 zeros", "20 nines"],
)
def test_thousands_of_digits_are_too_far_not_a_crash(digits: str) -> None:
    for unit in ("days", "weeks", "months"):
        text = f"in {digits} {unit}"
        if digits.lstrip("0") == "1":
            assert parse_date(text, TUESDAY) > TUESDAY
            assert parse_offset(text).count == 1
            continue
        with pytest.raises(DateError, match="too far"):
            parse_date(text, TUESDAY)
        with pytest.raises(DateError, match="too far"):
            parse_offset(text)


counted = st.builds(
    "in {} {}".format,
    st.one_of(
        st.integers(min_value=0, max_value=10**6).map(str),
        st.from_regex(r"\A0*[0-9]+\Z"),
        st.integers(min_value=4000, max_value=9000).map(lambda n: "9" * n),
    ),
    st.sampled_from(["day", "days", "week", "weeks", "month", "months"]),
)


@settings(deadline=None, max_examples=300)
@given(
    st.one_of(counted, st.text(max_size=40), st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")),
    st.dates(),
)
def test_parse_date_only_ever_raises_date_error(text: str, today: dt.date) -> None:
    """Over every day there is (date.min to date.max), typed words, counts of any length
    and ISO-looking strings: a date or a DateError with a message, nothing else."""
    try:
        parse_date(text, today)
    except DateError as err:
        assert err.message
    try:
        resolve(parse_offset(text), today)
    except DateError as err:
        assert err.message


@given(
    today=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    months=st.one_of(st.integers(-5, 400), st.floats(-5, 400, allow_nan=False)),
)
def test_months_ahead_is_the_agreements_end_and_halfway_its_midpoint(
    today: dt.date, months: float
) -> None:
    """in_months.STEP / halfway.STEP: the end is calendar months on (a fraction in days of
    30), the mid-point halfway there in whole days; no count of months, no day."""
    end = months_ahead(today, months)
    middle = months_ahead(today, months, halfway=True)
    if months <= 0:
        assert end is None and middle is None
        return
    assert end is not None and middle is not None
    assert today <= middle <= end  # a sliver of a month may round to no days at all
    assert (middle - today).days == (end - today).days // 2
    if float(months).is_integer():
        assert end == add_months(today, int(months))


def test_months_ahead_takes_only_a_number() -> None:
    today = dt.date(2026, 1, 31)
    assert months_ahead(today, 1) == dt.date(2026, 2, 28)
    assert months_ahead(today, 6, halfway=True) == dt.date(2026, 5, 1)  # 181 days // 2
    for value in ("6", None, True, [6], 10**6):
        assert months_ahead(today, value) is None
