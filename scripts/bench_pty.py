"""Time a terminal program as a person sees it: spawn it in a pseudo-terminal, read what it
writes, and stop the clock when given text is on the screen. No help from the program.

The child gets a 100x30 pty (stdlib `pty.fork`); what it writes goes through `Screen`, a small
terminal emulator (cursor moves, erases, text; colours and modes skipped), and after every read
each pending `Mark` checks the screen's text. Used by scripts/bench.py (`pty` group):

    python scripts/bench_pty.py -- reflectcoach            # print the screen after 3 s
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

COLUMNS, LINES = 100, 30

# One escape sequence: CSI (with its parameters), OSC/DCS/APC strings (ended by BEL or ST),
# or a two-character escape. Whatever is not matched is text or a control character.
_ESCAPE = re.compile(
    r"\x1b\[([0-?]*)([ -/]*)([@-~])"  # CSI params intermediates final
    r"|\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, DCS, APC, PM, SOS
    r"|\x1b[()*+][0-~]"  # charset designation
    r"|\x1b[ -~]"  # other two-character escapes
)


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class Screen:
    """The text on a terminal screen of `columns` x `lines` cells."""

    def __init__(self, columns: int = COLUMNS, lines: int = LINES) -> None:
        self.columns, self.lines = columns, lines
        self.cells = [[" "] * columns for _ in range(lines)]
        self.x = self.y = 0
        self.pending = ""  # an escape sequence cut in two by a read

    def feed(self, data: str) -> None:
        data = self.pending + data
        self.pending = ""
        tail = data.rfind("\x1b")
        if tail != -1 and not _ESCAPE.match(data, tail) and len(data) - tail < 4096:
            data, self.pending = data[:tail], data[tail:]
        position = 0
        for found in _ESCAPE.finditer(data):
            self._text(data[position : found.start()])
            if found.group(3) is not None:
                self._csi(found.group(1), found.group(3))
            position = found.end()
        self._text(data[position:])

    def _text(self, text: str) -> None:
        for ch in text:
            if ch == "\r":
                self.x = 0
            elif ch == "\n":
                self.y = min(self.y + 1, self.lines - 1)
            elif ch == "\b":
                self.x = max(self.x - 1, 0)
            elif ch < " " or ch == "\x7f":
                continue
            else:
                width = _width(ch)
                if width == 0 or self.x >= self.columns:
                    continue
                self.cells[self.y][self.x] = ch
                if width == 2 and self.x + 1 < self.columns:
                    self.cells[self.y][self.x + 1] = ""
                self.x += width

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", ">", "<", "=")):
            return  # private modes and queries: nothing drawn
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def arg(index: int, default: int = 1) -> int:
            value = numbers[index] if index < len(numbers) else 0
            return value or default

        if final in "Hf":
            self.y = min(max(arg(0) - 1, 0), self.lines - 1)
            self.x = min(max(arg(1) - 1, 0), self.columns - 1)
        elif final == "A":
            self.y = max(self.y - arg(0), 0)
        elif final == "B":
            self.y = min(self.y + arg(0), self.lines - 1)
        elif final == "C":
            self.x = min(self.x + arg(0), self.columns - 1)
        elif final == "D":
            self.x = max(self.x - arg(0), 0)
        elif final == "G":
            self.x = min(max(arg(0) - 1, 0), self.columns - 1)
        elif final == "d":
            self.y = min(max(arg(0) - 1, 0), self.lines - 1)
        elif final == "K":
            mode = arg(0, 0)
            row = self.cells[self.y]
            start, end = {0: (self.x, self.columns), 1: (0, self.x + 1)}.get(
                mode, (0, self.columns)
            )
            row[start:end] = [" "] * (end - start)
        elif final == "J":
            mode = arg(0, 0)
            if mode == 0:
                self.cells[self.y][self.x :] = [" "] * (self.columns - self.x)
                rows = range(self.y + 1, self.lines)
            elif mode == 1:
                rows = range(0, self.y)
            else:
                rows = range(self.lines)
            for y in rows:
                self.cells[y] = [" "] * self.columns

    def text(self) -> str:
        return "\n".join("".join(row) for row in self.cells)


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
    decode = _decoder()
    deadline = started + timeout
    try:
        while waiting:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            readable, _, _ = select.select([master], [], [], left)
            if not readable:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            now = time.perf_counter()
            screen.feed(decode(chunk))
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


def _decoder() -> Callable[[bytes], str]:
    import codecs

    incremental = codecs.getincrementaldecoder("utf-8")("replace")
    return lambda chunk: incremental.decode(chunk)


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
