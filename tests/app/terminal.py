"""The real app in a pseudo-terminal: keys arrive as bytes, several in one read, as they do
when someone types fast or pastes. For what Pilot cannot reach (it delivers one key event
at a time) and for killing a real process."""

from __future__ import annotations

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
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reflectcoach", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            env={**env, "TERM": "xterm-256color"},
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


def app_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    for name in ("REFLECTCOACH_SCRIPTS", "REFLECTCOACH_DB", "VISUAL", "EDITOR"):
        env.pop(name, None)
    return env
