"""Plain mode's date question: the day a word means is said before Enter takes it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.store import Store

from .test_plain import env_for

DATES = Path(__file__).parents[1] / "fixtures" / "dates.yaml"


def run(tmp_path: Path, *lines: str) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / "scripts"
    folder.mkdir(exist_ok=True)
    shutil.copy(DATES, folder / "dates.yaml")
    env = {**env_for(tmp_path), "REFLECTCOACH_TODAY": "2026-12-01", "LC_TIME": "C"}
    env.pop("LC_ALL", None)
    command = [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db")]
    return subprocess.run(
        [*command, "--scripts", str(folder), "start", "dates", "--plain"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def answers(tmp_path: Path) -> tuple[dict, dict]:
    with Store.open(tmp_path / "r.db") as store:
        [conversation] = store.conversations(limit=None)
        given = {a["step_id"]: a for a in store.answers(conversation["id"])}
        return conversation, given


def test_a_piped_date_is_taken_as_typed_and_said(tmp_path: Path) -> None:
    # One line per answer, as a script gives them: no second line to confirm a date.
    result = run(tmp_path, "Ask Sam for feedback", "friday", "2026-12-31")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "  Taken as Friday 4 December 2026 (2026-12-04)." in out
    assert "  Taken as Thursday 31 December 2026 (2026-12-31)." in out
    assert "Nothing was answered" not in out
    assert "Ask Sam for feedback by Friday 4 December 2026." in out  # the record
    conversation, given = answers(tmp_path)
    assert conversation["status"] == "completed"
    assert given["next_date"]["value"] == "2026-12-04"
    assert given["next_date"]["answer_text"] == "Friday 4 December 2026"
    assert given["review"]["value"] == "2026-12-31"


def test_bad_piped_dates_lose_nothing(tmp_path: Path) -> None:
    lines = ["Ask Sam", "soonish", "2026-11-30", "in 2 weeks", ""]
    result = run(tmp_path, *lines)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())  # as read, whatever the wrapping
    assert "'soonish' is not a date I can read. Try: 2026-12-04, today, tomorrow" in out
    assert "pick a date from Tuesday 1 December 2026 to Monday 1 March 2027" in out
    assert "Taken as Tuesday 15 December 2026" in out
    _, given = answers(tmp_path)
    assert given["next_date"]["value"] == "2026-12-15"
    assert given["review"]["skipped"]


@pytest.mark.skipif(sys.platform == "win32", reason="a pty")
def test_at_a_terminal_only_words_are_confirmed(tmp_path: Path) -> None:
    import json

    from app.terminal import Terminal

    folder = tmp_path / "scripts"
    folder.mkdir()
    shutil.copy(DATES, folder / "dates.yaml")
    env = {**env_for(tmp_path), "REFLECTCOACH_TODAY": "2026-12-01", "LC_TIME": "C"}
    env.pop("LC_ALL", None)
    db = tmp_path / "r.db"
    args = ["--db", str(db), "--scripts", str(folder), "start", "dates", "--plain"]
    term = Terminal(args, env=env)
    try:
        term.read_until(b"next step")
        term.write(b"Ask Sam\r")
        term.read_until(b"By when")
        term.write(b"friday\r")  # words: said, and Enter keeps them
        term.read_until(b"That is Friday 4 December 2026. Enter to keep it")
        term.write(b"\r")
        term.read_until(b"look at it again")
        term.write(b"2026-12-31\r")  # ISO: one day, taken at once
        term.read_until(b"Taken as Thursday 31 December 2026")
        term.wait_for(lambda: term.proc.poll() is not None, "the conversation to end")
    finally:
        term.close()
    with Store.open(db) as store:
        [conversation] = store.conversations(limit=None)
        given = {a["step_id"]: a for a in store.answers(conversation["id"])}
    assert json.loads(json.dumps(given["next_date"]["value"])) == "2026-12-04"
    assert given["review"]["value"] == "2026-12-31"


def test_an_unusable_locale_falls_back_to_english(monkeypatch) -> None:
    import datetime as dt
    import locale

    from reflectcoach.cli.base import _use_locale
    from reflectcoach.script.dates import readable

    before = locale.setlocale(locale.LC_TIME)
    monkeypatch.setenv("LC_ALL", "xx_YY.UTF-8")  # not installed anywhere
    try:
        _use_locale()
        assert readable(dt.date(2026, 12, 4)) == "Friday 4 December 2026"
    finally:
        locale.setlocale(locale.LC_TIME, before)


def test_thousands_of_digits_are_too_far_and_the_conversation_goes_on(tmp_path: Path) -> None:
    huge = "in " + "9" * 5000 + " days"
    result = run(tmp_path, "Ask Sam", huge, "friday", "", "")
    assert result.returncode == 0, result.stderr[-500:]
    assert "too far" in result.stdout and "unexpected problem" not in result.stderr
    _, given = answers(tmp_path)
    assert given["next_date"]["value"] == "2026-12-04"


def test_a_bound_of_thousands_of_digits_is_a_located_error(tmp_path: Path) -> None:
    script = tmp_path / "far.yaml"
    script.write_text(DATES.read_text().replace("max: in 3 months", f"max: in {'9' * 5000} days"))
    result = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "validate", str(script)],
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
    )
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert f"{script}:15:10: error: 'max': That is too far ahead" in out
    assert "internal error" not in out
