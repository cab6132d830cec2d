"""numeric_questions (the list insights shows) and numeric_series for one question, on
journal-written conversations and on a generated history: the list describes exactly the
series numeric_series returns, without reading their points."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflectcoach.store import NumericQuestion, Series, Store

from .helpers import Clock, run
from .history import MENTORSHIPS, make_history


def summary(series: list[Series]) -> list[NumericQuestion]:
    """What numeric_questions should say about these series."""
    return [
        {
            "script_id": s["script_id"],
            "step_id": s["step_id"],
            "question": s["question"],
            "mentorship": s["mentorship"],
            "count": len(s["points"]),
            "last_answered_at": max(at for at, _ in s["points"]),
        }
        for s in series
    ]


def check_in(mood: object, hours: object, *, text: str = "Mood?") -> list:
    return [
        ("mood", text, "scale", mood, None if mood is None else str(mood)),
        ("hours", "Hours?", "number", hours, None if hours is None else str(hours)),
        ("help", "Help?", "yes_no", True, "yes"),
    ]


def test_numeric_questions(fresh_store: Store, clock: Clock) -> None:
    clock.set("2026-01-01T08:00:00")  # one minute per write: start, each answer, completed
    for number, (mood, hours) in enumerate(((3, 0.5), (5, 1.0), (8, 2.5))):
        run(fresh_store, check_in(mood, hours, text=f"Mood, take {number}?"), mentorship="Ada")
    run(fresh_store, check_in(9, 1), mentorship="Grace")  # Grace: only once
    run(fresh_store, check_in(None, 4), mentorship="Ada")  # a skipped mood is no point
    looped = [("mood", "Mood?", "scale", 2, "2"), ("mood", "Mood now?", "scale", 6, "6")]
    run(fresh_store, looped, mentorship="Linus")  # twice, but in one conversation only
    run(fresh_store, check_in(4, 3), mentorship=None)
    run(fresh_store, check_in(7, 2), mentorship=None, complete=False)  # in progress counts
    assert fresh_store.insights.numeric_questions() == [
        {
            "script_id": "weekly",
            "step_id": "hours",
            "question": "Hours?",
            "mentorship": None,
            "count": 2,
            "last_answered_at": "2026-01-01T08:37:00.000000Z",
        },
        {
            "script_id": "weekly",
            "step_id": "hours",
            "question": "Hours?",
            "mentorship": "Ada",
            "count": 4,
            "last_answered_at": "2026-01-01T08:23:00.000000Z",
        },
        {
            "script_id": "weekly",
            "step_id": "mood",
            "question": "Mood?",
            "mentorship": None,
            "count": 2,
            "last_answered_at": "2026-01-01T08:36:00.000000Z",
        },
        {
            "script_id": "weekly",
            "step_id": "mood",
            "question": "Mood, take 2?",  # as last asked
            "mentorship": "Ada",
            "count": 3,
            "last_answered_at": "2026-01-01T08:12:00.000000Z",
        },
    ]
    assert fresh_store.insights.numeric_questions() == summary(
        fresh_store.insights.numeric_series()
    )
    ada = fresh_store.insights.numeric_questions(mentorship=" Ada ")
    assert [(q["step_id"], q["mentorship"]) for q in ada] == [("hours", "Ada"), ("mood", "Ada")]
    assert fresh_store.insights.numeric_questions(mentorship="Grace") == []
    assert fresh_store.insights.numeric_questions(mentorship="Nobody") == []
    # A blank name means no mentorship (the store keeps blank names as none).
    nobody = fresh_store.insights.numeric_questions(mentorship=" ")
    assert [(q["step_id"], q["mentorship"], q["count"]) for q in nobody] == [
        ("hours", None, 2),
        ("mood", None, 2),
    ]
    (mood,) = fresh_store.insights.numeric_series(script_id="weekly", step_id="mood", mentorship="")
    assert mood["mentorship"] is None and [v for _, v in mood["points"]] == [4, 7]


def test_only_numbers_on_the_current_path_are_points(fresh_store: Store, clock: Clock) -> None:
    for mood in (3, 4):
        run(fresh_store, check_in(mood, 1), mentorship="Ada")
    # Values another writer (or a hand-edited import) might store for a scale question:
    # none of them is a number, so none is a point.
    for odd in (True, "5", [5], None):
        steps = [("mood", "Mood?", "scale", odd, "odd")] if odd is not None else []
        steps.append(("other", "Other?", "text", "x", "x"))
        run(fresh_store, steps, mentorship="Ada")
    # A conversation gone back before its mood: the answer is kept (offered again) but is
    # beyond its position, so it is not a point.
    went_back = run(fresh_store, check_in(10, 1), mentorship="Ada", complete=False)
    fresh_store.journal(went_back).moved(position=0, current_step="mood")
    mood = [q for q in fresh_store.insights.numeric_questions() if q["step_id"] == "mood"]
    assert [q["count"] for q in mood] == [2]
    series = fresh_store.insights.numeric_series(
        script_id="weekly", step_id="mood", mentorship="Ada"
    )
    assert [value for _, value in series[0]["points"]] == [3, 4]
    hours = fresh_store.insights.numeric_series(script_id="weekly", step_id="hours")
    assert [value for _, value in hours[0]["points"]] == [1, 1]


def test_values_keep_their_type(fresh_store: Store, clock: Clock) -> None:
    for hours in (2, 2.5, 1e-05, 3.0, -1):
        run(fresh_store, check_in(5, hours), mentorship=None)
    (series,) = fresh_store.insights.numeric_series(script_id="weekly", step_id="hours")
    values = [value for _, value in series["points"]]
    assert values == [2, 2.5, 1e-05, 3.0, -1]
    assert [type(v) for v in values] == [int, float, float, float, int]


def test_numbers_beyond_what_an_answer_holds_are_left_out(fresh_store: Store) -> None:
    # Stored before answers were bounded, or imported: a 310-digit int is valid JSON but no
    # float; 1e16 is one, but beyond the bound every answer keeps (numbers.py).
    for hours in (10**310, -(10**310), 10**16, 1e300, 10**15, 2):
        run(fresh_store, check_in(5, hours), mentorship="Ada")
    (series,) = fresh_store.insights.numeric_series(script_id="weekly", step_id="hours")
    assert [value for _, value in series["points"]] == [10**15, 2]
    [hours] = [q for q in fresh_store.insights.numeric_questions() if q["step_id"] == "hours"]
    assert hours["count"] == 2  # the list and the plot agree


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "history.db"
    make_history(path, conversations=400, answers_per=30, seed=5)
    return path


def test_numeric_questions_describe_every_series_of_a_history(history: Path) -> None:
    with Store.open(history) as store:
        everything = store.insights.numeric_series()
        questions = store.insights.numeric_questions()
        assert len(questions) > 100
        assert questions == summary(everything)
        for name in (*MENTORSHIPS[:3], "", "Nobody"):
            assert store.insights.numeric_questions(mentorship=name) == summary(
                store.insights.numeric_series(mentorship=name)
            )
            assert all(
                q["mentorship"] == (name or None)
                for q in store.insights.numeric_questions(mentorship=name)
            )


def test_one_question_is_read_alone(history: Path) -> None:
    with Store.open(history) as store:
        everything = {
            (s["script_id"], s["step_id"], s["mentorship"]): s
            for s in store.insights.numeric_series()
        }
        for question in store.insights.numeric_questions()[::7]:
            key = (question["script_id"], question["step_id"], question["mentorship"])
            # "" is the conversations without a mentorship; None would be every mentorship.
            found = store.insights.numeric_series(
                script_id=key[0], step_id=key[1], mentorship=key[2] or ""
            )
            assert found == [everything[key]]
            assert len(found[0]["points"]) == question["count"]
        assert any(q["mentorship"] is None for q in store.insights.numeric_questions()[::7])


def test_the_index_insights_walk_is_there(history: Path) -> None:
    """numeric_questions reads conversations by (mentorship, script) from an index that
    holds all the join needs (make_history's file went through every migration)."""
    with Store.open(history) as store:
        columns = [row[2] for row in store.db.execute("PRAGMA index_info(conversations_series)")]
        assert columns == ["mentorship", "script_id", "id", "position"]


def test_question_points_are_the_newest_with_figures_of_all(history: Path) -> None:
    """question_points (insights' panel): the newest points of one question in one
    mentorship, and the count, lowest, highest and wordings of every point, the same as
    numeric_series reading them all."""
    with Store.open(history) as store:
        checked = 0
        for question in store.insights.numeric_questions()[::5]:
            script_id, step_id, name = (
                question["script_id"],
                question["step_id"],
                question["mentorship"],
            )
            (whole,) = store.insights.numeric_series(
                script_id=script_id, step_id=step_id, mentorship=name or ""
            )
            points = whole["points"]
            values = [value for _, value in points]
            wordings = store.insights.question_wordings(script_id, step_id, name or "")
            wordings = [w for w in wordings if w != whole["question"]] + [whole["question"]]
            for newest in (None, 3, 1):
                found = store.insights.question_points(
                    script_id, step_id, (name or "").lower(), newest=newest
                )
                assert found == {
                    "question": whole["question"],
                    "wordings": wordings,
                    "count": len(points),
                    "lowest": min(values),
                    "highest": max(values),
                    "points": points if newest is None else points[-newest:],
                }
            checked += 1
        assert checked > 20


def test_question_points_of_nothing(fresh_store: Store) -> None:
    assert fresh_store.insights.question_points("weekly", "mood", "Ada", newest=5) == {
        "question": "",
        "wordings": [],
        "count": 0,
        "lowest": None,
        "highest": None,
        "points": [],
    }


def test_question_points_count_only_exact_numbers(fresh_store: Store, clock: Clock) -> None:
    # A value another writer stored that starts like a number but is none: SQLite would
    # read "1-2" as 1 (CAST) and "12abc" as 12, so the figures taken in SQL must leave
    # them out, as the points do.
    clock.set("2026-01-01T08:00:00")  # one minute per write
    for mood, text in ((4, "Mood?"), (6, "Mood now?"), (5, "Mood?")):
        run(fresh_store, check_in(mood, 1, text=text), mentorship="Ada")
    for odd in ("1-2", "12abc"):
        conversation = run(fresh_store, check_in(3, 1), mentorship="Ada")
        fresh_store.db.execute(
            "UPDATE answers SET answer_value = ? WHERE conversation_id = ? AND step_id = 'mood'",
            [odd, conversation],
        )
    found = fresh_store.insights.question_points("weekly", "mood", "Ada", newest=2)
    assert found == {
        "question": "Mood?",  # as last asked
        "wordings": ["Mood now?", "Mood?"],  # the last asked last
        "count": 3,
        "lowest": 4,
        "highest": 6,
        "points": [
            ("2026-01-01T08:07:00.000000Z", 6),
            ("2026-01-01T08:12:00.000000Z", 5),
        ],
    }


def test_question_points_walk_indexes(history: Path) -> None:
    """One statement per question: both its walks go through the (mentorship, script)
    group in conversations_series and seek each conversation's answers in answers_numeric;
    no table is scanned."""
    with Store.open(history) as store:
        said: list[str] = []
        store.db.conn.set_trace_callback(said.append)
        for name in ("", MENTORSHIPS[0]):
            (question, *_) = store.insights.numeric_questions(mentorship=name)
            store.insights.question_points(
                question["script_id"], question["step_id"], name, newest=200
            )
        store.db.conn.set_trace_callback(None)
        reads = [sql for sql in said if "json_group_array(json_array(question" in sql]
        assert len(reads) == 2
        for sql in reads:
            plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql)]
            scans = [s for s in plan if s.startswith("SCAN") and "subquery" not in s]
            assert scans == ["SCAN CONSTANT ROW"], plan
            walks = [s for s in plan if "COVERING INDEX conversations_series" in s]
            seeks = [s for s in plan if "INDEX answers_numeric" in s]
            assert len(walks) == len(seeks) == 2, plan
