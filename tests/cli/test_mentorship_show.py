"""`reflectcoach mentorship show NAME` (and `mentorship NAME`), `mentorship reopen`, in a
subprocess: the timeline, ratings as numbers on their scale with dates, the commitments
line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store.helpers import Clock, run

from reflectcoach.store import Store

from .test_plain import env_for

BASELINE = "On the skill behind this goal, where are you today?"


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
        input="",
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
    )


def seed(tmp_path: Path) -> tuple[str, str]:
    with Store.open(tmp_path / "r.db") as store:
        store.clock = Clock("2026-01-05T09:00:00")
        goal = run(store, [("role", "Which are you?", "choice", "mentee", "the mentee"),
                           ("baseline", BASELINE, "scale", 3, "3")],
                   script_id="goal_setting", mentorship="Sam",
                   record="# Goal card\n\nSpeak up in design reviews.")  # fmt: skip
        store.clock.set("2026-06-01T09:00:00")
        closing = run(store, [("rerate", "And today, where is that skill?", "scale", 7, "7")],
                      script_id="closing", complete=False, mentorship="sam")  # fmt: skip
        store.journal(closing).completed(
            record="# A closing letter", position=1, current_step="end", closes_mentorship=True
        )
    return goal, closing


def test_show_prints_the_whole_mentorship(tmp_path: Path) -> None:
    goal, closing = seed(tmp_path)
    done = cli(tmp_path, "mentorship", "show", "SAM")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Sam · you are the mentee · since 2026-01-05 · closed 2026-06-01"
    assert f"  2026-01-05  Goal Setting (completed) — Goal card  [{goal}]" in lines
    assert f"  2026-06-01  Closing (completed) — A closing letter  [{closing}]" in lines
    assert "Commitments: none recorded yet." in lines
    # One series: the baseline and its re-rating, on the declared 1-10 scale.
    assert "Ratings (1):" in lines
    assert f"  {BASELINE} — Goal Setting, scale 1-10" in lines
    assert "    2026-01-05: 3/10 · 2026-06-01: 7/10 (re-rated)" in lines
    # The short form says the same.
    assert cli(tmp_path, "mentorship", "Sam").stdout == done.stdout


def test_reopen_and_unknown_names(tmp_path: Path) -> None:
    seed(tmp_path)
    reopened = cli(tmp_path, "mentorship", "reopen", "sam")
    assert reopened.returncode == 0 and reopened.stdout == "'Sam' is active again.\n"
    shown = cli(tmp_path, "mentorship", "show", "Sam")
    assert shown.stdout.splitlines()[0].endswith(" · active")
    missing = cli(tmp_path, "mentorship", "show", "Sma")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "no mentorship named 'Sma'. Did you mean 'Sam'?" in missing.stderr


def test_compare_two_runs_in_plain_text(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        store.clock = Clock("2026-02-02T09:00:00")
        want = "To be heard\nand understood"
        steps = [("topic", "What is it about?", "choice", "feedback", "feedback"),
                 ("want", "What do you want?", "long_text", want, None)]  # fmt: skip
        first = run(store, steps, script_id="tough_conversation", mentorship="Sam")
        store.clock.set("2026-02-16T09:00:00")
        steps[1] = ("want", "What do you want?", "long_text", "A next step", None)
        second = run(store, steps, script_id="tough_conversation", mentorship="Sam")
        other = run(store, steps[:1], script_id="closing", mentorship="Sam")
        unfinished = run(store, steps, script_id="tough_conversation", complete=False)
    done = cli(tmp_path, "compare", second[:6], first)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"Tough Conversation: 2026-02-02 [{first}] and 2026-02-16 [{second}]",
        "2 questions, 1 different.",
        "",
        "=  What is it about?",
        "     both: feedback",
        "≠ changed  What do you want?",
        "     2026-02-02: To be heard",
        "       and understood",
        "     2026-02-16: A next step",
    ]
    for ids, message in (
        ((first, other), "only runs of one script compare"),
        ((first, unfinished), "only completed runs compare"),
        ((first, first), "the same conversation"),
    ):
        refused = cli(tmp_path, "compare", *ids)
        assert refused.returncode != 0 and message in refused.stderr
        assert "Traceback" not in refused.stderr


def test_show_prints_the_commitments_as_the_screen_shows_them(tmp_path: Path) -> None:

    from app.mentorship_data import add_commitments

    goal, _closing = seed(tmp_path)
    with Store.open(tmp_path / "r.db") as store:
        store.clock = Clock("2026-01-06T09:00:00")
        add_commitments(store, goal)
        ids = {c.text: c.id for c in store.commitments.all(statuses=None)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reflectcoach",
            "--db",
            str(tmp_path / "r.db"),
            "mentorship",
            "show",
            "Sam",
        ],
        input="",
        capture_output=True,
        text=True,
        env={**env_for(tmp_path), "REFLECTCOACH_TODAY": "2026-03-14"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("Commitments (4):")
    expected = [
        "open · Ask to present in the March review · due Tuesday 10 March 2026 (overdue)",
        "not done yet · Write the three points down first · due Friday 20 March 2026"
        " · carried forward from Friday 20 February 2026, then Friday 6 March 2026",
        "done · Watch two reviews as an observer · was due Friday 30 January 2026",
        "dropped · Read the review guide · no date · why: the guide is out of date",
    ]
    texts = [
        "Ask to present in the March review",
        "Write the three points down first",
        "Watch two reviews as an observer",
        "Read the review guide",
    ]
    assert lines[start + 1 : start + 5] == [
        f"  {line}  [{ids[text]}]" for line, text in zip(expected, texts, strict=True)
    ]


def test_show_lists_every_goal_the_one_worked_on_first(tmp_path: Path) -> None:
    from reflectcoach.store import mentorship_state

    seed(tmp_path)
    with Store.open(tmp_path / "r.db") as store:
        store.state.set_goal("Sam", "Speak up in design reviews")
        with store.transaction() as db:
            key, now = store.state.key("Sam"), store.clock()
            mentorship_state.add_goal(db, key, "Explore product  management", now, None)
            mentorship_state.close_goal(db, key, "reached", now, None)
            mentorship_state.add_goal(db, key, "Lead a team", now, None)
    lines = cli(tmp_path, "mentorship", "show", "Sam").stdout.splitlines()
    start = lines.index("Goals (3):")
    assert lines[start : start + 4] == [
        "Goals (3):",
        "  open (worked on) · Explore product management",
        "  open · Lead a team",
        "  reached · Speak up in design reviews",
    ]
