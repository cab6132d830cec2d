"""Commitments in the app: home's due list (and its keys), the Commitments screen marking
them (stored, with the app as the source), and a change made in the CLI showing on the
mentorship screen."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.screens.commitment_ask import CommitmentAsk
from reflectcoach.app.screens.commitments import CommitmentsScreen
from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.home import HomeScreen
from reflectcoach.app.screens.mentorship import MentorshipScreen
from reflectcoach.app.widgets.due_list import DueList
from reflectcoach.app.widgets.mentorship_commitments import MentorshipCommitments
from reflectcoach.store import Store

from .commitment_data import SCRIPTS, TODAY, seed_commitments
from .conftest import settle

SAM_DUE = [
    "Sam: 'email the VP' was due Friday 27 November 2026 (overdue)",
    "Sam: 'Book a review' is due Friday 4 December 2026",
]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", TODAY)


def app_for(db_path: Path) -> ReflectCoachApp:
    app = ReflectCoachApp(db_path=db_path, script_dirs=[SCRIPTS])
    app.today = lambda: dt.date.fromisoformat(TODAY)
    return app


def stored(db_path: Path) -> dict[str, tuple[str, dt.date | None, str | None]]:
    with Store.open(db_path) as store:
        return {c.text: (c.status, c.due, c.reason) for c in store.commitments.all(statuses=None)}


def sources(db_path: Path, text: str) -> list[str]:
    with Store.open(db_path) as store:
        (found,) = [c for c in store.commitments.all(statuses=None) if c.text == text]
        return [e["source"] for e in store.commitments.events(found.id)]


def row_of(screen: CommitmentsScreen, text: str) -> list[str]:
    table = screen.query_one(DataTable)
    for key in table.rows:
        cells = [str(c) for c in table.get_row(key)]
        if cells[-1] == text:
            return cells
    raise AssertionError(f"no row for {text!r}")


async def test_home_lists_what_is_due_overdue_first(db_path: Path) -> None:
    seed_commitments(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        due = app.screen.query_one(DueList)
        assert due.display
        # Kim's are later than a week (or undated): not on home.
        assert [line.text for line in due.lines] == SAM_DUE
        assert [line.overdue for line in due.lines] == [True, False]


async def test_home_hides_the_due_list_when_nothing_is_due_soon(db_path: Path) -> None:
    seed_commitments(db_path, sam=False)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        due = app.screen.query_one(DueList)
        assert due.lines == [] and not due.display
        assert not app._toasts  # nothing nags at start


async def test_f_starts_the_check_in_with_that_mentorship(db_path: Path) -> None:
    seed_commitments(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        # Only the fixture scripts here: no built-in check_in, so the first script with a
        # follow_up step (tests/test_due.py checks that check_in wins when there is one).
        assert screen.session.script.id == "plan_check_in"
        assert screen.session.mentorship == "Sam"
        question = screen.question
        assert question is not None and question.step.id == "last_time"
        # The follow-up walks Sam's open commitments, the overdue one first.
        assert "*email the VP*" in question.text


async def test_marking_from_the_app_changes_the_row_and_the_store(db_path: Path) -> None:
    seed_commitments(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k")  # from home's due list: Sam's commitments
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CommitmentsScreen) and screen.mentorship == "Sam"
        assert [row_of(screen, t)[1] for t in ("email the VP", "Book a review")] == ["open"] * 2
        await pilot.press("d")  # the highlighted one: the first, overdue
        await settle(pilot)
        assert row_of(screen, "email the VP")[:2] == ["Friday 27 November 2026", "done"]
        assert stored(db_path)["email the VP"][0] == "done"
        assert sources(db_path, "email the VP") == ["conversation", "app"]

        await pilot.press("down", "n")
        await settle(pilot)
        ask = app.screen
        assert isinstance(ask, CommitmentAsk)
        await pilot.press(*"in 2 weeks")
        assert str(ask.query_one("#ask-preview", Static).render()) == (
            "That is Tuesday 15 December 2026."
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert row_of(screen, "Book a review")[:2] == ["Tuesday 15 December 2026", "not yet"]
        assert stored(db_path)["Book a review"][:2] == ("not_yet", dt.date(2026, 12, 15))
        assert sources(db_path, "Book a review") == ["conversation", "app"]


async def test_a_new_date_must_read_as_one_and_not_be_past(db_path: Path) -> None:
    seed_commitments(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_commitments("Sam")
        await settle(pilot)
        await pilot.press("n", *"yesterdayish", "enter")
        await settle(pilot)
        ask = app.screen
        assert isinstance(ask, CommitmentAsk)  # still asking; nothing stored
        assert "not a date I can read" in str(ask.query_one("#ask-preview", Static).render())
        await pilot.press(*(["backspace"] * 12), *"2026-11-30", "enter")
        await settle(pilot)
        assert "has passed" in str(ask.query_one("#ask-preview", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CommitmentsScreen)
        assert stored(db_path)["email the VP"][0] == "open"


async def test_dropping_asks_an_optional_reason(db_path: Path) -> None:
    seed_commitments(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_commitments("Kim")
        await settle(pilot)
        await pilot.press("x", *"no longer needed", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CommitmentsScreen)
        assert row_of(screen, "Draft the roadmap")[1] == "dropped"
        assert stored(db_path)["Draft the roadmap"] == (
            "dropped",
            dt.date(2026, 12, 20),
            "no longer needed",
        )
        # Open only: a finished one shows with `a` (all), and goes with it again.
        assert len(screen.query_one(DataTable).rows) == 2
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert len(screen.query_one(DataTable).rows) == 1


async def test_the_palette_opens_every_mentorship_s_commitments(drive, db_path: Path) -> None:
    seed_commitments(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await drive(pilot).palette("Commitments")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CommitmentsScreen) and screen.mentorship == ""
        assert len(screen.query_one(DataTable).rows) == 4


async def test_a_status_changed_in_the_cli_shows_on_the_mentorship_screen(
    db_path: Path, tmp_path: Path
) -> None:
    from cli.test_plain import env_for

    seed_commitments(db_path)
    with Store.open(db_path) as store:
        (vp,) = [c for c in store.commitments.all() if c.text == "email the VP"]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reflectcoach",
            "--db",
            str(db_path),
            "commitment",
            "done",
            vp.id[:6],
        ],
        capture_output=True,
        text=True,
        env={**env_for(tmp_path), "REFLECTCOACH_TODAY": TODAY},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.open_mentorship("Sam")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MentorshipScreen)
        assert str(screen.query_one(MentorshipCommitments).render()).splitlines() == [
            "open · Book a review · due Friday 4 December 2026",
            "done · email the VP · was due Friday 27 November 2026",
        ]
        # k marks them from here; back on the mentorship screen, the change shows.
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, CommitmentsScreen)
        await pilot.press("p", "escape")
        await settle(pilot)
        assert app.screen is screen
        assert str(screen.query_one(MentorshipCommitments).render()).splitlines()[0] == (
            "partly done · Book a review · due Friday 4 December 2026"
        )


async def test_names_and_words_show_literally(db_path: Path) -> None:
    from .commitment_data import plan

    db_path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db_path) as store:
        plan(store, "[b]Sam[/b]", "Goal", "[red]call[/red] Ana", "2026-11-30", "Other", None)
    app = app_for(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        due = app.screen.query_one(DueList)
        assert [line.text for line in due.lines] == [
            "[b]Sam[/b]: '[red]call[/red] Ana' was due Monday 30 November 2026 (overdue)"
        ]
        await pilot.press("k")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CommitmentsScreen)
        assert row_of(screen, "[red]call[/red] Ana")[2] == "[b]Sam[/b]"
