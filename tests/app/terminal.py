"""The real app in a pseudo-terminal: keys arrive as bytes, several in one read, as they do
when someone types fast or pastes. For what Pilot cannot reach (it delivers one key event
at a time) and for killing a real process."""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path


class Terminal:
    """`python -m reflectcoach ARGS` on a pty of `size` (columns, rows)."""

    def __init__(
        self, args: list[str], *, env: dict[str, str], size: tuple[int, int] = (80, 24)
    ) -> None:
        parent, child = pty.openpty()
        columns, rows = size
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.fd = parent
        self.seen = bytearray()
        self.screen = Screen(columns, rows)  # what is drawn now (`text`, `wait_for_text`)
        self._fed = 0  # how much of `seen` the screen has been given
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reflectcoach", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            # The pty's size is the app's size: pytest-xdist's workers export COLUMNS=80 and
            # LINES=24, which Textual would take over the terminal's own.
            env={**_without_size(env), "TERM": "xterm-256color"},
            start_new_session=True,
        )
        os.close(child)

    def read_until(self, marker: bytes, timeout: float = 60) -> None:
        """Read the screen's bytes until `marker` has been drawn."""
        deadline = time.monotonic() + timeout
        while marker not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"never drawn: {marker!r}; last output: {bytes(self.seen[-2000:])!r}"
            ready, _, _ = select.select([self.fd], [], [], min(left, 1))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the process has gone: the pty is closed
                    chunk = b""
                assert chunk, f"the app ended; last output: {bytes(self.seen[-2000:])!r}"
                self.seen.extend(chunk)

    def drain(self) -> None:
        """Read what is there (the app blocks once the pty's buffer is full)."""
        while select.select([self.fd], [], [], 0)[0]:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.seen.extend(chunk)

    def write(self, data: bytes) -> None:
        """All of `data` in one write: the app reads it in one go."""
        os.write(self.fd, data)

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
        """Keep reading the screen until `condition()` holds (it looks at files, not here)."""
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"never happened: {what}"
            self.drain()
            time.sleep(0.05)

    def text(self) -> str:
        """The screen as it is drawn now, one line of text a row (what was read so far)."""
        if self._fed < len(self.seen):
            self.screen.feed(bytes(self.seen[self._fed :]))
            self._fed = len(self.seen)
        return self.screen.text()

    def wait_for_text(self, text: str, timeout: float = 60) -> str:
        """Read until `text` is on the screen now (not merely drawn once, then covered), on
        one row; returns the whole screen. An app that ended or a timeout fail, with the screen
        in the message."""
        return self.wait_for_screen(lambda screen: text in screen, repr(text), timeout)

    def wait_for_screen(
        self, condition: Callable[[str], bool], what: str, timeout: float = 60
    ) -> str:
        """Read until `condition(screen text)` holds; returns the screen (see wait_for_text)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if condition(screen):
                return screen
            left = deadline - time.monotonic()
            assert left > 0, f"not on the screen: {what}; the screen:\n{screen}"
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                assert chunk, f"the app ended before {what}; the screen:\n{screen}"
                self.seen.extend(chunk)

    def kill(self) -> None:
        """SIGKILL: no chance to save anything on the way out."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        with contextlib.suppress(OSError):  # kill() closed it already
            os.close(self.fd)


def _without_size(env: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in env.items() if name not in ("COLUMNS", "LINES")}


def app_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    for name in ("REFLECTCOACH_SCRIPTS", "REFLECTCOACH_DB", "VISUAL", "EDITOR"):
        env.pop(name, None)
    return env


class Screen:
    """Just enough of a VT100/xterm to know what a Textual app has on the screen: text placed
    by cursor moves, erased lines and screens; colours, modes and titles are read and dropped.
    Cells hold one character (a wide one takes two cells, the second empty)."""

    CSI_FINAL = range(0x40, 0x7F)

    def __init__(self, columns: int, rows: int) -> None:
        self.columns, self.rows = columns, rows
        self.cells = [[" "] * columns for _ in range(rows)]
        self.x = self.y = 0
        self.wrap_next = False  # the last column was written: wrap before the next character
        self.saved = (0, 0)
        self.pending = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.cells)

    def feed(self, data: bytes) -> None:
        data_text = self.pending + self.decoder.decode(data)
        self.pending = ""
        i, end = 0, len(data_text)
        while i < end:
            char = data_text[i]
            if char == "\x1b":
                used = self._escape(data_text, i)
                if used is None:  # cut off: wait for the rest
                    self.pending = data_text[i:]
                    return
                i = used
                continue
            i += 1
            if char == "\r":
                self.x, self.wrap_next = 0, False
            elif char == "\n":
                self._line_feed()
            elif char == "\b":
                self.x, self.wrap_next = max(self.x - 1, 0), False
            elif char == "\t":
                self.x = min((self.x // 8 + 1) * 8, self.columns - 1)
            elif char >= " " and char != "\x7f":
                self._put(char)

    def _line_feed(self) -> None:
        self.wrap_next = False
        if self.y == self.rows - 1:
            del self.cells[0]
            self.cells.append([" "] * self.columns)
        else:
            self.y += 1

    def _put(self, char: str) -> None:
        if unicodedata.combining(char) or char in "\u200d\ufe0f\ufe0e":
            if self.x > 0:
                self.cells[self.y][self.x - 1] += char
            return
        width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if self.wrap_next or self.x + width > self.columns:
            self.x = 0
            self._line_feed()
        self.cells[self.y][self.x] = char
        if width == 2 and self.x + 1 < self.columns:
            self.cells[self.y][self.x + 1] = ""
        if self.x + width >= self.columns:
            self.x, self.wrap_next = self.columns - 1, True
        else:
            self.x += width

    def _escape(self, data: str, start: int) -> int | None:
        """Act on the escape sequence at `start`; the index after it, or None if cut off."""
        if start + 1 >= len(data):
            return None
        kind = data[start + 1]
        if kind == "[":
            i = start + 2
            while i < len(data) and ord(data[i]) not in self.CSI_FINAL:
                i += 1
            if i >= len(data):
                return None
            self._csi(data[start + 2 : i], data[i])
            return i + 1
        if kind in "]P_^X":  # OSC, DCS, APC, PM, SOS: up to BEL or ST
            i = start + 2
            while i < len(data):
                if data[i] == "\x07" and kind == "]":
                    return i + 1
                if data[i] == "\x1b":
                    if i + 1 >= len(data):
                        return None
                    if data[i + 1] == "\\":
                        return i + 2
                i += 1
            return None
        if kind in "()*+#%":  # character sets and the like: one more character
            return None if start + 2 >= len(data) else start + 3
        if kind == "7":
            self.saved = (self.x, self.y)
        elif kind == "8":
            self.x, self.y = self.saved
            self.wrap_next = False
        elif kind == "c":
            self._erase_all()
            self.x = self.y = 0
        return start + 2

    def _erase_all(self) -> None:
        self.cells = [[" "] * self.columns for _ in range(self.rows)]

    def _csi(self, params: str, final: str) -> None:
        if params[:1] in ("?", ">", "<", "=") or params.endswith(("$", " ", "!")):
            if final in "hl" and params[1:] in ("1049", "47", "1047"):
                self._erase_all()  # the alternate screen, entered or left
            return
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def arg(index: int, default: int) -> int:
            value = numbers[index] if index < len(numbers) else 0
            return value or default

        self.wrap_next = False
        if final in "Hf":
            self.y = min(max(arg(0, 1) - 1, 0), self.rows - 1)
            self.x = min(max(arg(1, 1) - 1, 0), self.columns - 1)
        elif final == "A":
            self.y = max(self.y - arg(0, 1), 0)
        elif final in "Be":
            self.y = min(self.y + arg(0, 1), self.rows - 1)
        elif final in "Ca":
            self.x = min(self.x + arg(0, 1), self.columns - 1)
        elif final == "D":
            self.x = max(self.x - arg(0, 1), 0)
        elif final in "G`":
            self.x = min(max(arg(0, 1) - 1, 0), self.columns - 1)
        elif final == "d":
            self.y = min(max(arg(0, 1) - 1, 0), self.rows - 1)
        elif final == "E":
            self.x, self.y = 0, min(self.y + arg(0, 1), self.rows - 1)
        elif final == "F":
            self.x, self.y = 0, max(self.y - arg(0, 1), 0)
        elif final == "K":
            row, mode = self.cells[self.y], arg(0, 0)
            lo, hi = {0: (self.x, self.columns), 1: (0, self.x + 1)}.get(mode, (0, self.columns))
            row[lo:hi] = [" "] * (hi - lo)
        elif final == "J":
            mode = arg(0, 0)
            if mode == 0:
                self.cells[self.y][self.x :] = [" "] * (self.columns - self.x)
                for row in self.cells[self.y + 1 :]:
                    row[:] = [" "] * self.columns
            elif mode == 1:
                for row in self.cells[: self.y]:
                    row[:] = [" "] * self.columns
                self.cells[self.y][: self.x + 1] = [" "] * (self.x + 1)
            else:
                self._erase_all()
        elif final == "X":
            count = min(arg(0, 1), self.columns - self.x)
            self.cells[self.y][self.x : self.x + count] = [" "] * count
        elif final == "P":
            row, count = self.cells[self.y], min(arg(0, 1), self.columns - self.x)
            del row[self.x : self.x + count]
            row.extend([" "] * count)
        elif final == "@":
            row, count = self.cells[self.y], min(arg(0, 1), self.columns - self.x)
            row[self.x : self.x] = [" "] * count
            del row[self.columns :]
        elif final == "s":
            self.saved = (self.x, self.y)
        elif final == "u":
            self.x, self.y = self.saved
        # m (colours), r (scroll region), t, n and the rest: nothing on the screen changes


# -- what a live process holds open (Linux: /proc) --------------------------------------------

DELETED = " (deleted)"


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants that are alive now (Linux /proc; [pid] elsewhere)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        tasks = Path(f"/proc/{current}/task")
        with contextlib.suppress(OSError):
            for task in tasks.iterdir():
                with contextlib.suppress(OSError):
                    queue.extend(int(c) for c in (task / "children").read_text().split())
    return found


def open_files(pid: int) -> dict[int, str]:
    """Descriptor -> what /proc shows it pointing at ("PATH (deleted)" once unlinked)."""
    links: dict[int, str] = {}
    with contextlib.suppress(OSError):
        for entry in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):  # closed between listing and reading
                links[int(entry.name)] = os.readlink(entry)
    return links


def unlinked_database_files(pid: int, db: Path) -> list[str]:
    """Descriptors of `pid` or its children that point at `db`, its -wal or its -shm after
    it was unlinked: what an app writing into a log nobody else will read has open. Each as
    "PID fd N -> TARGET"; empty when there are none."""
    base = os.path.realpath(db)
    names = {base, base + "-wal", base + "-shm", base + "-journal"}
    found = []
    for process in process_tree(pid):
        for fd, target in sorted(open_files(process).items()):
            if target.endswith(DELETED) and target[: -len(DELETED)] in names:
                found.append(f"{process} fd {fd} -> {target}")
    return found


def held_locks(pid: int, db: Path) -> dict[str, list[str]]:
    """The POSIX locks `pid` holds on `db`, its -wal and its -shm (Linux /proc/locks), by
    suffix ("" for the database itself), each as "READ 128-128". A process with a WAL-mode
    connection open holds a read lock on the database (SQLite's SHARED lock) and one on the
    -shm (the byte that says "in use"): a descriptor of the file closed outside SQLite drops
    them, and a second process then finds itself the last user."""
    files: dict[tuple[int, int, int], str] = {}
    for suffix in ("", "-wal", "-shm"):
        try:
            info = os.stat(f"{db}{suffix}")
        except OSError:
            continue
        files[(os.major(info.st_dev), os.minor(info.st_dev), info.st_ino)] = suffix
    held: dict[str, list[str]] = {suffix: [] for suffix in files.values()}
    for line in Path("/proc/locks").read_text().splitlines():
        # "1: POSIX  ADVISORY  READ 1234 08:01:5678 128 128"; a waiter's line has "->"
        fields = line.split()
        if len(fields) != 8 or fields[1] != "POSIX" or int(fields[4]) != pid:
            continue
        major, minor, inode = fields[5].split(":")
        suffix = files.get((int(major, 16), int(minor, 16), int(inode)))
        if suffix is not None:
            held[suffix].append(f"{fields[3]} {fields[6]}-{fields[7]}")
    return held
