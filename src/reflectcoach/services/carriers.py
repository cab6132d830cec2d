"""Getting text or a bundle to the other person: the clipboard, honestly, and magic-wormhole.

The clipboard is a chain, each link tried only where it can work, and the result says which
one did (never "copied" when nothing was):

1. OSC 52, the terminal's own clipboard escape, where the terminal is known to honour it
   (kitty, WezTerm, iTerm2, foot, Alacritty, Ghostty, Windows Terminal, Konsole; never inside
   tmux or screen, which swallow it unless configured, and never GNOME Terminal or other VTE
   terminals, which ignore it);
2. tmux's paste buffer when inside tmux (`tmux load-buffer -`);
3. `wl-copy` (Wayland), `xclip` or `xsel` (X11) when present and a display is there;
4. else a file readable by the person only, whose path is said.

`REFLECTCOACH_CLIPBOARD` (osc52, tmux, command, file) picks one link, for a terminal the list
does not know.

magic-wormhole runs as its own command (`python -m wormhole`, installed with reflectcoach), so
Twisted is loaded only by `share --wormhole` and `receive --wormhole`. `--no-listen`: no direct
connection is offered, so the partner's side never learns this machine's addresses; the data
goes through the transit relay, end-to-end encrypted by the wormhole (and the bundle is
encrypted to the partner anyway). WORMHOLE_RELAY_URL and WORMHOLE_TRANSIT_HELPER choose other
servers (the tests run both on 127.0.0.1).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reflectcoach.core.errors import UserError
from reflectcoach.core.private import make_dirs, write_private

CHOICE_ENV = "REFLECTCOACH_CLIPBOARD"
LINKS = ("osc52", "tmux", "command", "file")


@dataclass(frozen=True, slots=True)
class Copied:
    how: str  # one of LINKS, or "nothing"
    message: str  # what to tell the person, in words
    path: Path | None = None  # where the file went, for "file"
    via: str = ""  # the command, for "command"

    @property
    def copied(self) -> bool:
        return self.how in ("osc52", "tmux", "command")

    @property
    def where(self) -> str:
        """Where it went, to follow "copied" in a sentence ("" for the terminal's own)."""
        if self.how == "tmux":
            return " to tmux's paste buffer (your tmux prefix, then ], pastes it)"
        if self.how == "command":
            return f" to the clipboard (with {self.via})"
        return ""


def osc52_supported(env: Mapping[str, str]) -> bool:
    """Whether the terminal is one known to put OSC 52 on the clipboard."""
    if env.get("TMUX") or env.get("STY"):
        return False  # tmux and screen keep it unless configured to pass it on
    if env.get("VTE_VERSION"):
        return False  # GNOME Terminal, Tilix, and the other VTE terminals ignore it
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    return bool(
        env.get("KITTY_WINDOW_ID")
        or env.get("WEZTERM_EXECUTABLE")
        or env.get("ALACRITTY_WINDOW_ID")
        or env.get("WT_SESSION")
        or env.get("KONSOLE_VERSION")
        or program in ("iTerm.app", "WezTerm", "ghostty")
        or term.startswith(("xterm-kitty", "foot", "alacritty", "wezterm", "xterm-ghostty"))
    )


def _tmux(text: str, env: Mapping[str, str]) -> bool:
    tmux = shutil.which("tmux", path=env.get("PATH"))
    if not env.get("TMUX") or tmux is None:
        return False
    try:
        done = subprocess.run(
            [tmux, "load-buffer", "-"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=5,
            env=dict(env),
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _command(text: str, env: Mapping[str, str]) -> str | None:
    """The clipboard command that took the text, or None."""
    choices: list[list[str]] = []
    if env.get("WAYLAND_DISPLAY"):
        choices.append(["wl-copy"])
    if env.get("DISPLAY"):
        choices += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    for argv in choices:
        found = shutil.which(argv[0], path=env.get("PATH"))
        if found is None:
            continue
        try:
            # xclip and wl-copy stay behind to serve the selection: not waited for.
            process = subprocess.Popen(
                [found, *argv[1:]],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=dict(env),
                start_new_session=True,
            )
            assert process.stdin is not None
            process.stdin.write(text.encode("utf-8"))
            process.stdin.close()
            try:
                if process.wait(timeout=2) != 0:
                    continue
            except subprocess.TimeoutExpired:
                pass  # still serving the clipboard: it has the text
        except OSError:
            continue
        return argv[0]
    return None


def copy_text(
    text: str,
    *,
    osc52: Callable[[str], None] | None,
    file_folder: Path,
    file_name: str = "copied-record.txt",
    env: Mapping[str, str] | None = None,
) -> Copied:
    """Put `text` where the person can paste it, by the first link of the chain that works.
    `osc52` sends the escape (the app's `copy_to_clipboard`); None where there is no
    terminal to send it to."""
    env = os.environ if env is None else env
    chosen = env.get(CHOICE_ENV, "").strip().lower()
    links = [chosen] if chosen in LINKS else list(LINKS)
    for link in links:
        if link == "osc52" and osc52 is not None and (chosen == "osc52" or osc52_supported(env)):
            osc52(text)
            return Copied("osc52", "Copied to the clipboard (through the terminal).")
        if link == "tmux" and _tmux(text, env):
            return Copied(
                "tmux",
                "Copied to tmux's paste buffer: paste it with your tmux prefix and ] "
                "(`tmux save-buffer -` prints it).",
            )
        if link == "command":
            used = _command(text, env)
            if used is not None:
                return Copied("command", f"Copied to the clipboard (with {used}).", via=used)
        if link == "file":
            target = file_folder / file_name
            try:
                write_private(target, text)
            except OSError as exc:
                return Copied(
                    "nothing", f"Nothing was copied: no clipboard here, and {target}: {exc}."
                )
            return Copied(
                "file",
                "No clipboard reflectcoach can reach from this terminal, so nothing was "
                f"copied: the text is in {target} (readable by you only).",
                target,
            )
    return Copied("nothing", "Nothing was copied: no clipboard could be reached here.")


# -- magic-wormhole ------------------------------------------------------------------------------

CODE_LINE = re.compile(r"Wormhole code is: (\S+)")
CODE = re.compile(r"[0-9]+(-[a-z]+)+")


class WormholeProblem(UserError):
    """magic-wormhole could not hand the bundle over."""


def _wormhole() -> list[str]:
    return [sys.executable, "-m", "wormhole"]


def wormhole_send(data: bytes, name: str, say: Callable[[str], None], timeout: float = 600) -> str:
    """Send `data` as a file called `name`; `say` is told the code phrase as soon as it is
    known. Returns what to tell the person when the partner has it."""
    with tempfile.TemporaryDirectory(prefix="reflectcoach-") as folder:
        os.chmod(folder, 0o700)
        path = Path(folder) / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
        process = subprocess.Popen(
            [*_wormhole(), "send", "--no-qr", "--hide-progress", "--no-listen", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        told = False
        lines: list[str] = []
        for line in process.stdout:
            lines.append(line)
            found = CODE_LINE.search(line)
            if found and not told:
                told = True
                say(
                    f"Wormhole code: {found.group(1)}  Read it to your partner; they run: "
                    f"reflectcoach receive --wormhole {found.group(1)}"
                )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            raise WormholeProblem("Nobody took the bundle in time; nothing was sent.") from None
    if code != 0:
        raise WormholeProblem(
            "magic-wormhole could not send the bundle: " + (lines[-1].strip() if lines else "")
        )
    return "Sent: your partner has the bundle."


# What `wormhole receive` says of a file offer before it asks "ok? (Y/n)": its size as
# humanize.naturalsize writes it (decimal units, one decimal: "8.4 MB", or "999 Bytes").
OFFER = re.compile(r"Receiving (file|directory) \((\d+(?:\.\d)?) (Bytes?|[kMGTPEZYRQ]B)\)")
UNITS = {"Byte": 1, "Bytes": 1} | {f"{p}B": 1000 ** (n + 1) for n, p in enumerate("kMGTPEZYRQ")}


def offer_size(line: str) -> tuple[str, int] | None:
    """("file" or "directory", the fewest bytes the offer's size line can mean), or None."""
    found = OFFER.search(line)
    if found is None:
        return None
    kind, number, unit = found.groups()
    rounding = 0.05 if "." in number else 0  # "8.4 MB" is at least 8.35 MB
    return kind, int((float(number) - rounding) * UNITS[unit])


def wormhole_receive(code: str, max_bytes: int, timeout: float = 600) -> bytes:
    """The file sent with the code phrase `code`, at most `max_bytes`. The offer is
    answered only once its size is read: a file larger than `max_bytes` (or a folder, or
    anything else) is declined before a byte of it is transferred."""
    if not CODE.fullmatch(code.strip()):
        raise WormholeProblem(
            f"{code!r} is not a wormhole code phrase (a number and words: 7-guitarist-revenge)."
        )
    with tempfile.TemporaryDirectory(prefix="reflectcoach-") as folder:
        os.chmod(folder, 0o700)
        target = Path(folder) / "bundle"
        make_dirs(Path(folder))
        process = subprocess.Popen(
            [*_wormhole(), "receive", "--hide-progress", "--no-listen", "-o", str(target),
             code.strip()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=folder,
        )  # fmt: skip
        assert process.stdin is not None and process.stdout is not None
        # A watchdog: reading the offer line by line has no timeout of its own.
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        refused: str | None = None
        answered = False
        lines: list[str] = []
        try:
            for line in process.stdout:
                lines.append(line)
                offer = None if answered else offer_size(line)
                if offer is None:  # answered once: a later look-alike line (a text) is text
                    continue
                answered = True
                kind, least = offer
                if kind != "file":
                    refused = "Your partner offered a folder, not a bundle: it was declined."
                elif least > max_bytes:
                    refused = (
                        "The file offered is too large to be a reflectcoach bundle (over "
                        f"{max_bytes // (1024 * 1024)} MiB): it was declined before any of it "
                        "was sent."
                    )
                with contextlib.suppress(OSError, ValueError):
                    process.stdin.write("n\n" if refused else "y\n")
                    process.stdin.close()
            code_back = process.wait()
        finally:
            timer.cancel()
            with contextlib.suppress(OSError, ValueError):
                process.stdin.close()
            if process.poll() is None:
                process.kill()
                process.wait()
        if refused is not None:
            raise WormholeProblem(refused)
        if code_back < 0:
            raise WormholeProblem("The bundle did not arrive in time.")
        if code_back != 0 or not target.is_file():
            last = [line.strip() for line in lines if line.strip()]
            raise WormholeProblem(
                "magic-wormhole could not receive the bundle: " + (last[-1] if last else "")
            )
        with target.open("rb") as fp:
            return fp.read(max_bytes + 1)
