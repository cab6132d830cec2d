"""A conversion killed before its rename leaves `<db>.converting` (after `decrypt`, a plaintext
copy of every answer): the next open of the database removes it and says so once, and a
conversion that is running keeps its copy (store/leftover.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reflectcoach.store import Store, leftover
from reflectcoach.store.key import Key

from .test_plain import env_for

pytestmark = pytest.mark.plaintext  # manages its own keys

RAW = "x'" + "33" * 32 + "'"
SECRET = "Quillon-marzipan-secret"

# SIGKILLs itself as store/convert.py is about to rename the checked copy over the database.
CHILD = textwrap.dedent(
    """
    import os, signal, sys

    def profile(frame, event, arg):
        if (
            event == "c_call"
            and arg is os.replace
            and frame.f_globals.get("__name__") == "reflectcoach.store.convert"
        ):
            os.kill(os.getpid(), signal.SIGKILL)

    from reflectcoach.cli import main
    sys.setprofile(profile)
    main(sys.argv[1:], prog_name="reflectcoach")
    """
)


def _env(tmp_path: Path) -> dict[str, str]:
    key_file = tmp_path / "key"
    key_file.write_text(RAW)
    key_file.chmod(0o600)
    return {**env_for(tmp_path), "REFLECTCOACH_PASSPHRASE_FILE": str(key_file)}


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def killed_decrypt(tmp_path: Path) -> Path:
    from store.helpers import WEEKLY, run  # tests/ is on sys.path (rootdir conftest)

    db = tmp_path / "r.db"
    with Store.open(db, key=Key.from_passphrase(RAW)) as store:
        steps = [*WEEKLY]
        steps[1] = (steps[1][0], steps[1][1], "text", SECRET, None)
        run(store, steps, mentorship="Sam")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--db", str(db), "decrypt"],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    copy = leftover.temp_path(db)
    assert SECRET.encode() in copy.read_bytes()  # the plaintext copy a kill leaves
    return tmp_path


@pytest.mark.parametrize("command", [["list"], ["decrypt"], ["encrypt"]])
def test_the_next_command_removes_a_killed_conversions_copy_and_says_so_once(
    killed_decrypt: Path, command: list[str]
) -> None:
    tmp_path = killed_decrypt
    copy = leftover.temp_path(tmp_path / "r.db")
    first = _cli(tmp_path, *command)
    assert "Removed r.db.converting" in first.stderr, first.stderr
    assert "the database itself was not changed" in first.stderr
    assert not copy.exists()
    if command != ["decrypt"]:  # the database is still encrypted: no plaintext anywhere
        files = [p for p in tmp_path.iterdir() if p.is_file()]
        assert not any(SECRET.encode() in p.read_bytes() for p in files)
    if command == ["list"]:
        assert first.returncode == 0, first.stderr
        again = _cli(tmp_path, "list")
        assert again.returncode == 0 and "Removed" not in again.stderr
    elif command == ["decrypt"]:
        assert first.returncode == 0, first.stderr  # completes what was killed
        with Store.open(tmp_path / "r.db") as store:
            assert store.count() == 1
    else:
        assert first.returncode != 0  # encrypted already: nothing to do, said plainly


def test_a_running_conversions_copy_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        store.count()
    temp = leftover.temp_path(db)
    fd = leftover.claim(temp)  # as convert() holds it while it writes and checks
    try:
        with Store.open(db) as store:
            assert store.notices == []
        assert temp.exists()
    finally:
        leftover.release(fd)
        leftover.remove(db)


def test_a_leftover_nobody_holds_is_removed_by_any_open(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        store.count()
    temp = leftover.temp_path(db)
    leftover.release(leftover.claim(temp))  # the lock goes with its process
    temp.with_name(temp.name + "-journal").write_bytes(b"x")
    with Store.open(db) as store:
        assert [n for n in store.notices if "r.db.converting" in n]
    assert not temp.exists()
    assert not temp.with_name(temp.name + "-journal").exists()
