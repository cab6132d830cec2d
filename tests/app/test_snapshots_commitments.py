"""Snapshots at 80x24 with a fixed today (2026-12-01): home with its due list, and the
Commitments screen. Commitments come from the fixture `plan` script (commitment_data)."""

from __future__ import annotations

import datetime as dt

import pytest

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.screens.commitments import CommitmentsScreen

from .commitment_data import SCRIPTS, TODAY, seed_commitments
from .conftest import settle
from .test_snapshots_review import showing

SIZE = (80, 24)


@pytest.fixture
def seeded(db_path, utc_local_time, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", TODAY)
    seed_commitments(db_path)


@pytest.fixture
def app(db_path) -> ReflectCoachApp:
    built = ReflectCoachApp(db_path=db_path, script_dirs=[SCRIPTS])
    built.today = lambda: dt.date.fromisoformat(TODAY)
    return built


class TestCommitmentsSnapshots:
    def test_home_with_the_due_list(self, snap_compare, seeded, app) -> None:
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)

    def test_commitments_screen(self, snap_compare, seeded, app) -> None:
        run_before = showing(lambda: CommitmentsScreen())
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
