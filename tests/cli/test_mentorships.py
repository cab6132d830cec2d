"""`reflectcoach mentorship list|rename`, and names that match whatever the case."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reflectcoach.cli import main
from reflectcoach.store import Store

from .test_commands import FIXTURES, fill


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("REFLECTCOACH_SCRIPTS", raising=False)
    monkeypatch.delenv("REFLECTCOACH_DB", raising=False)
    db = tmp_path / "r.db"
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, ["--db", str(db), "--scripts", str(FIXTURES), *args])

    invoke.db = db  # type: ignore[attr-defined]
    return invoke


def test_list_filters_by_mentorship_whatever_the_case(cli) -> None:
    first = fill(cli.db, mentorship="Lee")
    second = fill(cli.db, mentorship="lee ")
    listing = cli("list", "--mentorship", "LEE")
    assert listing.exit_code == 0, listing.output
    assert first in listing.output and second in listing.output
    assert "lee " not in listing.output.replace("Lee", "")  # shown as first written


def test_mentorship_list_counts_conversations(cli) -> None:
    assert "No mentorships yet" in cli("mentorship", "list").output
    fill(cli.db, mentorship="Sam")
    fill(cli.db, mentorship="sam")
    fill(cli.db, mentorship="Bea")
    result = cli("mentorship", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Bea  1 conversation,")
    assert lines[1].startswith("Sam  2 conversations,")


def test_rename_and_merge_keep_every_conversation(cli) -> None:
    sam = {fill(cli.db, mentorship="Sam"), fill(cli.db, mentorship="SAM")}
    sammy = fill(cli.db, mentorship="Sammy")
    renamed = cli("mentorship", "rename", "sam", "Samuel")
    assert renamed.exit_code == 0, renamed.output
    assert renamed.output == "Renamed 'Sam' to 'Samuel' (2 conversations).\n"
    merged = cli("mentorship", "rename", "Sammy", "samuel")
    assert merged.exit_code == 0, merged.output
    assert merged.output == (
        "Merged 'Sammy' into 'Samuel': moved 1 conversation; 'Samuel' now has 3.\n"
    )
    with Store.open(cli.db) as store:
        assert {c["id"] for c in store.conversations(mentorship="SAMUEL")} == sam | {sammy}
        assert store.mentorships.names() == ["Samuel"]


def test_renaming_an_unknown_mentorship_is_a_message(cli) -> None:
    fill(cli.db, mentorship="Sam")
    result = cli("mentorship", "rename", "Sma", "Lee")
    assert result.exit_code == 1
    assert "Error: There is no mentorship named 'Sma'." in result.output
    assert "Traceback" not in result.output
