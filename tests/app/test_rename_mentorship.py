"""The palette's "Rename a mentorship" dialog: checked as typed, renames or merges."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from reflectcoach.app.screens.home import HomeScreen
from reflectcoach.app.screens.rename_mentorship import RenameMentorshipScreen
from reflectcoach.store import Store


def names(db_path: Path) -> list[str]:
    with Store.open(db_path) as store:
        return store.mentorships.names()


async def test_rename_from_the_palette(fixture_app, drive, seed, db_path: Path) -> None:
    seed(mentorship="Sam")
    seed(mentorship="sam")
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.palette("Rename a mentorship")
        assert isinstance(app.screen, RenameMentorshipScreen)
        assert app.screen.query_one("#rename-old", Input).has_focus
        await pilot.press("enter", "enter")  # to the second field, then go: nothing typed
        problem = app.screen.query_one("#rename-problem", Static)
        assert "Type the mentorship to rename." in str(problem.render())
        await pilot.press("shift+tab", *"Lee", "enter", *"Leo", "enter")
        await d.settle()
        assert "There is no mentorship named 'Lee'." in str(problem.render())
        app.screen.query_one("#rename-old", Input).value = "SAM"
        app.screen.query_one("#rename-new", Input).focus()
        await pilot.press("enter")
        await d.settle()
        await d.wait_for(lambda: isinstance(app.screen, HomeScreen), "the dialog to close")
    assert names(db_path) == ["Leo"]


async def test_renaming_onto_an_existing_name_merges(
    fixture_app, drive, seed, db_path: Path
) -> None:
    seed(mentorship="Sammy")
    seed(mentorship="Sam")
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.palette("Rename a mentorship")
        await pilot.press(*"sammy", "tab", *"sam", "enter")
        await d.settle()
        await d.wait_for(lambda: isinstance(app.screen, HomeScreen), "the dialog to close")
        assert any("Merged 'Sammy' into 'Sam'" in str(n.message) for n in app.notices_said)
    assert names(db_path) == ["Sam"]


async def test_escape_cancels(fixture_app, drive, seed, db_path: Path) -> None:
    seed(mentorship="Sam")
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.palette("Rename a mentorship")
        await pilot.press(*"Sam", "tab", *"Bob", "escape")
        await d.settle()
        assert isinstance(app.screen, HomeScreen)
    assert names(db_path) == ["Sam"]
