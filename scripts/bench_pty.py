"""Time a terminal program as a person sees it: spawn it in a pseudo-terminal, read what it
writes, and stop the clock when given text is on the screen. No help from the program.

The child gets a 100x30 pty (stdlib `pty.fork`); what it writes goes through pyte, a terminal
emulator, and after every read each pending `Mark` checks the screen's text. Used by
scripts/bench/ (`pty` group):

    python scripts/bench_pty.py -- reflectcoach            # print the screen after 3 s
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyte

COLUMNS, LINES = 100, 30


class Screen:
    """The text on a terminal screen of `columns` x `lines` cells: pyte's emulator fed the
    child's bytes as they come (UTF-8 split across reads included)."""

    def __init__(self, columns: int = COLUMNS, lines: int = LINES) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)


@dataclass
class Mark:
    """A moment to time: the first screen on which `ready(text)` is true."""

    name: str
    ready: Callable[[str], bool]


def contains(*needles: str) -> Callable[[str], bool]:
    return lambda text: all(n in text for n in needles)


@dataclass
class Run:
    times: dict[str, float]  # mark -> ms from just before the fork
    cpu: dict[str, float]  # mark -> ms of CPU the child had run by then (all its threads)
    screen: str  # the text on screen when the last mark was met (or at the timeout)


def cpu_ms(pid: int) -> float:
    """CPU time the process's threads have run so far (Linux schedstat, in ns; a machine
    busy with other work stretches wall time but not this)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return float("nan")
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat", encoding="ascii") as fp:
                total += int(fp.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e6


def run(
    argv: Sequence[str],
    env: dict[str, str],
    marks: Sequence[Mark],
    *,
    cwd: str | None = None,
    timeout: float = 30.0,
    columns: int = COLUMNS,
    lines: int = LINES,
    quit_keys: bytes = b"\x11",
) -> Run:
    """Spawn argv in a pty of columns x lines; ms until each mark, in the order met. Once
    every mark is met, `quit_keys` are typed (ctrl+q) and the child gets 10 s to exit as a
    person would leave it (a killed app leaves its database's log behind, and the next start
    would check the whole file); then, or at the timeout (missing marks raise), it is killed."""
    screen = Screen(columns, lines)
    size = struct.pack("HHHH", lines, columns, 0, 0)
    env = {**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
    started = time.perf_counter()
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its terminal
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, size)
            if cwd:
                os.chdir(cwd)
            os.execvpe(argv[0], list(argv), env)
        finally:
            os._exit(127)
    fcntl.ioctl(master, termios.TIOCSWINSZ, size)
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    waiting = list(marks)
    deadline = started + timeout
    try:
        while waiting:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            # A quiet screen is checked again now and then: a mark may be about time alone.
            readable, _, _ = select.select([master], [], [], min(left, 0.25))
            if readable:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
            now = time.perf_counter()
            if readable:
                screen.feed(chunk)
            text = screen.text()
            used = None
            for mark in list(waiting):
                if mark.ready(text):
                    times[mark.name] = (now - started) * 1000
                    used = cpu_ms(pid) if used is None else used
                    cpu[mark.name] = used
                    waiting.remove(mark)
    finally:
        _stop(pid, master, quit_keys if not waiting else b"")
    if waiting:
        raise RuntimeError(
            f"{' '.join(argv)}: never showed {', '.join(m.name for m in waiting)}; the screen:\n"
            + screen.text()
        )
    return Run(times, cpu, screen.text())


def _stop(pid: int, master: int, quit_keys: bytes) -> None:
    if quit_keys:
        with contextlib.suppress(OSError):
            os.write(master, quit_keys)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:  # keep reading: a child blocked writing to a full pty never exits
                readable, _, _ = select.select([master], [], [], 0.05)
                if readable and not os.read(master, 1 << 16):
                    break
            except OSError:
                break
            if os.waitpid(pid, os.WNOHANG)[0]:
                os.close(master)
                return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(master)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="show what a program draws in a 100x30 pty")
    parser.add_argument("--wait", type=float, default=3.0, help="seconds before the snapshot")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.wait
    result = run(
        args.command,
        dict(os.environ),
        [Mark("timeout", lambda _text: time.monotonic() > deadline)],
        timeout=args.wait + 5,
    )
    print(result.screen)
    print(result.times, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
