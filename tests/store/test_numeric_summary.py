"""Insights' question list from the summary kept by m013's triggers says exactly what the
walk over every numeric answer says: after a bulk load (rebuilt), as conversations are
answered, completed and abandoned (kept by the triggers, never rebuilt), and after the
rare changes that make it stale (deleted, renamed, taken up again, imported)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reflectcoach.store import Store, numeric_summary
from reflectcoach.store.export import write_json
from reflectcoach.store.importer import import_json
from reflectcoach.store.insights import Insights

from .helpers import Clock, run
from .history import make_history


def check_in(mood: object, hours: object) -> list:
    return [
        ("mood", f"Mood ({mood})?", "scale", mood, None if mood is None else str(mood)),
        ("hours", "Hours?", "number", hours, None if hours is None else str(hours)),
        ("help", "Help?", "yes_no", True, "yes"),
    ]


def walked(store: Store, monkeypatch: pytest.MonkeyPatch, mentorship: str | None) -> list:
    """The list as the walk over every numeric answer gives it (the summary not read)."""
    with monkeypatch.context() as patch:
        patch.setattr(numeric_summary, "rows", lambda db, where: None)
        patch.setattr(Insights, "_rebuilt", lambda self: False)
        return store.insights.numeric_questions(mentorship=mentorship)


def same_as_the_walk(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for who in (None, "Ada", "ada", "", "Nobody known"):
        assert store.insights.numeric_questions(mentorship=who) == walked(
            store, monkeypatch, who
        ), who


def test_kept_by_the_triggers_as_conversations_settle(
    fresh_store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fresh_store
    assert numeric_summary.is_current(store.db)  # filled by the migration
    run(store, check_in(4, 2), mentorship="Ada")
    assert store.insights.numeric_questions() == []  # one conversation: no series yet
    run(store, check_in(6, 1.5), mentorship="Ada")
    run(store, check_in(None, 3), mentorship=None)
    run(store, check_in(5, 3), mentorship=None)
    going = run(store, check_in(7, 2), mentorship="Ada", complete=False)
    same_as_the_walk(store, monkeypatch)
    # The one in progress counts (read live); abandoning it settles it into the summary.
    assert {q["count"] for q in store.insights.numeric_questions(mentorship="Ada")} == {3}
    store.set_status(going, "abandoned")
    run(store, check_in(8, 4), mentorship="Ada")
    assert numeric_summary.is_current(store.db)  # never rebuilt: kept as it went
    same_as_the_walk(store, monkeypatch)
    latest = [q for q in store.insights.numeric_questions(mentorship="Ada")]
    assert [q["question"] for q in latest if q["step_id"] == "mood"] == ["Mood (8)?"]
    assert [q["count"] for q in latest] == [4, 4]


def test_stale_after_rare_changes_and_read_the_same(
    fresh_store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fresh_store
    ids = [run(store, check_in(n, n), mentorship=("Ada", "Sam")[n % 2]) for n in range(1, 7)]
    abandoned = run(store, check_in(9, 9), mentorship="Ada", complete=False)
    store.set_status(abandoned, "abandoned")
    assert numeric_summary.is_current(store.db)
    for change in (
        lambda: store.delete(ids[0]),
        lambda: store.mentorships.rename("Sam", "Samira"),
        lambda: store.set_status(abandoned, "in_progress"),
        lambda: store.mentorships.rename("Samira", "Ada"),  # a merge
    ):
        change()
        assert not numeric_summary.is_current(store.db)
        same_as_the_walk(store, monkeypatch)
        assert numeric_summary.is_current(store.db)  # the read rebuilt it


def test_a_bulk_load_and_an_import_are_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_history(tmp_path / "h.db", conversations=150, answers_per=10, seed=8)
    with Store.open(tmp_path / "h.db") as store:
        assert numeric_summary.is_current(store.db)  # as the triggers would have kept it
        same_as_the_walk(store, monkeypatch)
        assert store.insights.numeric_questions()
        out = io.StringIO()
        write_json(store, out)
    with Store.open(tmp_path / "copy.db") as copy:
        import_json(copy, io.StringIO(out.getvalue()))
        same_as_the_walk(copy, monkeypatch)


def test_read_around_when_nothing_may_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_history(tmp_path / "h.db", conversations=60, answers_per=10, seed=9)
    with Store.open(tmp_path / "h.db") as store:
        expected = walked(store, monkeypatch, None)
        with store.transaction() as db:  # stale, as after an import
            db.execute("UPDATE numeric_summary_state SET valid = 0")
        monkeypatch.setattr(Insights, "_rebuilt", lambda self: False)  # the lock held elsewhere
        assert store.insights.numeric_questions() == expected
        assert not numeric_summary.is_current(store.db)
