"""The mentorship screen's reads that follow what it shows: a page of the timeline (the
latest, or those before a conversation) and its count, the last commitments in order, the
per-question list with questions answered once, and each series' first point. Each is
checked against the whole read it stands for, on a generated history."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflectcoach.store import Store, commitments
from reflectcoach.store.insights import Insights

from .helpers import Clock, run
from .history import make_history


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "history.db"
    make_history(path, conversations=900, answers_per=12, seed=7, commitments=True)
    return path


def test_timeline_pages_are_the_whole_timeline_in_slices(history: Path) -> None:
    with Store.open(history) as store:
        for name in store.mentorships.names()[:3]:
            whole = store.mentorships.timeline(name)
            assert len(whole) > 60
            assert store.mentorships.timeline_count(name.upper()) == len(whole)
            assert store.mentorships.timeline(name, latest=25) == whole[-25:]
            before = whole[-25].id
            assert store.mentorships.timeline(name, latest=25, before=before) == whole[-50:-25]
            # The first page is short: what is left before that conversation.
            assert store.mentorships.timeline(name, latest=25, before=whole[10].id) == whole[:10]
            assert store.mentorships.timeline(name, latest=25, before=whole[0].id) == []
        assert store.mentorships.timeline("Ada", latest=5, before="no such id") == []
        assert store.mentorships.timeline_count("Nobody") == 0
        assert store.mentorships.timeline_count(" ") == 0


def test_the_last_commitments_keep_their_order(history: Path) -> None:
    with Store.open(history) as store:
        finished = ["done", "dropped"]
        whole = store.commitments.all(mentorship="Ada", statuses=finished)
        assert len(whole) > 12
        assert (
            store.commitments.all(mentorship="Ada", statuses=finished, limit=5, last=True)
            == (whole[-5:])
        )
        assert store.commitments.all(mentorship="Ada", statuses=finished, last=True) == whole
        open_ones = store.commitments.all(mentorship="Ada", statuses=commitments.OPEN)
        assert (
            store.commitments.all(mentorship="Ada", statuses=commitments.OPEN, limit=4)
            == (open_ones[:4])
        )


def test_questions_answered_once_are_listed_when_asked_for(
    fresh_store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fresh_store
    run(store, [("mood", "Mood?", "scale", 4, "4")], mentorship="Ada")
    run(store, [("mood", "Mood?", "scale", 6, "6")], mentorship="Ada")
    run(store, [("calm", "Calm?", "scale", 2, "2")], mentorship="Ada")
    run(store, [("calm", "Calm now?", "scale", 3, "3")], mentorship="Ada", complete=False)
    run(store, [("once", "Once?", "scale", 9, "9")], mentorship="Ada", complete=False)
    listed = store.insights.numeric_questions(mentorship="ada", min_conversations=1)
    assert [(q["step_id"], q["count"], q["question"]) for q in listed] == [
        ("calm", 2, "Calm now?"),
        ("mood", 2, "Mood?"),
        ("once", 1, "Once?"),
    ]
    assert [q["step_id"] for q in store.insights.numeric_questions(mentorship="Ada")] == [
        "calm",
        "mood",
    ]
    # The walk over every numeric answer (the summary not read) says the same.
    with monkeypatch.context() as patch:
        patch.setattr("reflectcoach.store.numeric_summary.rows", lambda db, where: None)
        patch.setattr(Insights, "_rebuilt", lambda self: False)
        assert store.insights.numeric_questions(mentorship="ada", min_conversations=1) == listed


def test_first_points_are_the_oldest_answer_of_each_series(history: Path) -> None:
    with Store.open(history) as store:
        for name in store.mentorships.names()[:3]:
            points = store.insights.numeric_points(name)
            first: dict[tuple[str, str], tuple[str, int]] = {}
            for script_id, step_id, _, _, conversation_id, seq in points:  # oldest first
                first.setdefault((script_id, step_id), (conversation_id, seq))
            steps = sorted(first)
            found = store.insights.first_points(name, [*steps, ("no_script", "no_step")])
            assert {key: (c, s) for key, (c, s, _) in found.items()} == first
            for conversation_id, seq, question in found.values():
                assert question == store.insights.question_at(conversation_id, seq)
        assert store.insights.first_points("Ada", []) == {}


def test_first_points_without_a_mentorship(fresh_store: Store, clock: Clock) -> None:
    run(fresh_store, [("mood", "Mood at first?", "scale", 4, "4")], mentorship=None)
    run(fresh_store, [("mood", "Mood?", "scale", 5, "5")], mentorship=None)
    run(fresh_store, [("mood", "Ada's mood?", "scale", 1, "1")], mentorship="Ada")
    [(_, _, question)] = fresh_store.insights.first_points("", [("weekly", "mood")]).values()
    assert question == "Mood at first?"
