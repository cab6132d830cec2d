"""Rating series (reflectcoach.services.ratings): one script step in one mentorship, its re-ratings
joined to it on its declared scale, and a changed wording said; listed without their points
(`rating_list`, the mentorship screen's list) and read one at a time (`with_points`), the same
series as the whole read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from reflectcoach.script.model import Script
from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.services.ratings import (
    RatingSeries,
    mentorship_ratings,
    points_text,
    question_series,
    rating_list,
    with_points,
    with_wordings,
)
from reflectcoach.store import Store

from .helpers import run
from .history import make_history

BASELINE = "On the skill behind this goal, where are you today?"


def read_whole(store: Store, scripts: Mapping[str, Script], name: str) -> list[RatingSeries]:
    """`mentorship_ratings`, checked against the list and the series read one at a time."""
    whole = mentorship_ratings(store, scripts, name)
    listed = rating_list(store, scripts, name)
    assert [item.series for item in listed] == [replace(s, points=()) for s in whole]
    assert [item.count for item in listed] == [len(s.points) for s in whole]
    assert [with_points(store, scripts, item) for item in listed] == whole
    # The screen's way: wordings read after the list (or with a series' points), the same.
    quick = rating_list(store, scripts, name, wordings=False)
    assert [item.series.label for item in quick] == [s.label for s in whole]
    assert with_wordings(store, quick) == listed
    assert [with_points(store, scripts, item) for item in quick] == whole
    return whole


def _history(store: Store) -> None:
    run(store, [("baseline", BASELINE, "scale", 3, "3")], script_id="goal_setting",
        mentorship="Sam")  # fmt: skip
    run(store, [("rerate", "And today, where is that skill?", "scale", 7, "7")],
        script_id="closing", mentorship="Sam")  # fmt: skip
    # Another mentorship's closing is not Sam's re-rating.
    run(store, [("rerate", "And today?", "scale", 9, "9")], script_id="closing",
        mentorship="Kim")  # fmt: skip


def test_a_re_rating_joins_its_baseline_in_the_same_mentorship(fresh_store: Store) -> None:
    scripts = load_catalog([builtin_dir()]).scripts
    _history(fresh_store)
    [series] = read_whole(fresh_store, scripts, "sam")
    assert series.key == ("goal_setting", "baseline") and series.question == BASELINE
    assert (series.low, series.high) == (1, 10)
    assert [(p.value, series.is_re_rating(p)) for p in series.points] == [(3, False), (7, True)]
    assert points_text(series) == "2026-01-05: 3/10 · 2026-01-05: 7/10 (re-rated)"
    found = question_series(fresh_store, scripts, ("goal_setting", "baseline"), "Sam")
    assert found == series
    # Kim has no baseline: the re-rating is a series of its own, not dropped.
    [kim] = read_whole(fresh_store, scripts, "Kim")
    assert kim.key == ("closing", "rerate") and [p.value for p in kim.points] == [9]


def test_a_changed_wording_is_said(fresh_store: Store) -> None:
    scripts = load_catalog([builtin_dir()]).scripts
    run(fresh_store, [("baseline", "Where is the skill?", "scale", 2, "2")],
        script_id="goal_setting", mentorship="Sam")  # fmt: skip
    run(fresh_store, [("baseline", BASELINE, "scale", 4, "4")], script_id="goal_setting",
        mentorship="Sam")  # fmt: skip
    [series] = read_whole(fresh_store, scripts, "Sam")
    assert series.reworded and series.wordings == ("Where is the skill?", BASELINE)
    assert series.question == BASELINE
    # The goal's series has its first point read with the list (its label may need it);
    # another's wordings wait for with_wordings or its points.
    [quick] = rating_list(fresh_store, scripts, "Sam", wordings=False)
    assert quick.worded and quick.series.reworded
    run(fresh_store, [("mood", "Mood?", "scale", 2, "2")], mentorship="Sam")
    run(fresh_store, [("mood", "Mood now?", "scale", 4, "4")], mentorship="Sam")
    [_, mood] = rating_list(fresh_store, scripts, "Sam", wordings=False)
    assert (mood.worded, mood.series.wordings) == (False, ("Mood now?",))
    assert with_wordings(fresh_store, [mood])[0].series.wordings == ("Mood?", "Mood now?")
    read_whole(fresh_store, scripts, "Sam")


def test_only_scale_questions_are_ratings(fresh_store: Store) -> None:
    scripts = load_catalog([builtin_dir()]).scripts
    months = "How many months should this run before you review it together?"
    run(fresh_store, [("months", months, "number", 6, "6")], script_id="first_meeting",
        mentorship="Sam")  # fmt: skip
    _history(fresh_store)
    assert [s.key for s in read_whole(fresh_store, scripts, "Sam")] == [
        ("goal_setting", "baseline")
    ]


def test_the_list_and_each_series_match_the_whole_read_on_a_history(tmp_path: Path) -> None:
    """Its scripts are not loaded here: every numeric step is kept, from its data."""
    scripts = load_catalog([builtin_dir()]).scripts
    make_history(tmp_path / "h.db", conversations=400, answers_per=12, seed=3)
    with Store.open(tmp_path / "h.db") as store:
        for name in [*store.mentorships.names()[:3], ""]:
            assert read_whole(store, scripts, name)
