"""`reflectcoach encrypt`, `decrypt` and `passphrase` as real processes, and how every command
gets a passphrase: --passphrase-fd, REFLECTCOACH_PASSPHRASE_FILE, never the environment."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.store import Store
from reflectcoach.store.key import Key

pytestmark = pytest.mark.plaintext  # these choose their own keys

FIXTURES = Path(__file__).parent.parent / "engine"
PASSPHRASE = "tulip umbrella 77 marmalade"
ANSWER_LINES = [
    "Ana",
    "2",
    "A very private remark about Quentin",
    "",
    "time, fear",
    "4",
    "y",
    "2.5",
]


def cli(
    tmp_path: Path,
    *args: str,
    stdin: str = "",
    file: Path | None = None,
    fds: tuple[int, ...] = (),
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECTCOACH_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    if file is not None:
        env["REFLECTCOACH_PASSPHRASE_FILE"] = str(file)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "reflectcoach",
            "--db",
            str(tmp_path / "r.db"),
            "--scripts",
            str(FIXTURES),
            *args,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        pass_fds=fds,
    )


def secret_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n")
    path.chmod(0o600)
    return path


def answered(tmp_path: Path, file: Path | None = None) -> None:
    done = cli(
        tmp_path, "start", "every_type", "--plain", stdin="\n".join(ANSWER_LINES) + "\n", file=file
    )
    assert done.returncode == 0, done.stderr


def export_hash(tmp_path: Path, file: Path | None = None) -> str:
    done = cli(tmp_path, "export", "--format", "json", file=file)
    assert done.returncode == 0, done.stderr
    return hashlib.sha256(done.stdout.encode()).hexdigest()


def test_round_trip_through_the_commands_keeps_the_export_identical(tmp_path: Path) -> None:
    answered(tmp_path)
    answered(tmp_path)
    before = export_hash(tmp_path)
    first = secret_file(tmp_path, "first", PASSPHRASE)
    second = secret_file(tmp_path, "second", "another one entirely")

    read, write = os.pipe()
    os.write(write, (PASSPHRASE + "\n").encode())
    os.close(write)
    done = cli(tmp_path, "--passphrase-fd", str(read), "encrypt", fds=(read,))
    os.close(read)
    assert done.returncode == 0, done.stderr
    assert "Encrypted" in done.stdout and "2 conversations" in done.stdout
    assert "backups" in done.stderr
    db = tmp_path / "r.db"
    assert not db.read_bytes().startswith(b"SQLite format 3")
    assert b"Quentin" not in db.read_bytes()
    assert export_hash(tmp_path, first) == before

    done = cli(tmp_path, "passphrase", "--new-passphrase-file", str(second), file=first)
    assert done.returncode == 0, done.stderr
    assert cli(tmp_path, "list", file=first).returncode == 1
    assert export_hash(tmp_path, second) == before

    done = cli(tmp_path, "decrypt", file=second)
    assert done.returncode == 0, done.stderr
    assert db.read_bytes().startswith(b"SQLite format 3")
    assert export_hash(tmp_path) == before
    answered(tmp_path)  # and it goes on as before


def test_every_command_works_on_an_encrypted_database(tmp_path: Path) -> None:
    key = secret_file(tmp_path, "key", PASSPHRASE)
    answered(tmp_path, key)  # created encrypted: a passphrase was given
    assert not (tmp_path / "r.db").read_bytes().startswith(b"SQLite format 3")
    listed = cli(tmp_path, "list", file=key)
    assert listed.returncode == 0 and "every_type" in listed.stdout
    found = cli(tmp_path, "search", "Quentin", file=key)
    assert found.returncode == 0 and "Quentin" in found.stdout
    exported = cli(
        tmp_path, "export", "--format", "json", "-o", str(tmp_path / "out.json"), file=key
    )
    assert exported.returncode == 0, exported.stderr
    assert "this export is not" not in exported.stderr  # a script's stderr is as before
    assert (tmp_path / "out.json").stat().st_mode & 0o077 == 0
    data = json.loads((tmp_path / "out.json").read_text())
    # ...and it imports into another encrypted database.
    other = tmp_path / "other"
    other.mkdir()
    imported = cli(other, "import", str(tmp_path / "out.json"), file=key)
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1 conversation" in imported.stdout
    with Store.open(other / "r.db", key=Key.from_passphrase(PASSPHRASE)) as store:
        assert store.count() == len(data["conversations"])


def test_an_export_from_an_encrypted_database_says_it_is_not_encrypted(tmp_path: Path) -> None:
    import pty

    key = secret_file(tmp_path, "key", PASSPHRASE)
    answered(tmp_path, key)
    reader, terminal = pty.openpty()  # stderr a terminal: a person is there to be told
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECTCOACH_")}
    env |= {"XDG_CACHE_HOME": str(tmp_path / "cache"), "REFLECTCOACH_PASSPHRASE_FILE": str(key)}
    out = tmp_path / "out.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reflectcoach",
            "--db",
            str(tmp_path / "r.db"),
            "export",
            "-o",
            str(out),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=terminal,
        env=env,
        timeout=120,
    )
    os.close(terminal)
    said = b""
    while True:
        try:
            chunk = os.read(reader, 4096)
        except OSError:  # EIO: the terminal's other side is closed and drained
            break
        if not chunk:
            break
        said += chunk
    os.close(reader)
    assert done.returncode == 0
    assert b"this export is not" in said.replace(b"\r\n", b" ").replace(b"\n", b" ")
    assert out.stat().st_mode & 0o077 == 0
    assert "Quentin" in out.read_text()


def test_a_wrong_passphrase_is_said_and_never_shown(tmp_path: Path) -> None:
    key = secret_file(tmp_path, "key", PASSPHRASE)
    answered(tmp_path, key)
    db = tmp_path / "r.db"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    wrong_text = "Guessed-Wrongly-9317"
    wrong = secret_file(tmp_path, "wrong", wrong_text)
    for args in (
        ["list"],
        ["export", "--format", "json"],
        ["decrypt"],
        ["start", "every_type", "--plain"],
    ):
        done = cli(tmp_path, *args, file=wrong)
        assert done.returncode == 1
        assert "wrong passphrase, or not a reflectcoach database" in done.stderr
        assert "Traceback" not in done.stderr
        assert wrong_text not in done.stderr + done.stdout
        assert PASSPHRASE not in done.stderr + done.stdout
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    for logged in tmp_path.rglob("*"):
        if logged.is_file() and logged.name not in ("key", "wrong"):
            assert wrong_text.encode() not in logged.read_bytes(), logged
            assert PASSPHRASE.encode() not in logged.read_bytes(), logged


def test_encrypted_without_a_passphrase_in_a_pipe_says_how_to_give_one(tmp_path: Path) -> None:
    key = secret_file(tmp_path, "key", PASSPHRASE)
    answered(tmp_path, key)
    done = cli(tmp_path, "list")
    assert done.returncode == 1
    assert "--passphrase-fd" in done.stderr and "REFLECTCOACH_PASSPHRASE_FILE" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_plaintext_database_with_a_passphrase_is_said_plainly(tmp_path: Path) -> None:
    answered(tmp_path)
    done = cli(tmp_path, "list", file=secret_file(tmp_path, "key", PASSPHRASE))
    assert done.returncode == 1
    assert "is not encrypted, but a passphrase was given" in done.stderr


def test_encrypting_twice_and_decrypting_plaintext_are_refused(tmp_path: Path) -> None:
    key = secret_file(tmp_path, "key", PASSPHRASE)
    answered(tmp_path)
    assert cli(tmp_path, "decrypt").returncode == 1
    assert cli(tmp_path, "encrypt", file=key).returncode == 0
    again = cli(tmp_path, "encrypt", file=key)
    assert again.returncode == 1 and "already encrypted" in again.stderr


def test_a_passphrase_file_that_cannot_be_used_is_said(tmp_path: Path) -> None:
    answered(tmp_path)
    empty = secret_file(tmp_path, "empty", "")
    done = cli(tmp_path, "encrypt", file=empty)
    assert done.returncode == 1 and "is empty" in done.stderr
    missing = cli(tmp_path, "encrypt", file=tmp_path / "nowhere")
    assert missing.returncode == 1 and "Cannot read the passphrase file" in missing.stderr
    assert (tmp_path / "r.db").read_bytes().startswith(b"SQLite format 3")


def test_encrypt_says_how_strong_the_passphrase_is(tmp_path: Path) -> None:
    answered(tmp_path)
    weak = secret_file(tmp_path, "weak", "ab")
    done = cli(tmp_path, "encrypt", file=weak)
    assert done.returncode == 0, done.stderr
    assert "Passphrase strength: very weak" in done.stderr and "ab" not in done.stderr.split()
    strong = secret_file(tmp_path, "strong", "correct horse battery staple")
    assert cli(tmp_path, "decrypt", file=weak).returncode == 0
    done = cli(tmp_path, "encrypt", file=strong)
    assert "Passphrase strength: strong" in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="a pty")
def test_decrypt_at_a_terminal_may_try_again(tmp_path: Path) -> None:
    from app.terminal import Terminal

    answered(tmp_path)
    key = secret_file(tmp_path, "key", PASSPHRASE)
    assert cli(tmp_path, "encrypt", file=key).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECTCOACH_")}
    env |= {name: str(tmp_path / name.lower()) for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME")}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    term = Terminal(["--db", str(tmp_path / "r.db"), "decrypt"], env=env)
    try:
        term.read_until(b"Passphrase for")
        term.write(b"not it\r")
        term.read_until(b"try again (2 left).\r\nPassphrase for")  # asked again: echo off
        term.write(PASSPHRASE.encode() + b"\r")
        term.read_until(b"It is now plaintext.")
    finally:
        term.close()
    assert (tmp_path / "r.db").read_bytes().startswith(b"SQLite format 3")


def test_changing_the_passphrase_says_its_strength_and_what_is_missing(tmp_path: Path) -> None:
    answered(tmp_path)
    old = secret_file(tmp_path, "old", PASSPHRASE)
    # A passphrase given for scripts says nothing about a plaintext file: nothing to change.
    plain = cli(tmp_path, "passphrase", file=old)
    assert plain.returncode != 0
    assert "is not encrypted: use `reflectcoach encrypt`" in plain.stderr
    assert "is encrypted" not in plain.stderr
    assert cli(tmp_path, "encrypt", file=old).returncode == 0
    # No new passphrase given and no terminal: it is the new one that cannot be asked for.
    unasked = cli(tmp_path, "passphrase", file=old)
    assert unasked.returncode != 0
    assert "There is no terminal to ask for the new passphrase" in unasked.stderr
    assert "--new-passphrase-file FILE" in unasked.stderr
    weak = secret_file(tmp_path, "weak", "ab")
    changed = cli(tmp_path, "passphrase", "--new-passphrase-file", str(weak), file=old)
    assert changed.returncode == 0, changed.stderr
    assert "Passphrase strength: very weak" in changed.stderr
    assert "ab" not in changed.stderr.split()
    assert export_hash(tmp_path, file=weak)  # opens with the new one
