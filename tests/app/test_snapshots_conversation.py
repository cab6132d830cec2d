"""Snapshots at 80x24: home, a question of each type, a validation error, the end, help.

Only the fixture script is loaded (tests/app/fixtures/every_type.yaml), on a fixed date, so
edits to the built-in scripts or the day the tests run change nothing here. Update with
`make snapshots` and look at the report before accepting.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

SIZE = (80, 24)

# Answers leading to each question of the fixture script (confidence 4: no "worry" branch).
ON_THE_WAY = {
    "name": "Robin",
    "role": "mentee",
    "hopes": "To listen better.\nAnd to ask for help sooner.",
    "blockers": ["time"],
    "confidence": 4,
    "ready": True,
}


def reach(step_id: str, drive) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        d = drive(pilot)
        await d.settle()
        while d.question.step.id != step_id:
            await d.answer(ON_THE_WAY[d.question.step.id])
        await d.settle()

    return run_before


class TestHome:
    def test_home(self, snap_compare, fixture_app, seed, drive) -> None:
        seed("every_type", "Alex", answers=2)

        async def run_before(pilot: Pilot) -> None:
            await drive(pilot).settle()

        assert snap_compare(fixture_app(), terminal_size=SIZE, run_before=run_before)


class TestQuestions:
    @pytest.mark.parametrize(
        "step_id", ["name", "role", "hopes", "blockers", "confidence", "ready", "hours"]
    )
    def test_question(self, snap_compare, fixture_app, drive, step_id: str) -> None:
        app = fixture_app(start="every_type", mentorship="Alex")
        assert snap_compare(app, terminal_size=SIZE, run_before=reach(step_id, drive))

    def test_validation_error(self, snap_compare, fixture_app, drive) -> None:
        async def run_before(pilot: Pilot) -> None:
            await reach("hours", drive)(pilot)
            pilot.app.screen.query_one(Input).value = "99"
            await pilot.press("enter")
            await drive(pilot).settle()

        app = fixture_app(start="every_type")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestEndAndHelp:
    def test_end_summary(self, snap_compare, fixture_app, drive) -> None:
        async def run_before(pilot: Pilot) -> None:
            d = drive(pilot)
            await d.settle()
            await d.finish({**ON_THE_WAY, "hours": 6})

        app = fixture_app(start="every_type", mentorship="Alex")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_help(self, snap_compare, fixture_app, drive) -> None:
        async def run_before(pilot: Pilot) -> None:
            await drive(pilot).settle()
            await pilot.press("f1")
            await drive(pilot).settle()

        assert snap_compare(fixture_app(), terminal_size=SIZE, run_before=run_before)
