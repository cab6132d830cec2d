"""The date input: the day a word means shown live under it, taken with Enter (app clock)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.widgets.answer_inputs import DateInput
from reflectcoach.core import clock
from reflectcoach.store import Store

DATES = Path(__file__).parents[1] / "fixtures" / "dates.yaml"
TUESDAY = "2026-12-01"


@pytest.fixture
def dates_app(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The app with only the dates fixture script, on a fixed Tuesday."""
    folder = tmp_path / "scripts"
    folder.mkdir()
    shutil.copy(DATES, folder / "dates.yaml")
    monkeypatch.setenv(clock.TODAY_ENV, TUESDAY)

    def build() -> ReflectCoachApp:
        app = ReflectCoachApp(
            db_path=db_path, script_dirs=[folder], start="dates", mentorship="Sam"
        )
        app.today = lambda: dt.date.fromisoformat(TUESDAY)
        return app

    return build


def preview(app: ReflectCoachApp) -> str:
    return str(app.screen.query_one(".date-preview", Static).render())


async def reach_date(pilot: Pilot, drive) -> None:
    d = drive(pilot)
    await d.settle()
    await d.answer("Ask Sam for feedback")
    assert isinstance(d.widget, DateInput)


async def test_the_day_shows_as_it_is_typed_and_enter_takes_it(
    dates_app, drive, db_path: Path
) -> None:
    app = dates_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_date(pilot, drive)
        assert preview(app) == ""
        await pilot.press(*"fri")
        assert preview(app) == "That is Friday 4 December 2026."
        await pilot.press("backspace", "backspace", "backspace", *"someday")
        assert "is not a date I can read. Try: 2026-12-04, today" in preview(app)
        app.screen.query_one(Input).value = "2026-11-30"
        await pilot.pause()
        assert "pick a date from Tuesday 1 December 2026 to Monday 1 March 2027" in preview(app)
        app.screen.query_one(Input).value = "in 2 weeks"
        await pilot.pause()
        assert preview(app) == "That is Tuesday 15 December 2026."
        await pilot.press("enter")
        await drive(pilot).settle()
        assert drive(pilot).question.step.id == "review"
    with Store.open(db_path) as store:
        (conversation,) = store.conversations()
        answers = {a["step_id"]: a["value"] for a in store.answers(conversation["id"])}
    assert answers["next_date"] == "2026-12-15"


async def test_a_word_that_is_no_date_is_not_taken(dates_app, drive) -> None:
    app = dates_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_date(pilot, drive)
        await pilot.press(*"whenever", "enter")
        await drive(pilot).settle()
        assert drive(pilot).question.step.id == "next_date"
        assert app.screen.query_one(Input).value == "whenever"  # nothing typed is lost


async def test_an_earlier_date_is_offered_as_iso_and_previewed(dates_app, drive) -> None:
    app = dates_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_date(pilot, drive)
        await pilot.press(*"tomorrow", "enter")
        await drive(pilot).settle()
        assert drive(pilot).question.step.id == "review"
        await pilot.press("ctrl+b")
        await drive(pilot).settle()
        assert drive(pilot).question.step.id == "next_date"
        assert app.screen.query_one(Input).value == "2026-12-02"  # reads back as typed
        assert preview(app) == "That is Wednesday 2 December 2026."


def test_snapshot_a_date_question_with_its_preview(snap_compare, dates_app, drive) -> None:
    async def run_before(pilot: Pilot) -> None:
        await reach_date(pilot, drive)
        await pilot.press(*"next fri")
        await drive(pilot).settle()

    assert snap_compare(dates_app(), terminal_size=(80, 24), run_before=run_before)


async def test_a_date_being_typed_is_kept_as_a_draft(dates_app, drive, db_path: Path) -> None:
    app = dates_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_date(pilot, drive)
        await pilot.press(*"next fri", "escape")
        await drive(pilot).settle()
    with Store.open(db_path) as store:
        assert [(d["step_id"], d["text"]) for d in store.drafts.all()] == [
            ("next_date", "next fri")
        ]


async def test_the_hints_follow_today_and_the_bounds(dates_app, drive) -> None:
    app = dates_app()
    later = dt.date(2026, 12, 20)  # past the old fixed example, 2026-12-04
    app.today = lambda: later
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_date(pilot, drive)
        field = app.screen.query_one(Input)
        how = str(app.screen.query_one(".how", Static).render())
        hints = [
            word.strip(" .")
            for text in (str(field.placeholder), how.split(". ")[0])
            for word in text.split(":", 1)[1].removesuffix(", then Enter").split(",")
        ]
        assert "2026-12-04" not in hints and "2026-12-23" in hints
        from reflectcoach.script.dates import parse_date

        for word in hints:
            day = parse_date(word, later)
            assert later <= day <= dt.date(2027, 3, 20), word
