"""The last net: an exception nothing else handles stops the app with one short line and a
private log file holding the traceback; no traceback, and no locals, on the terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reflectcoach.app.app import ReflectCoachApp

# The one line a person sees, word for word (crashlog.STOPPED), before the log's path.
STOPPED = "reflectcoach hit a problem and stopped; nothing you answered was lost."
SECRET = "my private answer about Sam"


def boom(self: object) -> None:
    answer = SECRET  # a local Textual's own traceback would print
    raise RuntimeError(f"a bug, holding {len(answer)} characters")


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "reflectcoach" / "logs"


async def test_an_unexpected_exception_is_logged_privately(
    make_app, state_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(ReflectCoachApp, "action_help", boom)
    app = make_app()
    with pytest.raises(RuntimeError, match="a bug"):  # run_test hands it on to the test
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
    assert app.return_code == 1
    [log] = list(state_home.iterdir())
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(state_home.stat().st_mode) == 0o700
    assert stat.S_IMODE(state_home.parent.stat().st_mode) == 0o700
    details = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in details
    assert "in boom" in details and "RuntimeError: a bug, holding 27 characters" in details
    assert SECRET not in details.split("answer = SECRET")[-1]  # the source line, no values
    printed = capsys.readouterr()
    assert printed.err.strip() == f"{STOPPED} Details: {log}"
    assert "Traceback" not in printed.out + printed.err


async def test_a_log_folder_that_is_not_ours_is_refused_not_followed(
    make_app, state_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    state_home.parent.mkdir(parents=True)
    state_home.symlink_to(elsewhere)
    monkeypatch.setattr(ReflectCoachApp, "action_help", boom)
    app = make_app()
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
    assert app.return_code == 1
    assert list(elsewhere.iterdir()) == []
    printed = capsys.readouterr().err.strip()
    assert printed.startswith(f"{STOPPED} (The details could not be saved: ")
    assert "Traceback" not in printed


# The real command in a real terminal, with one action made to fail.
RUN = """
import sys
from reflectcoach.app.app import ReflectCoachApp
def boom(self):
    answer = {secret!r}
    raise RuntimeError("a bug")
ReflectCoachApp.action_help = boom
from reflectcoach.cli import main
sys.argv = ["reflectcoach", "--db", {db!r}]
main()
"""


def test_in_a_terminal_one_line_is_printed_and_the_exit_status_is_1(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    env.pop("REFLECTCOACH_SCRIPTS", None)
    code = RUN.format(secret=SECRET, db=str(tmp_path / "r.db"))
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 60
    press_at: float | None = None  # a moment after the first frame; again until it stops
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal closed: the process is gone
                    break
                if not chunk:
                    break
                output += chunk
            if press_at is None and b"reflectcoach" in output:
                press_at = time.monotonic() + 1
            if press_at is not None and time.monotonic() >= press_at:
                os.write(leader, b"?")  # help: the action made to fail
                press_at += 3
            if process.poll() is not None and not ready:
                break
        status = process.wait(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        os.close(leader)
    # What is left on the terminal once the app has restored it: after its last frame.
    text = output.decode("utf-8", "replace")
    assert status == 1, text[-2000:]
    assert STOPPED in text
    tail = text[text.rindex(STOPPED) - 200 :]
    assert "Traceback" not in text and SECRET not in text and "locals" not in text.lower()
    [log] = list((tmp_path / "state" / "reflectcoach" / "logs").iterdir())
    assert str(log) in "".join(tail.split())  # the path, maybe wrapped
