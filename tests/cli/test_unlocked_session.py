"""`reflectcoach unlock` / `lock` (issue 26): an encrypted database's key derived once and
kept by a short-lived agent of the same user; used by the commands that follow, ended by its
time or `lock`; refused to and from other users; a stale socket ignored; never on disk."""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reflectcoach.services import agent
from reflectcoach.store import Store
from reflectcoach.store.cipher import salt_of
from reflectcoach.store.key import Key

from .test_plain import env_for

PASSPHRASE = "correct horse battery"

# These tests choose their own keys (not run again with --storage encrypted).
pytestmark = pytest.mark.plaintext


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "r.db"
    with Store.open(path, key=Key.from_passphrase(PASSPHRASE)) as store:
        store.start(
            script_id="weekly",
            script_version=1,
            script_sha256="",
            title="Weekly check-in",
            mentorship="Sam",
            current_step="q0",
        )
    # Short, as /run/user/UID is: a socket's path is at most 107 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="rc-run-"))
    runtime.chmod(0o700)
    (tmp_path / "run").symlink_to(runtime)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    yield path
    # Whatever the test left running ends, even after a test that failed while the socket
    # was made another user's or its folders opened.
    for folder in (runtime, runtime / "reflectcoach"):
        if folder.exists():
            folder.chmod(0o700)
    for sock in runtime.rglob("*.sock"):
        os.chown(sock, os.getuid(), os.getgid())
        sock.chmod(0o600)
    agent.lock(path)
    shutil.rmtree(runtime, ignore_errors=True)


def env(db: Path, **extra: str) -> dict[str, str]:
    found = env_for(db.parent)
    found.pop("REFLECTCOACH_PASSPHRASE_FILE", None)
    found["XDG_RUNTIME_DIR"] = os.environ["XDG_RUNTIME_DIR"]
    found["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # no remembered key
    found.update(extra)
    return found


def run(db: Path, *args: str, passphrase: bool = False, python: list[str] | None = None):
    extra = {"REFLECTCOACH_PASSPHRASE_FILE": str(db.parent / "pw")} if passphrase else {}
    return subprocess.run(
        [*(python or [sys.executable, "-m", "reflectcoach"]), "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env(db, **extra),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def raw_key(db: Path) -> bytes:
    salt = salt_of(db)
    assert salt is not None
    return Key.from_passphrase(PASSPHRASE).raw_for(salt)


def agent_pid(db: Path) -> int:
    path = agent.socket_path(db)
    assert path is not None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(path))
        data = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    return int.from_bytes(data[:4], sys.byteorder)


def wait_for_exit(pid: int) -> None:
    """Until the process has gone (a pidfd turns readable), without sleeping."""
    fd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([fd], [], [], 60)
        assert ready, f"the agent {pid} is still running"
    finally:
        os.close(fd)


# A command that cannot derive a key: PBKDF2 raises, so it opens the file only with the
# session's key.
NO_DERIVATION = [
    sys.executable,
    "-c",
    "import hashlib, sys\n"
    "def refuse(*a, **k): raise SystemExit('derived a key')\n"
    "hashlib.pbkdf2_hmac = refuse\n"
    "from reflectcoach.cli import main\n"
    "main(sys.argv[1:])\n",
]


def test_an_unlocked_session_is_used_until_lock(db: Path) -> None:
    before = run(db, "list")
    assert before.returncode != 0
    assert "is encrypted" in before.stderr and "Traceback" not in before.stderr

    unlocked = run(db, "unlock", passphrase=True)
    assert unlocked.returncode == 0, unlocked.stderr
    assert "Unlocked" in unlocked.stdout and "for 15 min" in unlocked.stdout
    for command in (["list"], ["commitments"], ["search", "weekly"], ["due"]):
        used = run(db, *command, python=NO_DERIVATION)
        assert used.returncode == 0, (command, used.stderr)
    assert "  weekly  " in run(db, "list", python=NO_DERIVATION).stdout

    pid = agent_pid(db)
    locked = run(db, "lock")
    assert locked.returncode == 0 and "Locked" in locked.stdout
    wait_for_exit(pid)
    path = agent.socket_path(db)
    assert path is not None and not path.exists()
    after = run(db, "list")
    assert after.returncode != 0 and "is encrypted" in after.stderr
    assert run(db, "lock").stdout.strip().endswith("has no unlocked session.")


def test_the_session_ends_at_its_time(db: Path) -> None:
    assert run(db, "unlock", "--for", "1s", passphrase=True).returncode == 0
    wait_for_exit(agent_pid(db))
    assert agent.recall(db) is None
    assert run(db, "list").returncode != 0


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("1h", 3600), ("90s", 90), ("1h30m", 5400)]
)
def test_durations(text: str, seconds: int) -> None:
    assert agent.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "15", "m", "-5m", "1d", "25h", "0s", "1.5h"])
def test_a_wrong_duration_is_said_and_nothing_starts(db: Path, text: str) -> None:
    done = run(db, "unlock", "--for", text, passphrase=True)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "duration" in done.stderr or "at most a day" in done.stderr
    assert agent.recall(db) is None


def test_a_wrong_passphrase_starts_nothing(db: Path) -> None:
    (db.parent / "pw").write_text("not it\n")
    done = run(db, "unlock", passphrase=True)
    assert done.returncode != 0 and "wrong passphrase" in done.stderr
    assert agent.recall(db) is None


def test_a_stale_socket_is_ignored_and_replaced(db: Path) -> None:
    path = agent.socket_path(db)
    assert path is not None
    path.parent.mkdir(mode=0o700)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # bound, never listening: what a killed agent leaves
    dead.close()
    assert agent.recall(db) is None
    listed = run(db, "list")
    assert listed.returncode != 0 and "Traceback" not in listed.stderr
    assert run(db, "unlock", passphrase=True).returncode == 0
    assert agent.recall(db) == raw_key(db)
    run(db, "lock")


@pytest.mark.skipif(os.geteuid() != 0, reason="making another user's socket needs root")
def test_another_users_socket_or_caller_is_refused(db: Path) -> None:
    assert run(db, "unlock", passphrase=True).returncode == 0
    path = agent.socket_path(db)
    assert path is not None and agent.recall(db) == raw_key(db)
    other = 54321
    # A socket owned by someone else is not asked.
    os.chown(path, other, other)
    assert agent.recall(db) is None
    os.chown(path, 0, 0)
    # A caller of another user gets nothing, even let through the folder and the socket.
    path.parent.parent.chmod(0o711)
    path.parent.chmod(0o711)
    path.chmod(0o666)
    assert ask_as(other, path) == 0
    path.parent.parent.chmod(0o700)
    path.parent.chmod(0o700)
    path.chmod(0o600)
    assert agent.recall(db) == raw_key(db)  # still serving its own user
    run(db, "lock")


def ask_as(uid: int, path: Path) -> int:
    """How many bytes the agent at `path` gives a caller running as `uid` (a forked child
    that drops to that user; -1 if it could not ask)."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        got = -1
        try:
            os.setgid(uid)
            os.setuid(uid)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(10)
                conn.connect(str(path))
                try:
                    conn.sendall(b"key\n")
                    got = len(conn.recv(64))
                except (ConnectionResetError, BrokenPipeError):  # closed on it: nothing
                    got = 0
        except BaseException as exc:  # said on stderr: why it could not ask
            os.write(2, f"ask_as: {exc!r}\n".encode())
        finally:
            os.write(write_end, str(got).encode())
            os._exit(0)
    os.close(write_end)
    try:
        answer = os.read(read_end, 16)
    finally:
        os.close(read_end)
        os.waitpid(child, 0)
    return int(answer)


def test_no_key_is_ever_written_to_disk(db: Path) -> None:
    assert run(db, "unlock", passphrase=True).returncode == 0
    assert run(db, "list").returncode == 0
    key = raw_key(db)
    pid = agent_pid(db)
    forms = (key, key.hex().encode(), key.hex().upper().encode())
    written = [
        p
        for folder in (db.parent, Path(os.environ["XDG_RUNTIME_DIR"]))
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and p.name != "r.db"
        if any(form in p.read_bytes() for form in forms)
    ]
    assert written == []
    path = agent.socket_path(db)
    assert path is not None and path.stat().st_size == 0
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    for part in ("cmdline", "environ"):  # nor where other processes may look
        data = Path(f"/proc/{pid}/{part}").read_bytes()
        assert not any(form in data for form in forms)
    run(db, "lock")
    wait_for_exit(pid)


def test_a_new_passphrase_ends_the_session(db: Path) -> None:
    assert run(db, "unlock", passphrase=True).returncode == 0
    (db.parent / "new").write_text("another passphrase entirely\n")
    changed = run(db, "passphrase", "--new-passphrase-file", str(db.parent / "new"))
    assert changed.returncode == 0, changed.stderr
    assert "unlocked session has ended" in changed.stderr
    assert agent.recall(db) is None


def test_without_a_runtime_folder_nothing_starts(db: Path) -> None:
    extra = {"REFLECTCOACH_PASSPHRASE_FILE": str(db.parent / "pw")}
    environment = env(db, **extra)
    environment.pop("XDG_RUNTIME_DIR")
    done = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "unlock"],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode != 0
    assert "XDG_RUNTIME_DIR is not set" in done.stderr and "Traceback" not in done.stderr
