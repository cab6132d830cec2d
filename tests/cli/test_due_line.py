"""`reflectcoach due` (issue 21, item 7): one short line or nothing, read without
sqlite-utils; an encrypted database without a remembered key prints nothing and exits 0;
`--notify` says what it did or why it could not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.engine.followup import Made
from reflectcoach.engine.sets import SetValue
from reflectcoach.store import Store

from .test_plain import env_for

pytestmark = pytest.mark.encrypted_too  # the stdlib read path opens an encrypted file itself

TODAY = "2026-04-12"


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    environment = env or env_for(tmp_path)
    environment["REFLECTCOACH_TODAY"] = TODAY
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), "due", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def seed(path: Path) -> None:
    with Store.open(path) as store:
        store.clock = lambda: "2026-03-01T09:00:00.000000Z"
        conversation_id = store.start(
            script_id="check_in",
            script_version=1,
            script_sha256="",
            title="Check in",
            mentorship="Sam",
            current_step="done",
        )
        store.journal(conversation_id).completed(
            record=None,
            position=0,
            current_step="_done",
            made=[Made("Send the memo", "2026-04-01", None, "next_step", 0)],
            sets=[
                SetValue("midpoint", "2026-04-15", "Wednesday 15 April 2026"),
                SetValue("rhythm", "fortnightly", "every two weeks"),
            ],
        )


# Plaintext: on an encrypted file `due` reads only with a remembered key, never the
# passphrase file (test_an_encrypted_database_without_a_remembered_key_prints_nothing).
@pytest.mark.plaintext
def test_one_line_for_a_shell_prompt(tmp_path: Path) -> None:
    seed(tmp_path / "r.db")
    done = run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("Sam: 1 overdue, midpoint review in 3 days, no check-in for 42 days\n")


def test_nothing_due_prints_nothing(tmp_path: Path) -> None:
    Store.open(tmp_path / "r.db").close()
    done = run(tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


# Plaintext: on an encrypted file `due` reads only with a remembered key, never the
# passphrase file (test_an_encrypted_database_without_a_remembered_key_prints_nothing).
@pytest.mark.plaintext
def test_the_due_path_imports_no_sqlite_utils(tmp_path: Path) -> None:
    seed(tmp_path / "r.db")
    check = (
        "import sys\n"
        "from reflectcoach.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(tmp_path / 'r.db')!r}, 'due'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('sqlite_utils' in sys.modules, file=sys.stderr)\n"
    )
    env = env_for(tmp_path)
    env["REFLECTCOACH_TODAY"] = TODAY
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stdout.startswith("Sam: 1 overdue")
    assert done.stderr.strip() == "False"


def test_an_encrypted_database_without_a_remembered_key_prints_nothing(tmp_path: Path) -> None:
    from reflectcoach.store.key import Key

    Store.open(tmp_path / "r.db", key=Key.from_passphrase("correct horse")).close()
    env = env_for(tmp_path)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    done = run(tmp_path, env=env)
    assert (done.returncode, done.stdout) == (0, "")


# Plaintext: on an encrypted file `due` reads only with a remembered key, never the
# passphrase file (test_an_encrypted_database_without_a_remembered_key_prints_nothing).
@pytest.mark.plaintext
def test_notify_says_why_it_cannot(tmp_path: Path) -> None:
    seed(tmp_path / "r.db")
    env = env_for(tmp_path)
    env["PATH"] = str(tmp_path / "nothing-here")  # neither notify-send nor gdbus
    done = run(tmp_path, "--notify", env=env)
    assert done.returncode == 0
    assert done.stdout.startswith("Sam: 1 overdue")
    assert "neither notify-send nor gdbus is installed" in done.stderr
