"""The app keeps a person's choices in the settings file: the theme, who conversations are
usually about, where exports go. A damaged file is said once and never stops the app."""

from __future__ import annotations

import json
from pathlib import Path

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.core.settings import UserSettings
from reflectcoach.script.registry import builtin_dir

from .conftest import settle


def build(db_path: Path, settings_file: Path) -> ReflectCoachApp:
    return ReflectCoachApp(
        db_path=db_path,
        script_dirs=[builtin_dir()],
        settings=UserSettings.load(settings_file),
    )


async def test_the_theme_is_kept_for_the_next_start(db_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "config" / "settings.json"
    app = build(db_path, file)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not file.exists()  # nothing chosen yet, nothing written
        app.theme = "nord"
        await settle(pilot)
    assert json.loads(file.read_text(encoding="utf-8")) == {"theme": "nord"}
    again = build(db_path, file)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_an_unknown_saved_theme_is_ignored(db_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "settings.json"
    file.write_text('{"theme": "no-such-theme"}', encoding="utf-8")
    app = build(db_path, file)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"


async def test_a_damaged_settings_file_is_said_once(db_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "settings.json"
    file.write_text('{"theme": "nord",', encoding="utf-8")
    app = build(db_path, file)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = [n for n in app.notices_said if n.title == "Settings"]
        assert len(said) == 1 and str(file) in said[0].message
        assert said[0].markup is False
        assert app.theme == "textual-dark"
        app.theme = "nord"
        await settle(pilot)
        assert len([n for n in app.notices_said if n.title == "Settings"]) == 1
    assert file.read_text(encoding="utf-8") == '{"theme": "nord",'  # left as it was


async def test_who_it_is_about_is_offered_again(fixture_app, drive) -> None:
    from textual.widgets import Input

    from reflectcoach.app.screens.conversation import ConversationScreen
    from reflectcoach.core import settings

    app = fixture_app()
    app.settings.set(settings.MENTORSHIP, "Ada")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        who = app.screen.query_one("#mentorship", Input)
        assert who.value == "Ada"
        who.value = "Kim"
        app.screen.query_one("#scripts").focus()
        await pilot.press("enter")
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.mentorship == "Kim"
        assert app.settings.get(settings.MENTORSHIP) == "Kim"
        await pilot.press("escape")
        await d.settle()
        app.screen.query_one("#mentorship", Input).value = ""
        await pilot.press("enter")  # nobody in particular, this time
        await d.settle()
        assert app.settings.get(settings.MENTORSHIP) is None
