"""The brief and talking points in the app (issue 21, items 4 and 5): `n` on home and the
mentorship screen adds a talking point; `b` opens the Brief screen, `s` there the shared
copy."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from reflectcoach.app.screens.brief import BriefScreen
from reflectcoach.app.screens.mentorship import MentorshipScreen
from reflectcoach.app.screens.note import NoteScreen
from reflectcoach.store import Store

from .conftest import settle
from .mentorship_data import make_mentorship


@pytest.fixture
def sam(db_path, utc_local_time, fixed_ids, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-03-14")
    return make_mentorship(db_path)


def brief_text(screen: BriefScreen) -> str:
    return str(screen.query_one("#brief-text", Static).render())


async def test_n_and_b_on_the_mentorship_screen(sam, make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(MentorshipScreen("sam"))
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteScreen)
        pilot.app.screen.query_one("#note-text", Input).value = "Ask about [bold]the budget[/]"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MentorshipScreen)
        with Store.open(db_path) as store:
            assert [p.text for p in store.state.points("Sam")] == ["Ask about [bold]the budget[/]"]
        await pilot.press("b")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, BriefScreen)
        shown = brief_text(screen)
        assert shown.startswith("Brief: Sam (closed)")
        assert "Talking points (1):\n  Ask about [bold]the budget[/]" in shown  # as typed
        assert "Open commitments (2):" in shown
        assert "Overdue:\n  Ask to present in the March review (due Tuesday 10 March 2026)" in shown
        await pilot.press("s")
        await settle(pilot)
        assert "Ratings:" in shown and "Ratings:" not in brief_text(screen)


async def test_b_and_n_on_home_use_the_name_under_who(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one("#mentorship", Input).value = "Sam"
        pilot.app.screen.query_one("#scripts").focus()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(pilot.app.screen, BriefScreen)
        assert brief_text(pilot.app.screen).startswith("Brief: Sam")


async def test_the_brief_screen_lists_every_open_goal(sam, make_app, db_path) -> None:
    from reflectcoach.store import mentorship_state

    with Store.open(db_path) as store:
        store.state.set_goal("Sam", "Present in the March review")
        with store.transaction() as db:
            key, now = store.state.key("Sam"), store.clock()
            mentorship_state.add_goal(db, key, "Explore product management", now, None)
            mentorship_state.add_goal(db, key, "Quietly look around", now, None, private=True)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(BriefScreen("Sam"))
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, BriefScreen)
        shown = brief_text(screen)
        assert (
            "Goals:\n  Present in the March review\n  also: Explore product management\n"
            "  also: Quietly look around\n"
        ) in shown
        await pilot.press("s")
        await settle(pilot)
        shared = brief_text(screen)
        assert "also: Explore product management" in shared
        assert "Quietly look around" not in shared
