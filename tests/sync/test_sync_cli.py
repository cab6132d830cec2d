"""The three commands that set up a second device, as the README gives them, in-process."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflectcoach.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("REFLECTCOACH_DB", raising=False)
    return tmp_path


def test_init_pair_join_sync(env: Path) -> None:
    runner = CliRunner()
    folder = env / "Sync" / "reflectcoach"
    laptop, home = env / "laptop.db", env / "home.db"

    def on(db: Path, *args: str):
        result = runner.invoke(main, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "not set up" in runner.invoke(main, ["--db", str(laptop), "sync"]).output
    out = on(laptop, "sync", "init", str(folder))
    assert "now syncs with" in out
    code = re.search(r"Pairing code: (\S+)", on(laptop, "sync", "pair")).group(1)
    out = on(home, "sync", "join", str(folder), code)
    assert "Paired" in out
    assert "Wrote 0 change(s)" in on(home, "sync")
    assert "Last sync" in on(home, "sync", "status")
    wrong = runner.invoke(main, ["--db", str(env / "third.db"), "sync", "join", str(folder), code])
    assert wrong.exit_code != 0 and "No pairing offer" in wrong.output
