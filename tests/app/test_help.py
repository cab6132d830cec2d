"""The help screen: every screen's keys, generated from their bindings, and the CLI."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Static

from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.help import HelpScreen
from reflectcoach.app.screens.home import HomeScreen


def help_text(app) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_f1_opens_help_with_every_screen(fixture_app, drive) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("f1")
        await d.settle()
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        for section in ("Everywhere", "Home", "Conversation", "End of a conversation"):
            assert section in text
        for description in (
            "Save & leave",
            "Back",
            "Skip",
            "Submit answer",
            "Continue",
            "Command palette",
        ):
            assert description in text, description
        assert "escape / h" in text or "esc / h" in text
        assert ":back" in text and "--plain" in text
        assert "export" in text and "validate" in text  # the CLI's commands
        await pilot.press("escape")
        await d.settle()
        assert isinstance(app.screen, HomeScreen)


async def test_question_mark_from_home_and_from_a_conversation(fixture_app, drive) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press("f1")
        await d.settle()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # the same key closes it
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press("escape")
        await d.settle()
        await pilot.press("question_mark")
        await d.settle()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await d.settle()
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running  # q closed help; it did not quit the app


async def test_help_lists_the_transcript_keys_from_its_bindings(fixture_app, drive) -> None:
    from reflectcoach.app.screens.transcript import TranscriptScreen

    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("f1")
        await d.settle()
        text = help_text(app)
        assert "Transcript" in text
        after = text[text.index("Transcript") :]
        for binding in Binding.make_bindings(TranscriptScreen.BINDINGS):
            assert f"{binding.description}: {binding.tooltip}" in after, binding


async def test_help_says_what_the_arrows_do_on_yes_no(fixture_app, drive) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("f1")
        await d.settle()
        text = help_text(app)
        conversation = text[text.index("Conversation") : text.index("End of a conversation")]
        # The arrows move between the buttons; they answer nothing by themselves.
        assert "← / →" in conversation
        assert "Move between Yes and No; Enter answers" in conversation
        lines = conversation.splitlines()
        assert not any(line.strip() in ("← Yes", "→ No") for line in lines)
        assert "Yes" in text[text.index("Questions like") :]


async def test_help_shows_every_command_summary_whole(fixture_app, drive) -> None:
    from reflectcoach.cli import main

    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("f1")
        await d.settle()
        words = [str(s.render()) for s in app.screen.query(".help-words").results(Static)]
        assert not any(w.endswith("...") for w in words)
        validate = main.commands["validate"].help or ""
        assert validate.split("\n\n")[0].replace("\n", " ") in " ".join(words)
        # Wrapped beside its name, not cut: the row is as tall as the words need.
        long = next(
            s
            for s in app.screen.query(".help-words").results(Static)
            if "file:line" in str(s.render())
        )
        assert long.size.height >= 2 and long.parent.size.height == long.size.height


async def test_long_names_keep_a_gap_and_keys_do_not_wrap(fixture_app, drive) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("f1")
        await d.settle()
        rows = list(app.screen.query(".help-row"))
        assert rows
        for row in rows:
            left, words = row.query(Static)
            text = str(left.render()).strip()
            gap = words.region.x - (left.content_region.x + len(text))
            assert gap >= 1, text  # never run into the words
            assert left.size.height == 1, text  # keys and names on one line


async def test_help_has_the_mentorship_and_compare_screens(fixture_app, drive) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("f1")
        await d.settle()
        text = help_text(app)
        after = text[text.index("Mentorship") :]
        for words in ("Mark", "Compare", "Commitments", "Reopen"):
            assert words in after, words
        assert "Comparing two conversations" in text


async def test_help_opens_at_the_screen_it_came_from(filled_db, review_app) -> None:
    from reflectcoach.app.screens.review import ReviewScreen

    from .conftest import settle

    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(ReviewScreen())
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        body = app.screen.query_one("#help-body")
        (section,) = [
            s for s in app.screen.query(".help-section") if str(s.render()).strip() == "Review"
        ]
        assert body.scroll_y > 0
        assert body.region.contains_region(section.region)
        assert section.region.y <= body.region.y + 1
