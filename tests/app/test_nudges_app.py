"""Nudges from the agreement (issue 21, item 6): home's due list and the mentorship screen
say, in words, that the midpoint review is due, that there was no check-in for longer than
the agreed rhythm, that the planned end approaches, and what a closed mentorship left open."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from reflectcoach.app.screens.mentorship import MentorshipScreen
from reflectcoach.app.widgets.due_list import DueList
from reflectcoach.engine.followup import Made
from reflectcoach.engine.sets import SetValue
from reflectcoach.store import Store

from .conftest import settle
from .mentorship_data import make_mentorship


def agree(path: Path, name: str, sets: list[SetValue], made: list[Made] = ()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(path) as store:
        store.clock = lambda: "2026-03-01T09:00:00.000000Z"
        conversation_id = store.start(
            script_id="first_meeting",
            script_version=1,
            script_sha256="",
            title="First meeting",
            mentorship=name,
            current_step="done",
        )
        store.journal(conversation_id).completed(
            record=None, position=0, current_step="_done", made=list(made), sets=sets
        )


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-04-12")


async def test_home_says_midpoint_rhythm_and_end_in_words(db_path: Path, make_app, today) -> None:
    agree(
        db_path,
        "Sam",
        [
            SetValue("midpoint", "2026-04-15", "Wednesday 15 April 2026"),
            SetValue("rhythm", "fortnightly", "every two weeks"),
        ],
    )
    agree(db_path, "Kim", [SetValue("end", "2026-04-20", "Monday 20 April 2026")])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        due = app.screen.query_one(DueList)
        assert due.display
        texts = [line.text for line in due.lines]
        assert "Sam: midpoint review in 3 days, no check-in for 42 days" in texts
        assert "Kim: planned end in 8 days, no check-in for 42 days" not in texts  # no rhythm
        assert "Kim: planned end in 8 days" in texts


async def test_home_says_what_a_closed_mentorship_left_open(
    db_path: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-03-14")
    make_mentorship(db_path)  # Sam: closed on 2 March with two commitments open
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        texts = [line.text for line in app.screen.query_one(DueList).lines]
        assert "Sam: closed, 2 commitments still open" in texts


async def test_the_mentorship_screen_says_it_too(db_path: Path, make_app, today) -> None:
    agree(db_path, "Sam", [SetValue("midpoint", "2026-04-10", "Friday 10 April 2026")])
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(MentorshipScreen("Sam"))
        await settle(pilot)
        nudge = pilot.app.screen.query_one("#mentorship-nudges", Static)
        assert nudge.display
        assert str(nudge.render()) == "Due: midpoint review due (2 days ago)"


async def test_a_conversation_on_a_closed_mentorship_says_so_first(
    db_path: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflectcoach.app.screens.confirm import ConfirmScreen
    from reflectcoach.app.screens.conversation import ConversationScreen

    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-03-14")
    make_mentorship(db_path)  # Sam: closed on 2 March
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_conversation(script_id="check_in", mentorship="Sam")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert dialog.message.startswith("The mentorship with Sam was closed on 2026-03-02.")
        await pilot.press("n")  # on its own
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.mentorship is None
        with Store.open(db_path) as store:
            assert store.mentorships.get("Sam").closed
        app.pop_screen()
        await settle(pilot)
        app.open_conversation(script_id="check_in", mentorship="Sam")
        await settle(pilot)
        await pilot.press("y")  # reopen it
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.mentorship == "Sam"
        with Store.open(db_path) as store:
            assert not store.mentorships.get("Sam").closed


async def test_a_mentorship_bound_script_with_no_one_under_who_asks_which(
    db_path: Path, make_app, today
) -> None:
    from textual.widgets import Input

    from reflectcoach.app.screens.conversation import ConversationScreen
    from reflectcoach.app.screens.which_mentorship import WhichMentorshipScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_conversation(script_id="check_in", mentorship=None)
        await settle(pilot)
        assert isinstance(app.screen, WhichMentorshipScreen)
        app.screen.query_one("#which-name", Input).value = "Kim"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.mentorship == "Kim"
