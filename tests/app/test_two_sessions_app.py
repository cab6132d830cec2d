"""The app with another session on the same conversation (a real plain-mode process), and
with a database another connection keeps locked: the answer waits, the UI does not."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli.test_plain import env_for, read_until
from textual.widgets import Input, Static

from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.held import HeldScreen
from reflectcoach.app.screens.help import HelpScreen
from reflectcoach.app.screens.home import HomeScreen
from reflectcoach.app.screens.transcript import TranscriptScreen
from reflectcoach.store import Store

from .conftest import FIXTURES

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pids and select on pipes"),
    pytest.mark.encrypted_too,  # leases and locks between processes, with a key
]


def plain_session(db_path: Path, tmp_path: Path, *args: str) -> subprocess.Popen:
    """`reflectcoach resume ... --plain` in its own process, waiting at its first prompt."""
    base = [sys.executable, "-m", "reflectcoach", "--db", str(db_path), "--scripts", str(FIXTURES)]
    proc = subprocess.Popen(
        [*base, "resume", *args, "--plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for(tmp_path),
    )
    read_until(proc, b"> ", bytearray())
    return proc


def answer_line(proc: subprocess.Popen, line: str) -> int:
    """Give the plain session one answer and let it end (stdin closed): its exit code."""
    assert proc.stdin is not None
    proc.stdin.write(line.encode() + b"\n")
    proc.stdin.close()
    return proc.wait(timeout=60)


def answers(db_path: Path) -> list[object]:
    with Store.open(db_path) as store:
        (conversation,) = store.conversations()
        return [a["value"] for a in store.answers(conversation["id"])]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_conversation_open_elsewhere_is_offered_to_read_or_take_over(
    fixture_app, drive, seed, db_path: Path, tmp_path: Path
) -> None:
    cid = seed(answers=1)
    other = plain_session(db_path, tmp_path, cid)
    try:
        app = fixture_app(resume=cid)
        async with app.run_test(size=(80, 24)) as pilot:
            d = drive(pilot)
            await d.settle()
            assert isinstance(app.screen, HeldScreen)
            message = " ".join(text_of(app, "#held-message").split())
            assert f"is open in another session (pid {other.pid} since " in message
            await pilot.press("r")  # read-only
            await d.settle()
            assert isinstance(app.screen, TranscriptScreen)
        assert answers(db_path) == ["A short answer"]

        again = fixture_app(resume=cid)
        async with again.run_test(size=(80, 24)) as pilot:
            d = drive(pilot)
            await d.settle()
            assert isinstance(again.screen, HeldScreen)
            await pilot.press("t")  # take over: the plain session can no longer save
            await d.settle()
            assert isinstance(again.screen, ConversationScreen)
            await d.answer("mentee")
            assert answers(db_path) == ["A short answer", "mentee"]
            assert answer_line(other, "1") == 4  # refused, nothing written
            assert answers(db_path) == ["A short answer", "mentee"]
    finally:
        if other.poll() is None:
            other.kill()
            other.wait()


async def test_the_app_cannot_write_once_another_session_took_over(
    fixture_app, drive, seed, db_path: Path, tmp_path: Path
) -> None:
    cid = seed(answers=1)
    app = fixture_app(resume=cid)
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert d.question.step.id == "role"
        other = plain_session(db_path, tmp_path, cid, "--take-over")
        assert answer_line(other, "2") == 3  # answered, then input ended: it stays open
        await d.answer("mentor")
        problem = " ".join(text_of(app, "#problem").split())
        assert "Not saved: This conversation is now open in another session (pid " in problem
        assert d.question.step.id == "role"  # still asked: nothing moved
        assert answers(db_path) == ["A short answer", "mentee"]


@pytest.mark.plaintext
async def test_a_locked_database_keeps_the_answer_waiting_and_the_ui_responsive(
    fixture_app, drive, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECTCOACH_BUSY_TIMEOUT", "0.2")  # the worker's tries: short
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert d.question.step.id == "name"
        other = sqlite3.connect(db_path, isolation_level=None)  # another program
        other.execute("BEGIN IMMEDIATE")
        try:
            app.screen.query_one(Input).value = "Robin"
            await pilot.press("enter")
            waiting = app.screen.query_one("#waiting", Static)
            await d.wait_for(lambda: waiting.display, "the waiting notice")
            assert "Waiting for the database" in str(waiting.render())
            assert app.screen.query_one(Input).value == "Robin"  # kept in the box
            await pilot.press("f1")  # the UI answers keys while the answer waits
            await d.wait_for(lambda: isinstance(app.screen, HelpScreen), "help to open")
            await pilot.press("escape")
            await d.wait_for(lambda: isinstance(app.screen, ConversationScreen), "help closing")
            assert d.question.step.id == "name"
        finally:
            other.execute("COMMIT")
            other.close()
        await d.settle()  # the worker sees the lock free and the answer is given again
        assert d.question.step.id == "role"
        assert not app.screen.query_one("#waiting", Static).display
    assert answers(db_path) == ["Robin"]


@pytest.mark.plaintext
async def test_leaving_while_waiting_says_what_is_not_saved(
    fixture_app, drive, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECTCOACH_BUSY_TIMEOUT", "0.2")
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.answer("Robin")
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("2")  # "I'm the mentee"
            await pilot.press("enter")
            waiting = app.screen.query_one("#waiting", Static)
            await d.wait_for(lambda: waiting.display, "the waiting notice")
            notices = []
            app.notify = lambda message, **kw: notices.append(message)  # type: ignore[method-assign]
            await pilot.press("escape")
            await d.wait_for(lambda: isinstance(app.screen, HomeScreen), "home")
        finally:
            other.execute("COMMIT")
            other.close()
        said = " ".join(" ".join(notices).split())
        assert said.startswith(
            "Your answer is saved. Not saved: your answer to "  # the name is, the role is not
            '"Which side of the mentorship are you on?" (the database is busy: '
        )
    assert answers(db_path) == ["Robin"]
