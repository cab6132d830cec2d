"""Inputs that once surfaced as "unexpected problem (...)": each is a clear message, or works."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_plain import env_for


def reflectcoach(tmp_path: Path, *args: str | bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
        capture_output=True,
        text=True,
        errors="replace",
        stdin=subprocess.DEVNULL,
        env=env_for(tmp_path),
    )


@pytest.mark.parametrize("command", ["list", "search"])
def test_a_limit_beyond_what_sqlite_holds_is_a_usage_error(tmp_path: Path, command: str) -> None:
    args = [command, "--limit", "99999999999999999999"] + (["team"] if command == "search" else [])
    result = reflectcoach(tmp_path, *args)
    assert result.returncode == 2
    assert "Invalid value for '--limit': 99999999999999999999 is not in the range" in result.stderr
    assert "unexpected problem" not in result.stderr


def test_invalid_utf8_in_a_search_is_searched_not_a_crash(tmp_path: Path) -> None:
    result = reflectcoach(tmp_path, "search", os.fsencode("caf\udcff"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Nothing matches 'caf")


def test_an_import_with_an_unpaired_surrogate_is_refused_untouched(tmp_path: Path) -> None:
    conversation = {
        "id": "abcdefabcdef",
        "script_id": "s",
        "script_version": 1,
        "script_sha256": "0" * 64,
        "title": "fine",
        "mentorship": None,
        "status": "completed",
        "current_step": "a",
        "position": 1,
        "record": None,
        "started_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "completed_at": None,
        "answers": [
            {
                "step": "a",
                "seq": 0,
                "question": "Q?",
                "type": "multi",
                "answer": ["ok", "half \ud800 a character"],
                "answer_text": "ok",
                "skipped": False,
                "answered_at": "2026-01-01T00:00:00Z",
            }
        ],
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([conversation]), encoding="ascii")  # \ud800 as an escape
    assert reflectcoach(tmp_path, "list").returncode == 0  # the database exists
    before = hashlib.sha256((tmp_path / "r.db").read_bytes()).hexdigest()
    result = reflectcoach(tmp_path, "import", str(path))
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: Cannot import {path}: conversation 1 (id abcdefabcdef): answer 1: 'answer' "
        "holds an unpaired surrogate, which is not text. Nothing was imported.\n"
    )
    assert hashlib.sha256((tmp_path / "r.db").read_bytes()).hexdigest() == before


def test_invalid_utf8_typed_in_plain_mode_is_kept_as_replacement_characters(
    tmp_path: Path,
) -> None:
    scripts = Path(__file__).parent.parent / "engine"
    base = [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db")]
    result = subprocess.run(
        [*base, "--scripts", str(scripts), "start", "every_type", "--plain"],
        input=b"Ana\xff\xfe\n:quit\n",
        capture_output=True,
        env=env_for(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert b"unexpected problem" not in result.stderr
    from reflectcoach.store import Store

    with Store.open(tmp_path / "r.db") as store:
        [row] = store.conversations()
        assert [a["value"] for a in store.answers(row["id"])] == ["Ana\ufffd\ufffd"]


def test_a_bug_in_a_command_is_one_line_and_a_private_log(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from reflectcoach.store import Store\n"
        "def broken(self, **filters):\n"
        "    raise ValueError('my private answer')\n"
        "Store.conversations = broken\n"
        "from reflectcoach.cli import main\n"
        f"sys.argv = ['reflectcoach', '--db', {str(tmp_path / 'r.db')!r}, 'list']\n"
        "main()\n"
    )
    env = {**env_for(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state")}
    env.pop("REFLECTCOACH_DEBUG", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "my private answer" not in result.stderr
    prefix = "Error: unexpected problem (ValueError). Nothing you answered was lost. Details: "
    assert result.stderr.startswith(prefix), result.stderr
    log = Path(result.stderr.removeprefix(prefix).strip())
    assert log.parent == tmp_path / "state" / "reflectcoach" / "logs"
    assert (log.stat().st_mode & 0o777) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ValueError: my private answer" in text
