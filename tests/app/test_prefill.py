"""Facts asked once, in the app: a prefilled answer is already in the input; Enter keeps it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from reflectcoach.store import Store


async def test_the_mentorship_and_earlier_answers_are_filled_in(
    make_app, drive, db_path: Path
) -> None:
    app = make_app(start="first_meeting", mentorship="Sam")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.answer("mentor")
        await d.answer("Ben")
        assert d.question.step.id == "partner"
        assert d.widget.query_one(Input).value == "Sam"  # the name chosen on home
        hint = str(d.widget.query_one(".how").render())
        assert hint.startswith("Filled in from before: Enter keeps it.")
        await d.finish({"partner": "Sam"})
    app = make_app(start="closing", mentorship="sam")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert d.question.step.id == "role"
        listing = d.widget.query_one(OptionList)
        assert listing.get_option_at_index(listing.highlighted or 0).id == "o2"  # the mentor
        await d.submit_widget()  # Enter keeps it
        assert d.question.step.id == "name"
        assert d.widget.query_one(Input).value == "Ben"  # your name follows you
        await d.submit_widget()
        assert d.question.step.id == "partner"
        assert d.widget.query_one(Input).value == "Sam"
        await d.submit_widget()
        await pilot.press("escape")
        await d.settle()
    with Store.open(db_path) as store:
        [closing] = store.conversations(script_id="closing")
        assert closing["mentorship"] == "Sam"
        assert [a["value"] for a in store.answers(closing["id"])] == ["mentor", "Ben", "Sam"]
