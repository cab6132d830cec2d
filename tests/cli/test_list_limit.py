"""`list` shows the newest 100 and says on stderr when there are more, and how to see them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from store.history import make_history

from reflectcoach.cli import main
from reflectcoach.store import Store

from .test_plain import env_for

pytestmark = pytest.mark.encrypted_too  # list reads on its own path, encrypted files included

HEADER = 1


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("list") / "r.db"
    make_history(path, conversations=105, answers_per=2, seed=4)
    return path


@pytest.fixture
def run(db: Path, monkeypatch: pytest.MonkeyPatch):
    for name, value in env_for(db.parent).items():
        monkeypatch.setenv(name, value)

    def invoke(*args: str):
        return CliRunner().invoke(main, ["--db", str(db), "list", *args])

    return invoke


def test_more_than_the_limit_is_said_on_stderr(run) -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == HEADER + 100
    assert result.stderr == (
        "Showing the newest 100 of 105 conversations; use --limit N or --all to see more.\n"
    )


def test_all_shows_every_one_and_nothing_on_stderr(run) -> None:
    result = run("--all")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == HEADER + 105
    assert result.stderr == ""


def test_limit_sets_how_many_and_the_note_follows_it(run) -> None:
    assert run("--limit", "105").stderr == ""
    assert run("--limit", "200").stderr == ""
    short = run("--limit", "3")
    assert len(short.stdout.splitlines()) == HEADER + 3
    assert short.stderr.startswith("Showing the newest 3 of 105 conversations;")


def test_the_note_counts_only_the_matching_ones(run, db: Path) -> None:
    with Store.open(db) as store:
        completed = store.count(status="completed")
    assert 3 < completed < 105
    result = run("--status", "completed", "--limit", "2")
    assert result.stderr == (
        f"Showing the newest 2 of {completed} matching conversations; "
        "use --limit N or --all to see more.\n"
    )
    assert run("--status", "completed", "--all").stderr == ""


def test_newest_first_is_what_all_continues(run) -> None:
    first = run("--limit", "3").stdout.splitlines()
    every = run("--all").stdout.splitlines()
    assert every[: HEADER + 3] == first


def test_a_limit_below_one_is_refused(run) -> None:
    result = run("--limit", "0")
    assert result.exit_code == 2
    assert "--limit" in result.output and "Traceback" not in result.output
