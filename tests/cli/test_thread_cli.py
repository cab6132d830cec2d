"""`reflectcoach note` and `reflectcoach brief` (issue 21, items 4 and 5), in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reflectcoach.store import Store

from .test_plain import env_for


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
        input="",
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
    )


def test_note_adds_a_talking_point_the_brief_shows(tmp_path: Path) -> None:
    added = cli(tmp_path, "note", "-m", "Sam", "Ask about the budget")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Noted for Sam (1 open talking point).\n"
    assert cli(tmp_path, "note", "-m", "sam", "Mine alone", "--private").returncode == 0
    again = cli(tmp_path, "note", "-m", "Sam", "ask about the budget")
    assert again.stdout == "Already on the list for Sam (2 open talking points).\n"
    with Store.open(tmp_path / "r.db") as store:
        assert [p.text for p in store.state.points("Sam")] == ["Ask about the budget", "Mine alone"]
    brief = cli(tmp_path, "brief", "-m", "Sam")
    assert brief.returncode == 0, brief.stderr
    assert "Talking points (2):\n  Ask about the budget\n  Mine alone\n" in brief.stdout
    assert "\x1b" not in brief.stdout  # a pipe gets plain text
    shared = cli(tmp_path, "brief", "-m", "Sam", "--share").stdout
    assert "Ask about the budget" in shared and "Mine alone" not in shared
    markdown = cli(tmp_path, "brief", "-m", "Sam", "--markdown").stdout
    assert markdown.startswith("# Brief: Sam\n") and "## Talking points (2)\n" in markdown


def test_an_empty_note_is_refused(tmp_path: Path) -> None:
    refused = cli(tmp_path, "note", "-m", "Sam", "   ")
    assert refused.returncode == 2 and "empty" in refused.stderr


def test_the_brief_of_an_unknown_mentorship_says_so(tmp_path: Path) -> None:
    cli(tmp_path, "note", "-m", "Sam", "x")
    missing = cli(tmp_path, "brief", "-m", "Sma")
    assert missing.returncode != 0 and "no mentorship named 'Sma'" in missing.stderr
