"""Copy record says what really happened (issue 23): in tmux, with no terminal that honours
OSC 52, the record goes to tmux's paste buffer (read back from a real tmux server); with no
clipboard at all it goes to a private file whose path is said, and the notice never says
"copied". The chain itself (services/carriers.py) with real commands on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reflectcoach.app.screens.finished import FinishedScreen
from reflectcoach.services.carriers import copy_text, osc52_supported

from .test_copy import ANSWERS

TMUX = shutil.which("tmux")
needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")


def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("REFLECTCOACH_CLIPBOARD", "TMUX", "STY", "DISPLAY", "WAYLAND_DISPLAY",
                 "KITTY_WINDOW_ID", "WEZTERM_EXECUTABLE", "ALACRITTY_WINDOW_ID", "WT_SESSION",
                 "KONSOLE_VERSION", "TERM_PROGRAM"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("VTE_VERSION", "7600")  # GNOME Terminal: ignores OSC 52
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def tmux_server(tmp_path: Path) -> Iterator[Path]:
    """A tmux server of our own (its own socket), with one detached session."""
    assert TMUX is not None
    socket = tmp_path / "tmux.sock"
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    subprocess.run(
        [TMUX, "-S", str(socket), "-f", "/dev/null", "new-session", "-d", "-x", "100",
         "-y", "30", "sh"],
        check=True,
        env=env,
        timeout=20,
    )  # fmt: skip
    try:
        yield socket
    finally:
        subprocess.run([TMUX, "-S", str(socket), "kill-server"], env=env, timeout=20)


def _buffer(socket: Path) -> str:
    assert TMUX is not None
    return subprocess.run(
        [TMUX, "-S", str(socket), "save-buffer", "-"],
        capture_output=True,
        text=True,
        timeout=20,
    ).stdout


@needs_tmux
async def test_copy_record_in_tmux_goes_to_its_paste_buffer(
    fixture_app, drive, tmux_server: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("TMUX", f"{tmux_server},0,0")  # as tmux sets it for its panes
    app = fixture_app(start="every_type", mentorship="Alex")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.finish(ANSWERS)
        await d.settle()
        assert isinstance(app.screen, FinishedScreen)
        await pilot.press("y")
        await d.settle()
        expected = app.screen.session.conversation.record_plain()
        messages = [n.message for n in app._notifications]
    assert _buffer(tmux_server) == expected
    assert messages == [
        "Record copied to tmux's paste buffer (your tmux prefix, then ], pastes it) as plain text."
    ]


async def test_copy_record_with_no_clipboard_says_where_the_file_is(
    fixture_app, drive, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _clean_env(monkeypatch, tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no tmux, xclip, xsel, wl-copy
    app = fixture_app(start="every_type", mentorship="Alex")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.finish(ANSWERS)
        await d.settle()
        await pilot.press("y")
        await d.settle()
        expected = app.screen.session.conversation.record_plain()
        notices = list(app._notifications)
    assert len(notices) == 1 and notices[0].title == "Not copied"
    assert not notices[0].message.startswith(("Record copied", "Copied"))
    assert "nothing was copied" in notices[0].message
    path = Path(notices[0].message.split(" is in ")[1].split(" (readable")[0])
    assert path.read_text(encoding="utf-8") == expected
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_osc52_is_used_only_where_the_terminal_honours_it() -> None:
    assert osc52_supported({"TERM": "xterm-kitty"})
    assert osc52_supported({"TERM_PROGRAM": "WezTerm"})
    assert not osc52_supported({"TERM": "xterm-256color", "VTE_VERSION": "7600"})
    assert not osc52_supported({"TERM": "xterm-kitty", "TMUX": "/tmp/s,1,0"})
    assert not osc52_supported({"TERM": "xterm-256color"})  # unknown: not assumed


def test_a_clipboard_command_on_path_takes_it(tmp_path: Path) -> None:
    """A real `xclip` stand-in on PATH (a shell script writing what it is given to a file):
    the chain runs it with the text on stdin and says so."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    out = tmp_path / "got.txt"
    xclip = bin_dir / "xclip"
    xclip.write_text(f"#!/bin/sh\nexec {shutil.which('cat')} > {out}\n", encoding="utf-8")
    xclip.chmod(0o755)
    env = {"PATH": str(bin_dir), "DISPLAY": ":0", "TERM": "xterm"}
    sent: list[str] = []
    done = copy_text("hello\nthere", osc52=sent.append, file_folder=tmp_path / "f", env=env)
    for _ in range(50):
        if out.exists() and out.read_text() == "hello\nthere":
            break
        time.sleep(0.05)
    assert done.how == "command" and done.via == "xclip"
    assert out.read_text() == "hello\nthere"
    assert sent == []  # an unknown terminal: no escape sent and claimed


@needs_tmux
def test_copy_inside_a_real_tmux_pane(tmp_path: Path, tmux_server: Path) -> None:
    """The chain run in a tmux pane (a pty tmux made, TMUX set by tmux itself): the text is
    in tmux's buffer and the message says so."""
    assert TMUX is not None
    script = tmp_path / "copy_in_pane.py"  # not copy.py: it would hide the stdlib module
    report = tmp_path / "report.txt"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from reflectcoach.services.carriers import copy_text\n"
        f"done = copy_text('from the pane', osc52=None, file_folder=Path({str(tmp_path)!r}))\n"
        f"Path({str(report)!r}).write_text(done.how + '|' + done.message)\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    subprocess.run(
        [TMUX, "-S", str(tmux_server), "new-window", "-d",
         f"env -u VTE_VERSION {sys.executable} {script} 2> {tmp_path / 'err.txt'}"],
        check=True,
        env=env,
        timeout=20,
    )  # fmt: skip
    for _ in range(200):
        if report.exists():
            break
        time.sleep(0.05)
    assert report.exists(), (tmp_path / "err.txt").read_text()
    how, message = report.read_text().split("|", 1)
    assert how == "tmux", message
    assert "tmux's paste buffer" in message
    assert _buffer(tmux_server) == "from the pane"
