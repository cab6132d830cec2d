"""Commitments that never go stale (issue 21, item 3), with the built-ins: an after-meeting
check-in follows up too, unless the commitments were followed up that day; the outcomes reach
the notes the person brings; closing's "Partly" gets a date or is carried on with none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reflectcoach.script.loader import load_file
from reflectcoach.script.model import QuestionType, Script
from reflectcoach.script.registry import builtin_dir
from reflectcoach.services import session
from reflectcoach.store import Store


def builtin(script_id: str) -> Script:
    [path] = builtin_dir().glob(f"*-{script_id}.yaml")
    loaded = load_file(path)
    assert loaded.script is not None
    return loaded.script


def default(step: Any) -> Any:
    kind = step.type
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        return step.options[0].value
    if kind is QuestionType.YES_NO:
        return "no"
    if kind is QuestionType.DATE:
        return "in 2 weeks"
    if kind in (QuestionType.SCALE, QuestionType.NUMBER):
        return str(int(step.max or 10))  # sure of it: no loop back to change the step
    return f"Answer for {step.id}"


def drive(store: Store, script_id: str, mentorship: str, answers: dict[Any, Any]):
    """Answer by step id (or (step id, part) for a follow-up); defaults for the rest. Returns
    the session and the step ids asked, in order."""
    running = session.start(store, builtin(script_id), mentorship)
    conv = running.conversation
    asked = []
    while (q := conv.turn.question) is not None:
        assert len(asked) < 200, asked[-10:]
        asked.append((q.step.id, q.part))
        if q.commitment is not None:
            asked.append(("about", q.commitment))
        key = (q.step.id, q.part) if q.part is not None else q.step.id
        answer = answers.get(key, answers.get(q.step.id, default(q.step)))
        if isinstance(answer, list):  # one per visit, then the defaults
            answer = answer.pop(0) if answer else default(q.step)
        if answer is None:
            conv.skip()
        else:
            conv.answer(answer)
    return running, asked


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch):
    def set_day(iso: str) -> None:
        monkeypatch.setenv("REFLECTCOACH_TODAY", iso)

    set_day("2026-02-02")
    return set_day


def test_an_after_meeting_check_in_follows_up_unless_done_that_day(tmp_path: Path, day) -> None:
    with Store.open(tmp_path / "r.db") as store:
        drive(store, "check_in", "Sam", {"moment": "after", "next_step": "Draft the memo"})
        day("2026-02-16")
        # After the next meeting: the memo is followed up, and reaches the notes.
        running, asked = drive(
            store,
            "check_in",
            "Sam",
            {
                "moment": "after",
                ("after_follow_up", "status"): "partly",
                ("after_follow_up", "reason"): "the numbers",
                ("after_follow_up", "due"): "2026-02-20",
            },
        )
        assert ("after_follow_up", "due") in asked
        record = store.conversation(running.id)["record"]
        assert "## Where my steps stand" in record
        assert "- Draft the memo: partly (what is left: the numbers), now by Friday 20 " in record
        memo = next(c for c in store.commitments.all(mentorship="Sam") if "memo" in c.text)
        assert (memo.status, memo.due) == ("partly", dt.date(2026, 2, 20))
        # A second check-in the same day does not ask about it again.
        _, again = drive(store, "check_in", "Sam", {"moment": "after"})
        assert ("about", memo.id) not in again


def test_the_check_in_before_brings_the_outcomes_to_the_meeting(tmp_path: Path, day) -> None:
    with Store.open(tmp_path / "r.db") as store:
        drive(store, "check_in", "Sam", {"moment": "after", "next_step": "Draft the memo"})
        day("2026-02-16")
        running, _ = drive(
            store,
            "check_in",
            "Sam",
            {"moment": "before", ("last_time", "status"): "done"},
        )
        record = store.conversation(running.id)["record"]
        assert "## What became of last time's steps\n- Draft the memo: done" in record


def test_closing_leaves_nothing_overdue(tmp_path: Path, day) -> None:
    with Store.open(tmp_path / "r.db") as store:
        drive(store, "check_in", "Sam", {"moment": "after", "next_step": "Draft the memo"})
        day("2026-05-01")  # long past the memo's date
        drive(
            store,
            "closing",
            "Sam",
            {
                ("open_commitments", "status"): "partly",
                ("open_commitments", "reason"): "the last section",
                ("open_commitments", "due"): None,  # carried on as my own
            },
        )
        [memo] = store.commitments.all(mentorship="Sam")
        assert memo.status == "partly" and memo.due is None
        assert store.mentorships.get("Sam").closed
        overdue = [
            c for c in store.commitments.all(mentorship="Sam") if c.due and c.due < dt.date.today()
        ]
        assert overdue == []


def test_talking_points_reach_the_agenda_and_are_marked_after_the_meeting(
    tmp_path: Path, day
) -> None:
    with Store.open(tmp_path / "r.db") as store:
        store.state.add_point("Sam", "Ask about the budget")
        store.state.add_point("Sam", "The offsite")
        # The check-in before the meeting offers the open ones on its agenda.
        before = session.start(store, builtin("check_in"), "Sam").conversation
        while (q := before.turn.question) is not None and q.step.id != "agenda":
            before.answer(default(q.step) if q.step.id != "moment" else "before")
        assert q is not None
        assert q.offered == "- Ask about the budget\n- The offsite" and q.prefilled
        # After it, each is marked discussed or carried forward.
        running, asked = drive(
            store,
            "check_in",
            "Sam",
            {"moment": "after", "raised": ["discussed", "carried"]},
        )
        assert [a for a in asked if a[0] == "raised"] == [("raised", "status")] * 2
        open_now = [p.text for p in store.state.points("Sam")]
        assert open_now == ["The offsite"]
        record = store.conversation(running.id)["record"]
        assert "- Ask about the budget: discussed" in record
        assert "- The offsite: carried forward" in record


def test_first_meeting_offers_what_find_a_mentor_collected(tmp_path: Path, day) -> None:
    with Store.open(tmp_path / "r.db") as store:
        drive(
            store,
            "find_a_mentor",
            None,  # before there is a mentor: about no one yet
            {"learn": "How to lead without authority", "why_now": "A new team in March"},
        )
        running = session.start(store, builtin("first_meeting"), "Sam")
        conv = running.conversation
        offered = {}
        while (q := conv.turn.question) is not None and q.step.id != "success":
            if q.step.id in ("why_now", "hopes"):
                offered[q.step.id] = (q.offered, q.prefilled)
            conv.answer(q.offered if q.offered is not None else default(q.step))
        assert offered == {
            "why_now": ("A new team in March", True),
            "hopes": ("How to lead without authority", True),
        }
