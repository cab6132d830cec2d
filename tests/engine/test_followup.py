"""Commitments in the engine: made at completion, and the follow_up step's walk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reflectcoach.engine.conversation import AnswerError, Conversation, Entry
from reflectcoach.engine.followup import Made, Outcome
from reflectcoach.script.loader import load_file, load_text
from reflectcoach.script.model import Script

FIXTURES = Path(__file__).parent.parent / "fixtures" / "commitments"
TODAY = "2026-12-01"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", TODAY)


@dataclass(frozen=True)
class Open:
    id: str
    text: str
    due: dt.date | None = None
    goal: str | None = None


class Journal:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def answered(self, **kw: Any) -> None:
        self.calls.append(("answered", kw))

    def moved(self, **kw: Any) -> None:
        self.calls.append(("moved", kw))

    def completed(self, **kw: Any) -> None:
        self.calls.append(("completed", kw))

    @property
    def finished(self) -> dict[str, Any]:
        [found] = [kw for name, kw in self.calls if name == "completed"]
        return found


def script(name: str) -> Script:
    result = load_file(FIXTURES / f"{name}.yaml")
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


THREE = (
    Open("c3", "Undated chat"),
    Open("c1", "Call Ana", dt.date(2026, 12, 4), "Grow as a lead"),
    Open("c2", "Read the book", dt.date(2026, 11, 20)),
)


def ordered(items: tuple[Open, ...]) -> list[Open]:
    """As the store gives them: oldest due first, undated last."""
    return sorted(items, key=lambda c: (c.due is None, c.due or dt.date.min))


def test_a_plan_makes_its_commitments_only_at_completion() -> None:
    journal = Journal()
    conv = Conversation(script("plan"), journal=journal)
    for answer in ["Grow as a lead", "Call Ana", "2026-12-04", "Read the book"]:
        conv.answer(answer)
    assert not any(name == "completed" for name, _ in journal.calls)
    conv.skip()
    assert conv.finished
    assert list(journal.finished["made"]) == [
        Made("Call Ana", "2026-12-04", "Grow as a lead", "first_step", 1),
        Made("Read the book", None, "Grow as a lead", "second_step", 3),
    ]
    assert list(journal.finished["outcomes"]) == []


def test_a_skipped_commitment_makes_none() -> None:
    journal = Journal()
    conv = Conversation(script("plan"), journal=journal)
    for answer in ["Grow", "Call Ana", "2026-12-04"]:
        conv.answer(answer)
    conv.skip()  # second_step
    conv.skip()  # second_date
    assert [m.text for m in journal.finished["made"]] == ["Call Ana"]


def test_no_open_commitments_passes_the_follow_up_over_unrecorded() -> None:
    journal = Journal()
    conv = Conversation(script("check_in"), journal=journal, follow_ups=())
    question = conv.turn.question
    assert question is not None and question.step.id == "mood"
    assert [s.text for s in conv.turn.says] == ["Let's look back first."]
    conv.answer("4")
    assert [kw["step_id"] for _, kw in journal.calls] == ["mood"]


def test_one_commitment_done() -> None:
    journal = Journal()
    pending = [Open("c1", "Call Ana", dt.date(2026, 12, 4), "Grow as a lead")]
    conv = Conversation(script("check_in"), journal=journal, follow_ups=pending)
    question = conv.turn.question
    assert question is not None and question.step.id == "last_time"
    assert question.text == (
        "Last time you said you'd *Call Ana* by *Friday 4 December 2026*. How did it go?"
    )
    assert question.hint == "For: Grow as a lead"
    assert question.options == (
        ("done", "Done"),
        ("partly", "Partly"),
        ("not_yet", "Not yet"),
        ("dropped", "Dropped"),
    )
    assert question.commitment == "c1" and question.part == "status"
    turn = conv.answer("Done")
    assert turn.question is not None and turn.question.step.id == "mood"
    [(_, answered)] = journal.calls
    assert answered["commitment"] == "c1" and answered["qtype"] == "choice"
    assert answered["value"] == "done" and answered["text"] == "Done"
    conv.answer("3")
    conv.answer("Plan the next talk")
    conv.skip()
    assert list(journal.finished["outcomes"]) == [Outcome("c1", "done")]
    assert [m.text for m in journal.finished["made"]] == ["Plan the next talk"]


def walk_three(conv: Conversation) -> list[tuple[str | None, str | None, str]]:
    """Answer the three follow-ups; returns (commitment, part, question) as asked."""
    asked = []
    answers = {
        ("c2", "status"): "not yet",
        ("c2", "due"): "2026-12-10",
        ("c1", "status"): "partly",
        ("c1", "reason"): "The second call",
        ("c1", "due"): "2026-12-17",
        ("c3", "status"): "4",
        ("c3", "reason"): "No time left",
    }
    while conv.turn.question is not None and conv.turn.question.step.id == "last_time":
        q = conv.turn.question
        asked.append((q.commitment, q.part, q.text))
        conv.answer(answers[(q.commitment, q.part)])  # type: ignore[index]
    return asked


def test_three_commitments_oldest_due_first_undated_last_with_their_parts() -> None:
    journal = Journal()
    conv = Conversation(script("check_in"), journal=journal, follow_ups=ordered(THREE))
    asked = walk_three(conv)
    assert [(c, p) for c, p, _ in asked] == [
        ("c2", "status"),
        ("c2", "due"),
        ("c1", "status"),
        ("c1", "reason"),
        ("c1", "due"),
        ("c3", "status"),
        ("c3", "reason"),
    ]
    assert asked[1][2] == "By when now?"
    assert asked[3][2] == "What is left?"
    # "Partly" gets a new date too, so it never stays overdue (issue 21).
    assert asked[4][2] == "By when now?"
    assert asked[6][2] == "What made you let it go?"
    assert "by **" in asked[5][2]  # an undated commitment: its due reads as nothing
    # Each part is its own answer row of the one step, as the known question kinds.
    rows = [kw for name, kw in journal.calls if name == "answered"]
    assert [r["seq"] for r in rows] == [0, 1, 2, 3, 4, 5, 6]
    assert [r["qtype"] for r in rows] == [
        *("choice", "date", "choice", "text", "date", "choice", "text"),
    ]
    assert {r["step_id"] for r in rows} == {"last_time"}
    conv.answer("2")
    conv.answer("Next")
    conv.skip()
    assert sorted(journal.finished["outcomes"], key=lambda o: o.commitment_id) == [
        Outcome("c1", "partly", due="2026-12-17", reason="The second call"),
        Outcome("c2", "not_yet", due="2026-12-10"),
        Outcome("c3", "dropped", reason="No time left"),
    ]


def test_not_yet_needs_a_date_from_today_on_and_reasons_may_be_skipped() -> None:
    conv = Conversation(script("check_in"), follow_ups=[THREE[1]])
    conv.answer("not_yet")
    with pytest.raises(AnswerError):
        conv.answer("2026-11-30")  # before today
    with pytest.raises(AnswerError):
        conv.answer("someday")
    with pytest.raises(AnswerError):
        conv.skip()
    conv.answer(TODAY)
    assert conv.turn.question is not None and conv.turn.question.step.id == "mood"
    conv = Conversation(script("check_in"), follow_ups=[THREE[1]])
    conv.answer("dropped")
    conv.skip()
    assert conv.turn.question is not None and conv.turn.question.step.id == "mood"


def test_back_through_a_follow_up_offers_each_part_again_and_a_new_status_drops_its_date() -> None:
    journal = Journal()
    conv = Conversation(script("check_in"), journal=journal, follow_ups=ordered(THREE))
    walk_three(conv)
    for _ in range(7):
        conv.back()
    q = conv.turn.question
    assert q is not None and (q.commitment, q.part, q.offered) == ("c2", "status", "not_yet")
    conv.answer("not_yet")
    q = conv.turn.question
    assert q is not None and (q.part, q.offered) == ("due", "2026-12-10")
    conv.back()
    assert conv.turn.question is not None and conv.turn.question.part == "status"
    conv.answer("done")  # the date after it no longer applies
    q = conv.turn.question
    assert q is not None and (q.commitment, q.part, q.offered) == ("c1", "status", None)
    assert journal.calls[-1][1]["discard_from"] == 1
    conv.answer("done")
    conv.answer("done")
    conv.answer("5")
    conv.answer("Next")
    conv.skip()
    assert {o.commitment_id: o.status for o in journal.finished["outcomes"]} == {
        "c1": "done",
        "c2": "done",
        "c3": "done",
    }


def test_resume_mid_follow_up_asks_exactly_where_it_stopped() -> None:
    first = Conversation(script("check_in"), follow_ups=ordered(THREE))
    first.answer("not_yet")
    first.answer("2026-12-10")
    first.answer("partly")
    entries = first.entries
    assert [(e.commitment, e.part) for e in entries] == [
        ("c2", "status"),
        ("c2", "due"),
        ("c1", "status"),
    ]
    stored = [
        Entry(e.step_id, e.value, e.text, e.question, e.skipped, e.commitment, e.part)
        for e in entries
    ]
    again = Conversation(
        script("check_in"),
        follow_ups=ordered(THREE),
        entries=stored,
        position=3,
        current_step="last_time",
    )
    assert again.notice is None
    q = again.turn.question
    assert q is not None and (q.commitment, q.part, q.text) == ("c1", "reason", "What is left?")


def test_conditions_and_interpolation_still_read_other_steps() -> None:
    text = """
id: cond
title: Cond
summary: s
audience: mentee
steps:
  name:
    ask: Your name?
  fu:
    type: follow_up
    ask: "{name}, you said {commitment.text}. How did it go?"
    next:
      - if: name == "Ana"
        go: ana
      - go: other
  ana:
    say: Hi {name}.
    end: true
  other:
    say: Bye.
"""
    result = load_text(text)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    conv = Conversation(result.script, follow_ups=[THREE[1]])
    conv.answer("Ana")
    assert conv.turn.question is not None
    assert conv.turn.question.text == "Ana, you said Call Ana. How did it go?"
    turn = conv.answer("done")
    assert [s.text for s in turn.says] == ["Hi Ana."]
    assert conv.finished


def test_when_reads_whole_with_or_without_a_date() -> None:
    from reflectcoach.engine.followup import field

    dated = Open("c1", "Call Ana", dt.date(2026, 12, 4))
    undated = Open("c2", "Read the book", None)
    assert field(dated, "when") == "by Friday 4 December 2026"
    assert field(undated, "when") == "with no date set"
    assert field(undated, "due") == ""


def test_partly_asks_by_when_now_like_not_yet() -> None:
    journal = Journal()
    conv = Conversation(script("check_in"), journal=journal, follow_ups=ordered(THREE[:1]))
    conv.answer("partly")
    q = conv.turn.question
    assert q is not None and q.part == "reason"
    conv.skip()
    q = conv.turn.question
    assert q is not None and (q.part, q.text) == ("due", "By when now?")
    assert not q.step.optional  # outside a closing, a date is needed
    conv.answer("2026-12-24")


CLOSING = """
id: close_it
title: Close
summary: s
audience: mentee
closes_mentorship: true
steps:
  open:
    type: follow_up
    ask: "You said {commitment.text}. Where is it?"
"""


def test_at_closing_partly_gets_a_date_or_is_carried_on_as_ones_own() -> None:
    from reflectcoach.script.loader import load_text

    closing = load_text(CLOSING).script
    assert closing is not None
    journal = Journal()
    conv = Conversation(closing, journal=journal, follow_ups=ordered(THREE[:2]))
    conv.answer("partly")
    conv.answer("The last chapter")
    q = conv.turn.question
    assert q is not None and q.part == "due" and q.step.optional
    assert q.hint is not None and "carry it on as your own" in q.hint
    conv.skip()  # carried on as my own: no date, never overdue
    conv.answer("not_yet")
    conv.answer("2027-01-10")
    assert conv.finished
    found = {o.commitment_id: o for o in journal.finished["outcomes"]}
    first, second = (o.id for o in ordered(THREE[:2]))
    assert found[first].carried and found[first].due is None
    assert not found[second].carried and found[second].due == "2027-01-10"
