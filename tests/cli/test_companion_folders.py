"""A folder where SQLite keeps the database's write-ahead log (`<db>-wal`) or its shared
memory index (`<db>-shm`) is refused with a clear message before anything is created or
written (store/wal.py: `wal.check_companions`), in the CLI and in the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .test_plain import env_for


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
@pytest.mark.parametrize("exists", [False, True], ids=["new database", "existing database"])
def test_a_folder_beside_the_database_is_a_clear_refusal(
    tmp_path: Path, suffix: str, exists: bool
) -> None:
    if exists:
        assert _run(tmp_path, "list").returncode == 0
    (tmp_path / f"r.db{suffix}").mkdir()
    result = _run(tmp_path, "list")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "unexpected problem" not in result.stderr
    assert f"r.db{suffix}, where SQLite keeps" in result.stderr
    assert "is not a file" in result.stderr
    assert (tmp_path / "r.db").exists() == exists  # nothing created for a new one
    assert (tmp_path / f"r.db{suffix}").is_dir()  # left as it was


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
async def test_the_app_says_so_and_keeps_running(tmp_path: Path, suffix: str) -> None:
    from textual.widgets import Input

    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.script.registry import builtin_dir

    db = tmp_path / "r.db"
    Path(f"{db}{suffix}").mkdir()
    app = ReflectCoachApp(db_path=db, script_dirs=[builtin_dir()])
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await pilot.pause()
            said = [n.message for n in app.notices_said if "is not a file" in n.message]
            if said:
                break
        assert said and f"r.db{suffix}, where SQLite keeps" in said[0]
        assert app.is_running and app.return_code is None
        app.screen.query_one("#mentorship", Input)  # home, usable
