"""Exports follow the format chosen and the file name's ending, and never replace a file
without asking: on the end screen and in review's export dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, RadioButton

from reflectcoach.app.export_target import format_of, resolve, with_format
from reflectcoach.app.screens.confirm import ConfirmScreen
from reflectcoach.app.screens.export import ExportScreen
from reflectcoach.app.screens.finished import FinishedScreen
from reflectcoach.app.screens.review import ReviewScreen
from reflectcoach.app.widgets.format_choice import FormatChoice
from reflectcoach.core import settings

from .conftest import settle


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of its own, so `~/...` names land in the test's folder."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def test_format_of_a_name_and_a_name_for_a_format() -> None:
    assert format_of("a.md") == format_of("a.MARKDOWN") == "markdown"
    assert format_of("a.json") == "json" and format_of("a.CSV") == "csv"
    assert format_of("a.txt") is None and format_of("notes") is None
    assert with_format("~/x.md", "json") == "~/x.json"
    assert with_format("~/x.txt", "json") == "~/x.txt"  # not ours: kept as typed


def test_resolve_takes_the_format_from_the_name(tmp_path: Path) -> None:
    target = resolve("out.json", "markdown", cwd=tmp_path)
    assert not isinstance(target, str)
    assert (target.path, target.format, target.exists) == (tmp_path / "out.json", "json", False)
    other = resolve("out.txt", "csv", cwd=tmp_path)
    assert not isinstance(other, str) and other.format == "csv"
    assert "does not exist" in str(resolve("nowhere/out.md", "markdown", cwd=tmp_path))
    (tmp_path / "there.md").write_text("x", encoding="utf-8")
    there = resolve("there.md", "markdown", cwd=tmp_path)
    assert not isinstance(there, str) and there.exists


# -- the end of a conversation ----------------------------------------------------------------


async def finish(pilot, drive) -> FinishedScreen:
    d = drive(pilot)
    await d.settle()
    await d.finish()
    screen = pilot.app.screen
    assert isinstance(screen, FinishedScreen)
    return screen


async def test_end_screen_writes_json_for_a_json_name(fixture_app, drive, home: Path) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await finish(pilot, drive)
        screen.query_one("#export-path", Input).value = "~/fm.json"
        await pilot.press("e")
        await drive(pilot).settle()
        data = json.loads((home / "fm.json").read_text(encoding="utf-8"))["conversations"]
        assert [c["id"] for c in data] == [screen.session.id]


async def test_end_screen_asks_before_replacing(fixture_app, drive, home: Path) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        screen = await finish(pilot, drive)
        await pilot.press("e")
        await d.settle()
        written = home / "reflectcoach-every_type-2026-03-14.md"
        assert written.exists()
        written.write_text("edited since", encoding="utf-8")
        await pilot.press("e")
        await d.settle()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # "Keep it" has the focus
        await d.settle()
        assert app.screen is screen
        assert written.read_text(encoding="utf-8") == "edited since"
        await pilot.press("e")
        await d.settle()
        await pilot.press("y")
        await d.settle()
        assert app.screen is screen
        assert written.read_text(encoding="utf-8").startswith("#")


async def test_end_screen_offers_the_last_export_folder(fixture_app, drive, tmp_path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    app = fixture_app(start="every_type")
    app.settings.set(settings.EXPORT_FOLDER, str(folder))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await finish(pilot, drive)
        path = screen.query_one("#export-path", Input).value
        assert path == f"{folder}/reflectcoach-every_type-2026-03-14.md"


# -- review's export dialog ---------------------------------------------------------------------


async def open_dialog(pilot) -> ExportScreen:
    await settle(pilot)
    await pilot.app.push_screen(ReviewScreen())
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    return dialog


async def test_arrowing_to_json_and_enter_exports_json(filled_db, review_app, tmp_path) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one("#export-path", Input).value = str(tmp_path / "all.md")
        dialog.query_one(FormatChoice).focus()
        await pilot.press("right")
        await settle(pilot)
        assert dialog.query_one("#export-json", RadioButton).value
        assert dialog.query_one("#export-path", Input).value == str(tmp_path / "all.json")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["conversations"]
        assert len(data) == len(filled_db)
        assert not (tmp_path / "all.md").exists()


async def test_a_json_name_chooses_json(filled_db, review_app, tmp_path) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#export-markdown", RadioButton).value
        field = dialog.query_one("#export-path", Input)
        field.value = str(tmp_path / "fm.json")
        await settle(pilot)
        assert dialog.query_one("#export-json", RadioButton).value  # the choice follows
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        data = json.loads((tmp_path / "fm.json").read_text(encoding="utf-8"))["conversations"]
        assert len(data) == len(filled_db)


async def test_another_ending_takes_the_chosen_format(filled_db, review_app, tmp_path) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one("#export-csv", RadioButton).value = True
        await settle(pilot)
        field = dialog.query_one("#export-path", Input)
        field.value = str(tmp_path / "answers.txt")
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        text = (tmp_path / "answers.txt").read_text(encoding="utf-8")
        assert text.startswith("conversation_id,")


async def test_the_dialog_remembers_the_folder(filled_db, review_app, tmp_path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        field = dialog.query_one("#export-path", Input)
        field.value = str(folder / "first.md")
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.settings.get(settings.EXPORT_FOLDER) == str(folder)
        await pilot.press("e")
        await settle(pilot)
        again = app.screen.query_one("#export-path", Input).value
        assert again == f"{folder}/reflectcoach-export-2026-03-14.md"


# -- the palette's "Export all" -----------------------------------------------------------------


async def test_export_all_twice_asks_before_replacing(fixture_app, drive, seed, home) -> None:
    seed("every_type", "Alex", answers=2)
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        target = home / "reflectcoach-export-2026-03-14.md"
        await d.palette("export all")
        await d.wait_for(target.exists, "the first export")
        target.write_text("kept", encoding="utf-8")
        await d.palette("export all")
        await d.wait_for(lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("enter")  # "Keep it" has the focus
        await d.settle()
        assert target.read_text(encoding="utf-8") == "kept"
        await d.palette("export all")
        await d.wait_for(lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await d.settle()
        await d.wait_for(lambda: target.read_text(encoding="utf-8") != "kept", "the export")
        assert "A short answer" in target.read_text(encoding="utf-8")


def test_a_name_without_an_ending_takes_the_formats() -> None:
    assert with_format("~/notes", "csv") == "~/notes.csv"
    assert with_format("~/", "csv") == "~/"


async def test_the_dialog_starts_on_the_format_and_names_as_the_end_screen(
    filled_db, review_app, tmp_path
) -> None:
    from reflectcoach.app.screens.transcript import TranscriptScreen

    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        assert isinstance(app.focused, FormatChoice)  # the format first, no Shift+Tab
        await pilot.press("right")  # JSON: the name follows at once
        await settle(pilot)
        assert dialog.query_one("#export-path", Input).value.endswith("-2026-03-14.json")
        await pilot.press("escape")
        await settle(pilot)
        await app.push_screen(TranscriptScreen(filled_db["first"]))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        name = Path(app.screen.query_one("#export-path", Input).value).name
        assert name == "reflectcoach-check_in-2026-03-14.md"  # as the end screen names it


async def test_review_says_what_the_export_wrote(filled_db, review_app, tmp_path) -> None:
    from textual.widgets import Static

    from reflectcoach.app.notices import NoticeLine

    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        field = dialog.query_one("#export-path", Input)
        field.value = str(tmp_path / "said.md")
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        line = app.screen.query_one(NoticeLine)
        assert isinstance(line, Static)
        shown = str(line.render())
        assert shown.startswith("Exported: Wrote") and str(tmp_path / "said.md") in shown


async def test_a_spreadsheet_from_the_dialog_opens_with_every_answer_as_a_cell(
    filled_db, review_app, tmp_path
) -> None:
    """Issue 27 left xlsx to the CLI: a name ending in .xlsx chooses Spreadsheet here too."""
    from openpyxl import load_workbook

    assert format_of("a.XLSX") == "xlsx"
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one("#export-path", Input).value = str(tmp_path / "all.xlsx")
        await settle(pilot)
        assert dialog.query_one("#export-xlsx", RadioButton).value
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    sheet = load_workbook(tmp_path / "all.xlsx", read_only=True)["answers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "conversation_id"
    written = {row[0] for row in rows[1:]}
    assert written and written <= set(filled_db.values())
    assert oct((tmp_path / "all.xlsx").stat().st_mode & 0o777) == "0o600"
