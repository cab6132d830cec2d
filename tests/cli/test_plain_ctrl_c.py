"""Ctrl+C while plain mode waits for a locked database always stops the wait.

Python raises KeyboardInterrupt wherever the main thread is when it next runs bytecode; when
that is a finalizer (a generator closed, a `__del__`, which the retry loop's failed
transactions leave plenty of), the exception is printed as "ignored" and lost, and the loop
went on waiting for ever. While waiting, Ctrl+C now only sets a flag the loop reads."""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path

import pytest

from reflectcoach.cli import plain
from reflectcoach.cli.plain import EXIT_STOPPED, PlainRunner
from reflectcoach.script.loader import load_text
from reflectcoach.services import session
from reflectcoach.store import DatabaseBusy, Store

SCRIPT = """\
id: one
title: One
summary: s
audience: anyone
steps:
  first:
    ask: First?
"""


class CtrlCInAFinalizer:
    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # as if Ctrl+C landed while this ran


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(plain, "RETRY_PAUSE_S", 0)  # no pause between tries: no sleeping
    script = load_text(SCRIPT).script
    assert script is not None
    # Python's own handler, as a person's terminal gives it: a suite started in the
    # background begins with SIGINT ignored, and "given back" would then mean ignored.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with Store.open(tmp_path / "r.db") as store:
            running = session.start(store, script)
            yield PlainRunner(running, io.StringIO(""), io.StringIO(), width=80)
    finally:
        signal.signal(signal.SIGINT, before)


def test_ctrl_c_landing_in_a_finalizer_still_stops_the_wait(runner: PlainRunner) -> None:
    tries = 0

    def busy() -> None:
        nonlocal tries
        tries += 1
        if tries == 2:
            CtrlCInAFinalizer()  # made and dropped: its __del__ runs here
        if tries > 5:
            raise AssertionError("Ctrl+C was lost: still waiting for the database")
        raise DatabaseBusy("busy")

    assert runner.write(busy, 'your answer to "First?", which was: x') == EXIT_STOPPED
    out = runner.stdout.getvalue()
    assert "Stopped while waiting for the database." in out
    assert 'Not saved: your answer to "First?", which was: x.' in out
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back


def test_ctrl_c_during_a_write_that_then_goes_through_stops_after_it(runner: PlainRunner) -> None:
    def saved() -> str:
        os.kill(os.getpid(), signal.SIGINT)
        return "turn"

    with pytest.raises(KeyboardInterrupt):
        runner.write(saved, "x")  # written, then stopped as any Ctrl+C ("all saved")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
