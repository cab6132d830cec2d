"""A simulated relationship, January to July, driven through plain mode (issue 21, "done
means"): find_a_mentor -> first_meeting -> goal_setting -> check_in -> midpoint_review (the
goal re-aimed) -> closing, each on its own day with REFLECTCOACH_TODAY, each a real
`reflectcoach start SCRIPT -m Sam --plain` reading its answers from stdin. After each, the
brief (`reflectcoach brief -m Sam`) is checked. At closing: the re-aimed goal, and nothing
overdue once the mentorship is closed.

The lines typed are found by a dry run of the same conversation on a copy of the database
(same day, same earlier state), so the test says what to answer by step id, not by position.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reflectcoach.script.model import QuestionType
from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.services import session
from reflectcoach.store import Store

from .test_plain import env_for

# Every front end of a relationship finds the key: plain mode, note, brief.
pytestmark = pytest.mark.encrypted_too

FIRST_GOAL = "Run the planning meeting on my own by 30 April"
NEW_GOAL = "Run the planning meeting and the review on my own by 31 May"


def default(step: Any) -> Any:
    kind = step.type
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        return step.options[0].value if kind is QuestionType.CHOICE else [step.options[0].value]
    if kind is QuestionType.YES_NO:
        return False
    if kind is QuestionType.DATE:
        return "in 2 weeks"
    if kind in (QuestionType.SCALE, QuestionType.NUMBER):
        return int(step.max) if step.max is not None else 6
    return f"My answer to {step.id}"


def typed(step: Any, value: Any, stored: Any) -> list[str]:
    """The lines plain mode reads for one answer (None: skip)."""
    if value is None:
        return [":skip"]
    kind = step.type
    if kind is QuestionType.DATE:
        return [str(stored)]  # a piped date is taken as typed: no confirmation to answer
    if kind is QuestionType.LONG_TEXT:
        return [str(value), ""]
    if kind is QuestionType.MULTI:
        return [",".join(value)]
    if kind is QuestionType.YES_NO:
        return ["yes" if value else "no"]
    return [str(value)]


def lines_for(db: Path, scratch: Path, script_id: str, answers: dict[Any, Any]) -> list[str]:
    """A dry run on a copy of the database: the lines to type, by step id (or (step, part))."""
    for suffix in ("", "-wal"):
        source = Path(str(db) + suffix)
        if source.exists():
            shutil.copy(source, Path(str(scratch) + suffix))
    catalog = load_catalog([builtin_dir()])
    given = {
        k: (list(v) if isinstance(v, list) and k not in MULTI else v) for k, v in answers.items()
    }
    out: list[str] = []
    with Store.open(scratch) as store:
        running = session.start(store, catalog.scripts[script_id], "Sam", catalog=catalog)
        conv = running.conversation
        while (q := conv.turn.question) is not None:
            assert len(out) < 400, out[-6:]
            key = (q.step.id, q.part) if q.part is not None else q.step.id
            value = given.get(key, given.get(q.step.id, "__default__"))
            if isinstance(value, list) and key not in MULTI:
                value = value.pop(0) if value else "__default__"
            if value == "__default__":
                value = default(q.step)
            if value is None:
                conv.skip()
                out += typed(q.step, None, None)
                continue
            conv.answer(value)
            out += typed(q.step, value, conv.history[-1].value)
    for suffix in ("", "-wal", "-shm"):
        Path(str(scratch) + suffix).unlink(missing_ok=True)
    return out


MULTI = {"smart", "obstacles_out", "obstacles_in", "who_knows", "contact", "in_scope",
         "way_out", "kept", "stalled", "changes", "pay_forward"}  # fmt: skip


def cli(tmp_path: Path, day: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = env_for(tmp_path)
    env["REFLECTCOACH_TODAY"] = day
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def converse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: str, script_id: str, answers: dict
) -> str:
    monkeypatch.setenv("REFLECTCOACH_TODAY", day)
    lines = lines_for(tmp_path / "r.db", tmp_path / "scratch.db", script_id, answers)
    done = cli(
        tmp_path, day, "start", script_id, "-m", "Sam", "--plain", stdin="\n".join(lines) + "\n"
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    brief = cli(tmp_path, day, "brief", "-m", "Sam")
    assert brief.returncode == 0, brief.stderr
    assert len(brief.stdout.splitlines()) <= 24  # one page for a typical mentorship
    return brief.stdout


def test_six_months_of_a_mentorship_through_plain_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    converse(tmp_path, monkeypatch, "2026-01-08", "find_a_mentor", {})
    brief = converse(
        tmp_path,
        monkeypatch,
        "2026-01-20",
        "first_meeting",
        {
            "role": "mentee",
            "name": "Ana",
            "partner": "Sam",
            "manages": False,
            "months": 6,
            "midpoint": "2026-04-15",
            "frequency": "monthly",
        },
    )
    assert "you are the mentee · with Sam · since 2026-01-" in brief
    assert "midpoint review Wednesday 15 April 2026 (in 85 days)" in brief

    brief = converse(
        tmp_path,
        monkeypatch,
        "2026-01-27",
        "goal_setting",
        {
            "who": "mentee",
            "goal": FIRST_GOAL,
            "baseline": 4,
            "next_step": "Book a slot with the team",
            "next_date": "2026-02-10",
            "commitment": 9,
        },
    )
    assert f"Goal:\n  {FIRST_GOAL}\n" in brief
    assert (
        "Open commitments (1):\n  open · Book a slot with the team · due Tuesday 10 February"
        in brief
    )

    brief = converse(
        tmp_path,
        monkeypatch,
        "2026-02-24",
        "check_in",
        {
            "role": "mentee",
            "moment": "after",
            ("after_follow_up", "status"): "partly",
            ("after_follow_up", "reason"): "the room",
            ("after_follow_up", "due"): "2026-03-10",
            "next_step": "Draft the agenda",
            "next_date": "2026-03-10",
            "sure": 9,
        },
    )
    assert "partly done · Book a slot with the team · due Tuesday 10 March 2026" in brief
    assert "Overdue: nothing" in brief

    brief = converse(
        tmp_path,
        monkeypatch,
        "2026-04-15",
        "midpoint_review",
        {
            "role": "mentee",
            "last_time": ["done", "done"],
            "rerate": 6,
            "goal_still": "adjust",
            "new_goal": NEW_GOAL,
            "decision": "continue",
            "next_step": "Run the May meeting",
            "next_date": "2026-05-20",
        },
    )
    assert f"Goal:\n  {NEW_GOAL}\n" in brief
    assert f"re-aimed: \u201c{FIRST_GOAL}\u201d -> \u201c{NEW_GOAL}\u201d" in brief
    assert "4 -> 6 (of 1-10)" in brief

    brief = converse(
        tmp_path,
        monkeypatch,
        "2026-07-10",  # the May step is long overdue
        "closing",
        {
            "role": "mentee",
            "name": "Ana",
            "rerate": 8,
            "goal_met": "yes",
            ("open_commitments", "status"): "partly",
            ("open_commitments", "reason"): "the last review",
            ("open_commitments", "due"): None,  # carried on as my own
        },
    )
    assert brief.startswith("Brief: Sam (closed)")
    assert f"Goal:\n  {NEW_GOAL} (reached)\n" in brief
    assert "4 -> 6 -> 8 (of 1-10)" in brief
    assert "Overdue: nothing" in brief
    with Store.open(tmp_path / "r.db") as store:
        closing = next(r for r in store.conversations() if r["script_id"] == "closing")
        record = store.conversation(closing["id"])["record"]
        assert f"**The goal, as it stands:** {NEW_GOAL}" in record
        assert f"**As first set:** {FIRST_GOAL}" in record
        assert store.mentorships.get("Sam").closed
        # Every conversation stamped on its simulated day (one clock).
        days = sorted(r["started_at"][:10] for r in store.conversations())
        assert days == ["2026-01-08", "2026-01-20", "2026-01-27", "2026-02-24", "2026-04-15",
                        "2026-07-10"]  # fmt: skip
