"""Typing numbers into scales and numbered choices: every number in range can be typed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.widgets.answer_inputs import ChoiceAnswer, ScaleAnswer
from reflectcoach.app.widgets.digits import DigitEntry, Typed
from reflectcoach.store import Store


def typed(lo: int, hi: int, keys: str) -> list[tuple[Typed, int | None]]:
    entry = DigitEntry(lo, hi)
    return [(o.kind, o.value) for o in map(entry.feed, keys)]


def test_one_to_ten_waits_after_a_one() -> None:
    assert typed(1, 10, "10") == [(Typed.WAIT, 1), (Typed.TAKE, 10)]
    assert typed(1, 10, "7") == [(Typed.TAKE, 7)]
    assert typed(1, 10, "0") == [(Typed.WRONG, None)]  # no longer a silent 10
    assert typed(1, 10, "15") == [(Typed.WAIT, 1), (Typed.WRONG, None)]


def test_one_to_five_answers_on_one_key() -> None:
    assert typed(1, 5, "3") == [(Typed.TAKE, 3)]
    assert typed(1, 5, "6") == [(Typed.WRONG, None)]


def test_ranges_that_start_above_nine_and_at_zero() -> None:
    assert typed(10, 20, "20") == [(Typed.WAIT, None), (Typed.TAKE, 20)]
    assert typed(10, 20, "3") == [(Typed.WRONG, None)]
    assert typed(0, 10, "0") == [(Typed.TAKE, 0)]
    assert typed(0, 100, "100") == [(Typed.WAIT, 1), (Typed.WAIT, 10), (Typed.TAKE, 100)]


@pytest.mark.parametrize("hi", [5, 10, 12, 100])
def test_every_number_in_range_can_be_typed(hi: int) -> None:
    for number in range(1, hi + 1):
        entry = DigitEntry(1, hi)
        outcomes = [entry.feed(d) for d in str(number)]
        last = outcomes[-1]
        value = last.value if last.kind is Typed.TAKE else entry.confirm()
        assert value == number
        assert all(o.kind is Typed.WAIT for o in outcomes[:-1])


def test_confirm_takes_the_pending_number_once() -> None:
    entry = DigitEntry(1, 10)
    entry.feed("1")
    assert entry.pending and entry.confirm() == 1
    assert not entry.pending and entry.confirm() is None


# -- in the app -------------------------------------------------------------------------------

TEN_SCRIPT = """\
id: ten
title: Ten
summary: One 1-10 scale and a long choice.
audience: anyone
version: 1
steps:
  rate:
    ask: Where are you today?
    type: scale
    min: 1
    max: 10
  pick:
    ask: Which month?
    type: choice
    options: [jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec]
  last:
    ask: Anything else?
"""


@pytest.fixture
def ten_app(db_path: Path, tmp_path: Path):
    from reflectcoach.app.app import ReflectCoachApp

    folder = tmp_path / "ten-scripts"
    folder.mkdir()
    (folder / "ten.yaml").write_text(TEN_SCRIPT, encoding="utf-8")

    def build(**where: object) -> ReflectCoachApp:
        return ReflectCoachApp(db_path=db_path, script_dirs=[folder], **where)

    return build


def stored_values(db_path: Path) -> dict[str, object]:
    with Store.open(db_path) as store:
        (conversation,) = store.conversations()
        return {a["step_id"]: a["value"] for a in store.answers(conversation["id"])}


async def test_typing_1_then_0_on_goal_setting_baseline_saves_10(
    make_app, drive, db_path: Path
) -> None:
    # goal_setting is bound to a mentorship: without one the app would ask which first.
    app = make_app(start="goal_setting", mentorship="Sam")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.until("baseline")
        assert isinstance(d.widget, ScaleAnswer)
        await pilot.press("1", "0")
        await d.settle()
        assert d.question.step.id != "baseline"
    assert stored_values(db_path)["baseline"] == 10


async def test_a_pending_digit_is_shown_and_enter_takes_it(ten_app, drive, db_path: Path) -> None:
    app = ten_app(start="ten")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("1")
        await d.settle()
        assert d.question.step.id == "rate"  # not taken yet: a 0 may follow
        pending = app.screen.query_one("#pending")
        assert pending.display and "Typed 1_" in str(pending.render())
        assert app.screen.focused.id == "n1"
        await pilot.press("enter")
        await d.settle()
        assert d.question.step.id == "pick"
    assert stored_values(db_path)["rate"] == 1


async def test_the_pause_confirms_a_pending_digit(ten_app, drive, db_path: Path) -> None:
    app = ten_app(start="ten")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("1")
        await d.settle()
        widget = d.widget
        assert widget._confirm_timer is not None  # the pause is armed...
        widget.confirm_pending()  # ...and this is what it calls (no sleeping in tests)
        await d.settle()
        assert d.question.step.id == "pick"
    assert stored_values(db_path)["rate"] == 1


async def test_a_digit_out_of_range_says_so(ten_app, drive) -> None:
    app = ten_app(start="ten")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("0")
        await d.settle()
        assert d.question.step.id == "rate"
        assert "from 1 to 10" in str(app.screen.query_one("#problem").render())


async def test_two_digit_choices_can_be_typed(ten_app, drive, db_path: Path) -> None:
    app = ten_app(start="ten")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("7")
        await d.settle()
        assert isinstance(d.widget, ChoiceAnswer)
        await pilot.press("1", "2")
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        assert d.question.step.id == "last"
    assert stored_values(db_path)["pick"] == "dec"


@pytest.mark.plaintext
@pytest.mark.skipif(sys.platform == "win32", reason="a pty")
def test_10_typed_in_one_write_in_a_real_terminal(tmp_path: Path) -> None:
    import sqlite3

    from .terminal import Terminal, app_env

    folder = tmp_path / "ten-scripts"
    folder.mkdir()
    (folder / "ten.yaml").write_text(TEN_SCRIPT, encoding="utf-8")
    db = tmp_path / "r.db"
    term = Terminal(
        ["--db", str(db), "--scripts", str(folder), "start", "ten"], env=app_env(tmp_path)
    )

    def rated() -> bool:
        if not db.exists():
            return False
        with sqlite3.connect(db) as conn:
            return bool(conn.execute("SELECT 1 FROM answers WHERE step_id = 'rate'").fetchall())

    try:
        term.read_until(b"Where are you today?")
        term.write(b"10")  # both digits in one read, as a fast typist's arrive
        term.wait_for(rated, "the answer to be saved")
    finally:
        term.close()
    with Store.open(db) as store:
        (conversation,) = store.conversations()
        assert store.answers(conversation["id"])[0]["value"] == 10


class FakeTimer:
    """Stands in for the app's digit pause: armed, stopped and fired by the test."""

    def __init__(self) -> None:
        self.armed: list[tuple[float, object]] = []
        self.stopped = 0

    def __call__(self, seconds: float, callback):
        self.armed.append((seconds, callback))
        return self

    def stop(self) -> None:
        self.stopped += 1

    def fire(self) -> None:
        _, callback = self.armed[-1]
        callback()


async def test_the_pause_is_said_and_taken_through_the_apps_timer(
    ten_app, drive, db_path: Path
) -> None:
    app = ten_app(start="ten")
    timer = FakeTimer()
    app.digit_timer = timer
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("1")
        await d.settle()
        ((seconds, _),) = timer.armed
        assert seconds > 1
        hint = str(app.screen.query_one("#pending").render())
        assert "or wait" in hint  # the hint says what the pause will do
        timer.fire()
        await d.settle()
        assert d.question.step.id == "pick"
    assert stored_values(db_path)["rate"] == 1


async def test_backspace_cancels_the_pending_digit(ten_app, drive, db_path: Path) -> None:
    app = ten_app(start="ten")
    timer = FakeTimer()
    app.digit_timer = timer
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("1")
        await d.settle()
        await pilot.press("backspace")
        await d.settle()
        assert d.question.step.id == "rate"
        assert timer.stopped
        assert not app.screen.query_one("#pending").display
        await pilot.press("7")
        await d.settle()
        assert d.question.step.id == "pick"
    assert stored_values(db_path)["rate"] == 7
