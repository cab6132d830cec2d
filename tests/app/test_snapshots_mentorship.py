"""Snapshots of the mentorship screen at 80x24 and 120x40, and of compare at 80x24: fixed
data (mentorship_data: fixed clock, counted ids), UTC, a fixed today."""

from __future__ import annotations

import datetime as dt

import pytest

from reflectcoach.app.screens.compare import CompareScreen
from reflectcoach.app.screens.mentorship import MentorshipScreen

from .mentorship_data import make_mentorship
from .test_snapshots_review import showing


@pytest.fixture
def sam(db_path, utc_local_time, fixed_ids, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-03-14")
    return make_mentorship(db_path)


@pytest.fixture
def app(make_app):
    built = make_app()
    built.today = lambda: dt.date(2026, 3, 14)
    return built


class TestMentorshipSnapshots:
    @pytest.mark.parametrize("size", [(80, 24), (120, 40)])
    def test_mentorship(self, snap_compare, sam, app, size) -> None:
        run_before = showing(lambda: MentorshipScreen("Sam"))
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_compare(self, snap_compare, sam, app) -> None:
        run_before = showing(lambda: CompareScreen(sam["tough1"], sam["tough2"]))
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
