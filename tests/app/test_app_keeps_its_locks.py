"""The app's own paths never drop its SQLite locks (docs/architecture.md, "Touching a database
outside SQLite"): between every screen of start, home, resume, review, mentorship and export,
another process lists the database; afterwards none of the app's descriptors points at an
unlinked database file, and that process has seen every answer the app acknowledged."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.home import HomeScreen

from .terminal import unlinked_database_files

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc"),
    pytest.mark.encrypted_too,  # SQLCipher's locks too
]


def answers_seen_elsewhere(db: Path, conversation_id: str) -> int:
    """How many answers `reflectcoach list`, in a process of its own, counts for the
    conversation (it opens and closes the database, as a second terminal would)."""
    result = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (row,) = [line for line in result.stdout.splitlines() if line.startswith(conversation_id)]
    return int(row.split()[-1])


async def test_every_screen_keeps_the_locks_and_the_answers(fixture_app, drive, db_path) -> None:
    app = fixture_app(start="every_type", mentorship="Kim")
    async with app.run_test(size=(100, 30)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        conversation = app.screen.session.id
        acknowledged = 0

        async def elsewhere(where: str) -> None:
            seen = await asyncio.to_thread(answers_seen_elsewhere, db_path, conversation)
            assert unlinked_database_files(os.getpid(), db_path) == [], where
            assert seen == acknowledged, where

        await d.answer("Ana")
        acknowledged += 1
        await elsewhere("after the first answer")
        await pilot.press("escape")  # home
        await d.settle()
        assert isinstance(app.screen, HomeScreen)
        await elsewhere("on home")
        await pilot.press("c")  # continue
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        await elsewhere("resumed")
        for _ in range(3):
            await d.answer_default()
            acknowledged += 1
            await elsewhere(f"after answer {acknowledged}")
        await pilot.press("escape")
        await d.settle()
        for key, where in (("r", "review"), ("m", "mentorship")):
            if key == "m":
                await pilot.press("w", *"Kim", "escape")  # who: the mentorship to open
                await d.settle()
            await pilot.press(key)
            await d.settle()
            await elsewhere(where)
            if key == "r":
                await pilot.press("e")  # export from review
                await d.settle()
                await elsewhere("export dialog")
                await pilot.press("escape")
                await d.settle()
            await pilot.press("escape")
            await d.settle()
        await elsewhere("home again")
