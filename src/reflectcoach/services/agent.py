"""An unlocked session: `reflectcoach unlock [--for 15m]` derives an encrypted database's key
once and leaves it with a small process of its own, as ssh-agent keeps a key, so the commands
that follow skip the deliberately slow derivation (PBKDF2-SHA512, 256,000 iterations) until
the session ends: at its time, or on `reflectcoach lock`.

Where it lives: a unix socket, `$XDG_RUNTIME_DIR/reflectcoach/agent-<hash of the database's
path>.sock`: a folder only this user can enter (0700), on a memory file system the system
empties at logout; the socket itself 0600. No key is ever written to a file: the key reaches
the agent through a pipe, and a command gets it through the socket.

Who may ask: a process of the same user only, checked on both sides with the kernel's peer
credentials (SO_PEERCRED), not with anything a caller says. A command connects only to a
socket it owns in a folder it owns; an agent answers only a caller of its own user. A socket
whose agent is gone (killed, the machine restarted) refuses the connection: it is ignored,
and the next `unlock` replaces it.

What it does not protect against: any program running as you while the session is unlocked
can ask for the key, as it could read your keyring or the memory of a running reflectcoach
(README, "Encryption"). The agent asks the kernel not to let other processes of yours read
its memory or dump it (PR_SET_DUMPABLE 0); root can, as always.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import struct
import sys
import time
import zlib
from pathlib import Path

KEY_BYTES = 32
FOLDER = "reflectcoach"
ASK = b"key\0"  # then the database's path and a newline: an agent answers for its own only
LOCK = b"lock\n"
_CRED = struct.Struct("3i")  # struct ucred: pid, uid, gid
DEFAULT_SECONDS = 15 * 60
MAX_SECONDS = 24 * 60 * 60
MAX_PATH = 4096  # PATH_MAX: the longest database path an agent is given
SOCKET_PATH_MAX = 108  # sun_path, with its terminating NUL: Linux's limit


class AgentError(Exception):
    """A session could not be started, said for a person."""


def _named(db: Path) -> bytes:
    return os.fsencode(db.expanduser().resolve())


def socket_path(db: Path) -> Path | None:
    """Where the agent for `db` listens; None without a runtime folder (XDG_RUNTIME_DIR).
    (Named by two checksums of the path, not a hash: hashlib costs every command 4 ms, and
    an agent answers only for its own path whatever its socket is called.)"""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime or not os.path.isabs(runtime):
        return None
    named = _named(db)
    name = f"{zlib.crc32(named):08x}{zlib.adler32(named):08x}"
    return Path(runtime) / FOLDER / f"agent-{name}.sock"


def _ours(path: Path, kind: int) -> bool:
    """`path` (not followed) is of `kind`, this user's, and no one else may write it."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_IFMT(info.st_mode) == kind
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _peer_uid(conn: socket.socket) -> int:
    data = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CRED.size)
    return int(_CRED.unpack(data)[1])


def _talk(db: Path, request: bytes, size: int) -> bytes | None:
    """Send `request` to the agent of `db` and read up to `size` bytes back; None when there
    is no agent of this user to ask (none, stale, or a socket that is not ours)."""
    path = socket_path(db)
    if path is None or not _ours(path.parent, stat.S_IFDIR) or not _ours(path, stat.S_IFSOCK):
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(2.0)
        try:
            conn.connect(str(path))
            if _peer_uid(conn) != os.getuid():  # the listener is someone else's
                return None
            conn.sendall(request)
            chunks = b""
            while len(chunks) < size and (chunk := conn.recv(size - len(chunks))):
                chunks += chunk
        except OSError:  # refused (stale), timed out, reset
            return None
    return chunks


def recall(db: Path) -> bytes | None:
    """The raw key the unlocked session of `db` holds, or None."""
    found = _talk(db, ASK + _named(db) + b"\n", KEY_BYTES)
    return found if found is not None and len(found) == KEY_BYTES else None


def lock(db: Path) -> bool:
    """End the session of `db`; whether there was one."""
    return _talk(db, LOCK, 2) == b"ok"


def parse_duration(text: str) -> int:
    """`15m`, `1h`, `90s`, `2h30m` -> seconds (at most a day)."""
    words = text.strip().lower()
    units = {"h": 3600, "m": 60, "s": 1}
    total, number = 0, ""
    for ch in words:
        if ch.isdigit():
            number += ch
        elif ch in units and number:
            total += int(number) * units[ch]
            number = ""
        else:
            number = "x"
            break
    if number or not words or total <= 0:
        raise AgentError(f"'{text}' is not a duration: write it as 15m, 1h, 90s or 1h30m.")
    if total > MAX_SECONDS:
        raise AgentError("A session lasts at most a day (24h).")
    return total


def start(db: Path, raw: bytes, seconds: int) -> Path:
    """Start the agent of `db` holding `raw` for `seconds` (an earlier one ends first);
    returns its socket once it listens."""
    path = socket_path(db)
    if path is None:
        raise AgentError(
            "No private runtime folder (XDG_RUNTIME_DIR is not set): an unlocked session "
            "needs one, so nothing was started."
        )
    if len(os.fsencode(path)) >= SOCKET_PATH_MAX:
        raise AgentError(
            f"The runtime folder's path is too long for a socket ({path}): nothing was started."
        )
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise AgentError(f"Cannot make {folder}: {exc.strerror}.") from None
    if not _ours(folder, stat.S_IFDIR) or stat.S_IMODE(os.lstat(folder).st_mode) != 0o700:
        raise AgentError(f"{folder} is not a folder only you can enter: nothing was started.")
    lock(db)
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISSOCK(os.lstat(path).st_mode):
            path.unlink()  # a stale one
    import subprocess  # only `unlock` starts one: every encrypted command reads this module

    agent = subprocess.Popen(
        [sys.executable, "-m", "reflectcoach.services.agent", str(path), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # outlives this command and its terminal's ctrl+c
        close_fds=True,
    )
    assert agent.stdin is not None and agent.stdout is not None
    try:
        agent.stdin.write(raw + _named(db))  # a pipe: never a file, argv or the environment
        agent.stdin.close()
        ready = agent.stdout.readline()
    finally:
        agent.stdout.close()
    if ready != b"ready\n":
        agent.wait()
        raise AgentError("The unlocked session could not start; nothing was kept.")
    return path


def _private_memory() -> None:
    """Ask the kernel to keep other processes of this user out of our memory (ptrace,
    /proc/PID/mem) and to write no core dump holding the key. Best effort."""
    import ctypes  # only the agent's own process: every encrypted command reads this module

    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0


def serve(path: Path, seconds: int) -> None:
    """The agent: read the key from stdin, listen on `path` until `seconds` have passed or a
    caller of this user says `lock`, giving the key to each caller of this user."""
    _private_memory()
    given = sys.stdin.buffer.read(KEY_BYTES + MAX_PATH)
    raw, named = given[:KEY_BYTES], given[KEY_BYTES:]
    if len(raw) != KEY_BYTES or not named:
        return
    deadline = time.monotonic() + seconds
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket is made 0600, never briefly wider
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    mine = os.lstat(path).st_ino
    try:
        listener.listen(8)
        sys.stdout.buffer.write(b"ready\n")
        sys.stdout.buffer.flush()
        os.close(1)
        while (left := deadline - time.monotonic()) > 0:
            listener.settimeout(left)
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                break
            with conn:
                if _answer(conn, raw, ASK + named + b"\n"):
                    break
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            if os.lstat(path).st_ino == mine:  # not a newer agent's socket
                path.unlink()


def _answer(conn: socket.socket, raw: bytes, asked: bytes) -> bool:
    """One caller; True when it asked the session to end. `asked`: the request for our key
    (with our database's path)."""
    try:
        conn.settimeout(2.0)
        if _peer_uid(conn) != os.getuid():
            return False  # another user: not a byte
        request = b""
        while len(request) <= len(asked) and not request.endswith(b"\n"):
            chunk = conn.recv(len(asked) + 1 - len(request))
            if not chunk:
                break
            request += chunk
        if request == asked:
            conn.sendall(raw)
        elif request == LOCK:
            conn.sendall(b"ok")
            return True
    except OSError:
        pass
    return False


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
