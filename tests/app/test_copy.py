"""Copying a record as plain text, from the end screen and from a transcript.

Nothing is patched: Textual's App keeps what it copied in `app.clipboard`. The terminal is
said to honour OSC 52 (REFLECTCOACH_CLIPBOARD); tests/app/test_copy_honest.py covers tmux and
a terminal with no clipboard at all.
"""

from __future__ import annotations

import pytest

from reflectcoach.app.screens.finished import FinishedScreen
from reflectcoach.app.screens.transcript import TranscriptScreen
from reflectcoach.engine.records import plain_text
from reflectcoach.store import Store

from .conftest import settle


@pytest.fixture(autouse=True)
def osc52_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_CLIPBOARD", "osc52")


ANSWERS = {
    "name": "Robin",
    "role": "mentee",
    "hopes": "1) Listen *more* [x](y)\n    - ask for help sooner\n\non-call: less.",
    "blockers": ["time"],
    "confidence": 4,
    "ready": True,
}


def _visible_bindings(app) -> set[str]:
    return {active.binding.action for active in app.active_bindings.values()}


async def test_end_screen_copies_the_record_as_plain_text(fixture_app, drive) -> None:
    app = fixture_app(start="every_type", mentorship="Alex")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.finish(ANSWERS)
        await d.settle()
        assert isinstance(app.screen, FinishedScreen)
        assert "copy_record" in _visible_bindings(app)
        await pilot.press("y")
        await d.settle()
        expected = app.screen.session.conversation.record_plain()
        assert app.clipboard == expected
        # as typed: no Markdown syntax, no escapes, the lines kept
        assert app.clipboard.startswith("Card for Robin\n==============\n")
        assert "\n- Role: I'm the mentee\n" in app.clipboard
        assert (
            "- Hopes: 1) Listen *more* [x](y)\n      - ask for help sooner\n\n  on-call: less.\n"
            in app.clipboard
        )
        assert "\\" not in app.clipboard and "**" not in app.clipboard
        assert [n.message for n in app.notices_said] == ["Record copied as plain text."]


async def test_transcript_copies_a_finished_record(filled_db, review_app) -> None:
    conversation_id = filled_db["markup1"]
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(TranscriptScreen(conversation_id))
        await settle(pilot)
        assert "copy_record" in _visible_bindings(app)
        await pilot.press("y")
        await settle(pilot)
    with Store.open(app.db_path) as store:
        row = store.conversation(conversation_id)
    assert row is not None and row["record"]
    assert app.clipboard == plain_text(row["record"])
    assert "[bold red]x[/]" in app.clipboard  # markup in answers stays text


async def test_transcript_of_an_unfinished_conversation_has_nothing_to_copy(
    filled_db, review_app
) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(TranscriptScreen(filled_db["running"]))
        await settle(pilot)
        assert "copy_record" not in _visible_bindings(app)
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == ""
