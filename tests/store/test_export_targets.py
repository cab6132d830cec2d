"""`export -o` as a real process: stdout for -, devices and pipes in place, folders refused,
and a SIGKILL at any point never leaves the target half-written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .history import make_history


def command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "reflectcoach", "--db", str(db), *args]


def env_for(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("history") / "r.db"
    make_history(db, conversations=300)
    return db


def test_dash_means_standard_output(history: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        command(history, "export", "-o", "-", "--format", "json"),
        capture_output=True,
        cwd=tmp_path,
        env=env_for(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b'{"format": "reflectcoach"') and not (tmp_path / "-").exists()


def test_dev_null_stays_a_device(history: Path, tmp_path: Path) -> None:
    before = os.stat("/dev/null")
    result = subprocess.run(
        command(history, "export", "-o", "/dev/null"), capture_output=True, env=env_for(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (
        before.st_ino,
        before.st_rdev,
    )


def test_a_folder_is_refused_with_a_message(history: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    result = subprocess.run(
        command(history, "export", "-o", str(folder)),
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
    )
    assert result.returncode == 1
    assert (
        result.stderr == f"Error: could not write {folder}: it is a folder; name a file inside it\n"
    )
    assert os.listdir(folder) == []


def largest_partial(folder: Path) -> int:
    sizes = [0]
    for entry in os.scandir(folder):
        if entry.name.endswith(".partial"):
            with contextlib.suppress(FileNotFoundError):  # renamed into place meanwhile
                sizes.append(entry.stat().st_size)
    return max(sizes)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_during_export_never_leaves_the_target_half_written(
    history: Path, tmp_path: Path
) -> None:
    target = tmp_path / "backup.json"
    target.write_bytes(b"the previous backup\n")
    old = hashlib.sha256(target.read_bytes()).hexdigest()
    # Kill at growing points: before the partial exists, while it is written, around the rename.
    for threshold in (0, 1, 4096, 65_536, 262_144, 1_048_576, 2_097_152, None):
        proc = subprocess.Popen(
            command(history, "export", "--format", "json", "-o", str(target)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env_for(tmp_path),
        )
        while threshold is not None and proc.poll() is None:
            if threshold == 0 or largest_partial(tmp_path) >= threshold:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        data = target.read_bytes()
        finished = data.endswith(b"]}\n") and data.startswith(b'{"format": "reflectcoach"')
        assert hashlib.sha256(data).hexdigest() == old or finished
        assert stat.S_IMODE(target.stat().st_mode) in (0o600, 0o644)
    # The next export cleans up what the killed ones left, and finishes the job.
    result = subprocess.run(
        command(history, "export", "--format", "json", "-o", str(target)),
        capture_output=True,
        env=env_for(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["backup.json"]
    assert target.read_bytes().endswith(b"]}\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
