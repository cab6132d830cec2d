"""Review's table uses the width there is, shows the time of day, and the date boxes show
their whole date."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from reflectcoach.app.screens.review import ReviewScreen
from reflectcoach.app.widgets.review_table import ReviewTable

from .conftest import MARKUP_MENTORSHIP, settle


async def open_review(pilot) -> ReviewScreen:
    await settle(pilot)
    screen = ReviewScreen()
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def screen_text(app) -> str:
    """What the terminal shows, one line per row (from the SVG screenshot)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for match in re.finditer(r'<text[^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(float(match[2]), []).append((float(match[1]), match[3]))
    lines = []
    for y in sorted(rows):
        line = [" "] * 200
        for x, text in rows[y]:
            text = text.replace("&#160;", " ").replace("&amp;", "&").replace("&#x27;", "'")
            column = round(x / 12.2)
            for i, char in enumerate(text):
                if column + i < len(line):
                    line[column + i] = char
        lines.append("".join(line).rstrip())
    return "\n".join(lines)


async def test_wide_terminal_shows_whole_titles_and_names(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(pilot)
        shown = screen_text(app)
        assert "Mentorship retrospective" in shown
        assert MARKUP_MENTORSHIP.replace("&", "&amp;") in shown or MARKUP_MENTORSHIP in shown
        assert "no mentorship named" in shown
        assert "…" not in shown


async def test_started_shows_the_time_of_day(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(ReviewTable)
        first = [str(c) for c in table.get_row_at(0)]
        assert first[1] == "2026-03-16 09:01"  # local time (the tests run in UTC)
        assert "2026-03-16 09:01" in screen_text(app)


async def test_columns_follow_a_resize(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one(ReviewTable)
        narrow = table.columns["title"].width
        # A column never hides what a wider terminal could show, nor reaches past the edge.
        assert table.virtual_size.width <= table.size.width
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        wide = table.columns["title"].width
        assert wide > narrow
        assert table.virtual_size.width <= table.size.width


@pytest.mark.parametrize(
    ("spare", "title_need", "who_need", "expected"),
    [
        (71, 24, 23, (48, 23)),  # both fit: the names what they need, titles the rest
        (31, 24, 23, (19, 12)),  # neither fits: names their share, titles the rest
        (40, 15, 40, (15, 25)),  # short titles leave the room to the names
        (10, 30, 30, (12, 10)),  # too narrow: the minimums
    ],
)
def test_fair_widths(spare, title_need, who_need, expected) -> None:
    from reflectcoach.app.widgets.review_table import MIN_MENTORSHIP, MIN_TITLE, fair_widths

    assert (MIN_TITLE, MIN_MENTORSHIP) == (12, 10)
    assert fair_widths(spare, title_need, who_need) == expected


async def test_date_boxes_show_the_whole_date(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        since = screen.query_one("#review-since", Input)
        since.focus()
        await pilot.press(*"2026-12-02")
        await settle(pilot)
        assert "2026-12-02" in screen_text(app)  # while typing, cursor after it
        screen.query_one(ReviewTable).focus()
        await settle(pilot)
        assert "2026-12-02" in screen_text(app)  # and once left
