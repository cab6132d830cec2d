"""A rating series is labelled by the goal as it stands (issue 21, "the current goal
everywhere"): goal setting's baseline and the midpoint review's re-rating of it are one
series; once the midpoint review re-aims the goal, the series is called by the new goal, with
the old one beside it, in the ratings service (the whole read and the mentorship screen's list,
`rating_list`), `reflectcoach mentorship show` and the brief. Driven through the built-ins, so
the goal is what they store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from reflectcoach.script.model import Script
from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.services.ratings import mentorship_ratings, question_series, rating_list
from reflectcoach.store import Store
from reflectcoach.store.mentorship_state import add_goal

from .test_follow_through import drive

FIRST = "Run the planning meeting on my own by June"
NEW = "Run the planning meeting and the review on my own by July"


def listed_alike(store: Store, scripts: Mapping[str, Script], name: str) -> None:
    """The screen's list labels every series as the whole read does."""
    whole = mentorship_ratings(store, scripts, name)
    listed = rating_list(store, scripts, name)
    assert [item.series for item in listed] == [replace(s, points=()) for s in whole]


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch):
    def set_day(iso: str) -> None:
        monkeypatch.setenv("REFLECTCOACH_TODAY", iso)

    set_day("2026-02-02")
    return set_day


def relationship(store: Store, day, *, reaim: bool) -> None:
    drive(
        store,
        "goal_setting",
        "Sam",
        {"who": "mentee", "goal": FIRST, "skill": "Chairing meetings", "baseline": "4"},
    )
    day("2026-04-20")
    answers = {"role": "mentee", "skill_ask": "Chairing meetings", "rerate": "6"}
    if reaim:
        answers |= {"goal_still": "adjust", "new_goal": NEW}
    else:
        answers |= {"goal_still": "keep"}
    drive(store, "midpoint_review", "Sam", answers)


def test_a_re_aimed_goal_relabels_its_series_and_keeps_the_old_words(tmp_path: Path, day) -> None:
    scripts = load_catalog([builtin_dir()]).scripts
    with Store.open(tmp_path / "r.db") as store:
        relationship(store, day, reaim=True)
        goal = store.state.current_goal("Sam")
        assert goal is not None and goal.text == NEW and goal.first == FIRST
        found_all = mentorship_ratings(store, scripts, "Sam")
        [series] = [s for s in found_all if s.key == ("goal_setting", "baseline")]
        # Only the goal's series is called by the goal; "how well is it working" is not.
        assert all(s.label == s.question for s in found_all if s is not series)
        assert [p.value for p in series.points] == [4, 6]
        assert (series.goal, series.goal_was) == (NEW, (FIRST,))
        assert series.label == f"{NEW} (re-aimed from: {FIRST})"
        found = question_series(store, scripts, ("goal_setting", "baseline"), "Sam")
        assert found is not None and found.label == series.label
        listed_alike(store, scripts, "Sam")

    env = {"REFLECTCOACH_TODAY": "2026-04-21", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    # The encrypted pass gives every front end its key this way (tests/conftest.py).
    if "REFLECTCOACH_PASSPHRASE_FILE" in os.environ:
        env["REFLECTCOACH_PASSPHRASE_FILE"] = os.environ["REFLECTCOACH_PASSPHRASE_FILE"]
    for args in (("mentorship", "show", "Sam"), ("brief", "-m", "Sam")):
        done = subprocess.run(
            [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        flat = " ".join(done.stdout.split())
        assert f"{NEW} (re-aimed from: {FIRST})" in flat, (args, done.stdout)


def test_a_goal_kept_labels_its_series_by_the_goal(tmp_path: Path, day) -> None:
    scripts = load_catalog([builtin_dir()]).scripts
    with Store.open(tmp_path / "r.db") as store:
        relationship(store, day, reaim=False)
        found_all = mentorship_ratings(store, scripts, "Sam")
        [series] = [s for s in found_all if s.key == ("goal_setting", "baseline")]
        assert (series.label, series.goal_was) == (FIRST, ())
        assert series.question.startswith("On the skill behind this goal")  # still kept
        listed_alike(store, scripts, "Sam")


def test_a_second_goal_beside_it_does_not_take_the_label(tmp_path: Path, day) -> None:
    """career_conversation may add a goal beside the first (`sets: mentorship.new_goal`):
    the baseline still rates the skill behind the goal its own conversation set."""
    scripts = load_catalog([builtin_dir()]).scripts
    with Store.open(tmp_path / "r.db") as store:
        relationship(store, day, reaim=True)
        with store.transaction() as db:
            add_goal(
                db,
                store.state.key("Sam"),
                "Lead a team of my own by 2027",
                "2026-05-01",
                None,
                None,
            )
        assert len(store.state.goals("Sam")) == 2
        [series] = [
            s
            for s in mentorship_ratings(store, scripts, "Sam")
            if s.key == ("goal_setting", "baseline")
        ]
        assert series.label == f"{NEW} (re-aimed from: {FIRST})"
        listed_alike(store, scripts, "Sam")
