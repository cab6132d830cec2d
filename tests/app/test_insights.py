"""Insights: numeric answers over time with every value written out, and monthly counts."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Select, Sparkline, Static

from reflectcoach.app.screens.insights import NO_CONVERSATIONS, NO_SERIES, InsightsScreen
from reflectcoach.app.widgets.insights_counts import MonthlyCounts
from reflectcoach.app.widgets.insights_series import SeriesPanel

from .conftest import MARKUP_MENTORSHIP, settle


async def open_insights(pilot: Pilot) -> InsightsScreen:
    await settle(pilot)
    screen = InsightsScreen()
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def text(widget: Static) -> str:
    return str(widget.render()).replace("\u00a0", " ")


def panels(screen: InsightsScreen) -> list[dict[str, object]]:
    return [
        {
            "question": text(panel.query_one(".series-question", Static)),
            "about": text(panel.query_one(".series-about", Static)),
            "values": text(panel.query_one(".series-values", Static)),
            "plot": list(panel.query_one(Sparkline).data or []),
        }
        for panel in screen.query(SeriesPanel)
    ]


async def test_each_series_is_plotted_and_its_values_listed(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        shown = panels(screen)
        assert [(p["question"], p["values"]) for p in shown] == [
            (
                "How is your energy [1-5]?",
                "2026-01-05: 3   2026-01-12: 4   2026-01-19: 5",
            ),
            ("How is your energy [1-5]?", "2026-02-02: 2   2026-02-09: 3"),
            (
                "How many hours went into it?",
                "2026-01-05: 4   2026-01-12: 2.5   2026-01-19: 6",
            ),
            ("How many hours went into it?", "2026-02-02: 1   2026-02-09: 3"),
            ("How far along is it, from 1 to 10?", "2026-01-26: 6   2026-02-23: 8"),
        ]
        assert shown[0]["plot"] == [3, 4, 5]
        assert shown[0]["about"] == "Weekly check-in · Ada · 3 answers · lowest 3, highest 5"
        # The markup mentorship is named literally, and did nothing.
        assert shown[1]["about"].startswith(f"Weekly check-in · {MARKUP_MENTORSHIP} · ")
        assert app.is_running


async def test_mentorship_filter_narrows_the_series(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        await pilot.press("m")
        select = screen.query_one("#insights-mentorship", Select)
        assert app.focused is select
        select.value = MARKUP_MENTORSHIP
        await settle(pilot)
        shown = panels(screen)
        assert [p["question"] for p in shown] == [
            "How is your energy [1-5]?",
            "How many hours went into it?",
        ]
        assert all(MARKUP_MENTORSHIP in str(p["about"]) for p in shown)
        assert str(select.query_one("#label", Static).render()) == MARKUP_MENTORSHIP

        select.value = "Grace"  # one answer per question: nothing to draw a line through
        await settle(pilot)
        assert panels(screen) == []
        empty = screen.query_one(".insights-empty", Static)
        assert text(empty) == NO_SERIES
        # The monthly table still counts everyone.
        assert screen.query_one(MonthlyCounts).row_count == 4


async def test_monthly_counts_per_script(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        counts = screen.query_one(MonthlyCounts)
        labels = [column.label.plain for column in counts.columns.values()]
        assert labels == [
            "Month",
            "Goal review",
            "Mentorship retrospective",
            "Weekly check-in",
            "Total",
        ]
        rows = [[cell.plain for cell in counts.get_row_at(i)] for i in range(counts.row_count)]
        assert rows == [
            ["2026-03", "1", "1", "1", "3"],
            ["2026-02", "2", "", "2", "4"],
            ["2026-01", "1", "", "3", "4"],
            ["2025-12", "", "1", "", "1"],
        ]


async def test_insights_without_data_explain_what_will_appear(review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        assert text(screen.query_one(".insights-empty", Static)) == NO_CONVERSATIONS
        assert not screen.query(MonthlyCounts)
        await pilot.press("escape")
        assert app.screen is not screen


async def test_insights_with_conversations_but_no_series(review_app, db_path) -> None:
    from reflectcoach.store import Store

    with Store.open(db_path) as store:
        store.start(
            script_id="retro",
            script_version=1,
            script_sha256="0" * 64,
            title="Mentorship retrospective",
            mentorship=None,
            current_step="changed",
        )
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        assert text(screen.query_one(".insights-empty", Static)) == NO_SERIES
        assert screen.query_one(MonthlyCounts).row_count == 1
