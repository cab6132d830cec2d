"""Coming back to a screen: the focus lands where its keys work, not in a text box."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.home import HomeScreen


class Elsewhere(Screen[None]):
    def compose(self):
        yield Static("another screen")


async def test_back_on_home_after_starting_from_the_filter(fixture_app, drive) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("slash", *"kind")
        await d.settle()
        await pilot.press("enter")  # starts the one script the filter left
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        started = app.screen.session.id
        await pilot.press(*"Ana", "enter")  # one answer: an empty start is not kept
        await d.settle()
        await pilot.press("escape")  # save and leave
        await d.settle()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert not isinstance(home.focused, Input), home.focused
        assert home.query_one("#scripts", OptionList).has_focus
        assert home.query_one("#filter", Input).value == "kind"  # kept, only not focused
        # Its keys work again: c continues the conversation just left.
        await pilot.press("c")
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.id == started


async def test_back_on_home_keeps_the_focus_on_a_list(fixture_app, drive, seed) -> None:
    seed("every_type", "Sam", answers=1)
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        running = app.screen.query_one("#running", OptionList)
        running.focus()
        await app.push_screen(Elsewhere())
        await d.settle()
        app.pop_screen()
        await d.settle()
        assert running.has_focus  # a list chosen on purpose stays chosen


async def test_back_on_home_from_the_who_box(fixture_app, drive) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("w", *"Kim")
        await app.push_screen(Elsewhere())
        await d.settle()
        app.pop_screen()
        await d.settle()
        home = app.screen
        assert home.query_one("#scripts", OptionList).has_focus
        assert home.query_one("#mentorship", Input).value == "Kim"
        await pilot.press("i")  # a key of the screen, not a letter typed into a box
        await d.settle()
        from reflectcoach.app.screens.insights import InsightsScreen

        assert isinstance(app.screen, InsightsScreen)


async def test_back_on_review_from_its_search_box(filled_db, review_app) -> None:
    from reflectcoach.app.screens.review import ReviewScreen
    from reflectcoach.app.widgets.review_table import ReviewTable

    from .conftest import settle

    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        review = ReviewScreen()
        await app.push_screen(review)
        await settle(pilot)
        await pilot.press("slash", *"parser")
        await settle(pilot)
        await app.push_screen(Elsewhere())
        await settle(pilot)
        app.pop_screen()
        await settle(pilot)
        assert review.query_one(ReviewTable).has_focus
        assert review.query_one("#review-search", Input).value == "parser"
        await pilot.press("e")  # the row key, not an "e" typed into the search
        await settle(pilot)
        from reflectcoach.app.screens.export import ExportScreen

        assert isinstance(app.screen, ExportScreen)
