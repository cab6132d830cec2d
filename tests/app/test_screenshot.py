"""The palette's Screenshot: saved where it can be, private, and the place said plainly."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from reflectcoach.app import screenshot


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh home with no Downloads folder, and config/data folders inside it."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / ".local" / "share"))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    return folder


async def take(pilot, drive) -> None:
    d = drive(pilot)
    await d.settle()
    await d.palette("Screenshot")
    await pilot.pause(0.3)  # the palette's command waits 0.1 s for the palette to go
    await d.settle()


def svgs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.svg")) if folder.is_dir() else []


async def test_screenshot_makes_a_missing_downloads_folder(fixture_app, drive, home) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await take(pilot, drive)
        downloads = home / "Downloads"
        [saved] = svgs(downloads)
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert stat.S_IMODE(downloads.stat().st_mode) == 0o700
        assert saved.read_text(encoding="utf-8").startswith("<svg")
        [said] = [n for n in app.notices_said if n.title == "Screenshot"]
        assert str(saved) in said.message and said.markup is False
        assert said.severity == "information"


async def test_screenshot_in_an_existing_folder_is_private(fixture_app, drive, home) -> None:
    (home / "Downloads").mkdir(mode=0o755)
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await take(pilot, drive)
        [saved] = svgs(home / "Downloads")
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600


async def test_screenshot_falls_back_to_the_data_folder(fixture_app, drive, home) -> None:
    (home / "Downloads").write_text("a file, not a folder", encoding="utf-8")
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await take(pilot, drive)
        [saved] = svgs(home / ".local" / "share" / "reflectcoach" / "screenshots")
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert any(str(saved) in n.message for n in app.notices_said)


def test_two_screenshots_in_one_second_keep_both(tmp_path: Path) -> None:
    first = screenshot.save("<svg>1</svg>", "shot.svg", tmp_path)
    second = screenshot.save("<svg>2</svg>", "shot.svg", tmp_path)
    assert (first.name, second.name) == ("shot.svg", "shot-2.svg")
    assert first.read_text(encoding="utf-8") == "<svg>1</svg>"


def test_a_link_at_the_name_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("kept", encoding="utf-8")
    (tmp_path / "shot.svg").symlink_to(target)
    saved = screenshot.save("<svg/>", "shot.svg", tmp_path)
    assert saved.name == "shot-2.svg" and target.read_text(encoding="utf-8") == "kept"


def test_missing_parents_are_private_whatever_the_umask(tmp_path: Path) -> None:
    """`mkdir(mode=0o700, parents=True)` gave the parents it made the umask's mode (0777
    under `umask 000`): every folder a screenshot makes is 0700, the file 0600."""
    old = os.umask(0)
    try:
        saved = screenshot.save("<svg/>", "shot.svg", tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_file_names_have_no_awkward_characters() -> None:
    import datetime as dt

    name = screenshot.file_name("a/b:c", dt.datetime(2026, 3, 14, 9, 30, 5))
    assert name == "a_b_c 2026-03-14 09_30_05.svg"


WEB = re.compile(r"""(?:https?:)?//(?!www\.w3\.org/)[^\s"'<>)]+""")


async def test_a_screenshot_loads_nothing_from_the_web(fixture_app, drive, home) -> None:
    """Rich's template fetched Fira Code from a CDN when the SVG was opened."""
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await take(pilot, drive)
        [saved] = svgs(home / "Downloads")
        svg = saved.read_text(encoding="utf-8")
        assert WEB.findall(svg) == []
        assert 'url("' not in svg  # clip paths are url(#...), local
        assert 'font-family: "Fira Code"' in svg and 'local("FiraCode-Regular")' in svg


def test_offline_leaves_typed_addresses_on_screen_alone() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><!-- Generated with Rich https://x.io -->'
        '<style>src: local("F"),\n   url("https://cdn/x.woff2") format("woff2");</style>'
        "<text>https://typed.example</text></svg>"
    )
    assert screenshot.offline(svg) == (
        '<svg xmlns="http://www.w3.org/2000/svg"><style>src: local("F");</style>'
        "<text>https://typed.example</text></svg>"
    )
