"""Home names every script file that failed to load, with its first error, until it is fixed."""

from __future__ import annotations

import re
from pathlib import Path

from textual.screen import Screen
from textual.widgets import OptionList, Static

from reflectcoach.app.screens.home import HomeScreen


class Elsewhere(Screen[None]):
    def compose(self):
        yield Static("another screen")


def problems_text(app) -> str:
    found = app.screen.query("#script-problems")
    if not found or not found.first().display:
        return ""
    return "\n".join(str(s.render()) for s in found.first().query(Static))


def write_broken(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    broken = folder / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    markup = folder / "[bold]odd[@click=app.quit]x.yaml"
    markup.write_text("steps: 3\n", encoding="utf-8")
    return broken, markup


async def test_home_lists_each_broken_file_with_its_first_error(
    make_app, drive, tmp_path: Path
) -> None:
    broken, markup = write_broken(tmp_path / "scripts")
    app = make_app(extra=[tmp_path / "scripts"])
    async with app.run_test(size=(100, 30)) as pilot:
        await drive(pilot).settle()
        text = problems_text(app)
        assert "2 script files could not be loaded" in text
        lines = [line.strip() for line in text.splitlines()]
        mine = [line for line in lines if line.startswith(str(broken))]
        assert len(mine) == 1  # the first error only
        assert re.match(re.escape(str(broken)) + r":\d+:\d+: invalid YAML", mine[0])
        assert any(line.startswith(f"{markup}:") for line in lines)  # shown literally
        assert app.is_running
        # Still there after a while, and after coming back from another screen.
        await app.push_screen(Elsewhere())
        await drive(pilot).settle()
        app.pop_screen()
        await drive(pilot).settle()
        assert str(broken) in problems_text(app)


async def test_the_list_goes_once_the_files_are_fixed(make_app, drive, tmp_path: Path) -> None:
    broken, markup = write_broken(tmp_path / "scripts")
    app = make_app(extra=[tmp_path / "scripts"])
    async with app.run_test(size=(100, 30)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert str(broken) in problems_text(app)
        broken.write_text(
            "id: mended\ntitle: Mended\nsummary: Fixed now.\naudience: anyone\n"
            "steps:\n  only:\n    ask: Better?\n",
            encoding="utf-8",
        )
        await app.push_screen(Elsewhere())
        await d.settle()
        app.pop_screen()
        await d.settle()
        text = problems_text(app)
        assert str(broken) not in text and "1 script file could not" in text
        scripts = app.screen.query_one("#scripts", OptionList)
        ids = [scripts.get_option_at_index(i).id for i in range(scripts.option_count)]
        assert "mended" in ids
        markup.unlink()
        await app.push_screen(Elsewhere())
        await d.settle()
        app.pop_screen()
        await d.settle()
        assert problems_text(app) == ""


async def test_no_list_when_every_script_loads(make_app, drive) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        assert isinstance(app.screen, HomeScreen)
        assert problems_text(app) == ""
