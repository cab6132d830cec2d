"""Snapshots at 80x24 of looking back: review, transcript, insights and their dialogs.

The data are fixed (filled_db: fixed clock, counted ids, UTC), the export date is fixed
(review_app) and Inputs do not blink when headless, so every run draws the same screen.
`make snapshots` regenerates them; look at the SVGs before accepting a change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.screen import Screen

from reflectcoach.app.screens.insights import InsightsScreen
from reflectcoach.app.screens.review import ReviewScreen
from reflectcoach.app.screens.transcript import TranscriptScreen

from .conftest import settle

SIZE = (80, 24)


def showing(make: Callable[[], Screen], *keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """run_before: push the screen `make()` returns, then press `keys`, settling between."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(make())
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestReviewSnapshots:
    def test_review_with_data(self, snap_compare, filled_db, review_app) -> None:
        assert snap_compare(review_app(), terminal_size=SIZE, run_before=showing(ReviewScreen))

    def test_review_search_shows_matches_literally(
        self, snap_compare, filled_db, review_app
    ) -> None:
        assert snap_compare(
            review_app(), terminal_size=SIZE, run_before=showing(lambda: ReviewScreen("x"))
        )

    def test_review_light_theme(self, snap_compare, filled_db, review_app) -> None:
        app = review_app()
        app.theme = "textual-light"
        assert snap_compare(app, terminal_size=SIZE, run_before=showing(ReviewScreen))

    def test_review_empty(self, snap_compare, review_app, utc_local_time) -> None:
        assert snap_compare(review_app(), terminal_size=SIZE, run_before=showing(ReviewScreen))

    def test_transcript(self, snap_compare, filled_db, review_app) -> None:
        run_before = showing(lambda: TranscriptScreen(filled_db["markup1"]))
        assert snap_compare(review_app(), terminal_size=SIZE, run_before=run_before)

    def test_insights(self, snap_compare, filled_db, review_app) -> None:
        assert snap_compare(review_app(), terminal_size=SIZE, run_before=showing(InsightsScreen))

    def test_export_dialog(self, snap_compare, filled_db, review_app) -> None:
        run_before = showing(ReviewScreen, "e")
        assert snap_compare(review_app(), terminal_size=SIZE, run_before=run_before)

    def test_delete_confirmation(self, snap_compare, filled_db, review_app) -> None:
        run_before = showing(ReviewScreen, "down", "down", "down", "down", "down", "d")
        assert snap_compare(review_app(), terminal_size=SIZE, run_before=run_before)
