"""The conversation engine: answers, branches, skip, back, interpolation, resume."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reflectcoach.engine.conversation import DONE, AnswerError, Conversation, Entry
from reflectcoach.script.loader import load_file, load_text
from reflectcoach.script.model import Script

HERE = Path(__file__).parent


class Journal:
    """Records the engine's journal calls, like the store would receive them."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def answered(self, **kw: Any) -> None:
        self.calls.append(("answered", kw))

    def moved(self, **kw: Any) -> None:
        self.calls.append(("moved", kw))

    def completed(self, **kw: Any) -> None:
        self.calls.append(("completed", kw))


@pytest.fixture
def script() -> Script:
    result = load_file(HERE / "every_type.yaml")
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


def walk(conv: Conversation, answers: dict[str, Any]) -> None:
    while not conv.finished:
        question = conv.turn.question
        assert question is not None
        conv.answer(answers[question.step.id])


def test_first_turn_shows_nothing_before_the_first_question(script: Script) -> None:
    conv = Conversation(script)
    assert conv.turn.says == ()
    assert conv.turn.question is not None
    assert conv.turn.question.step.id == "name"
    assert conv.turn.question.number == 1


def test_answer_moves_through_say_steps_and_interpolates(script: Script) -> None:
    conv = Conversation(script)
    turn = conv.answer("  Ana  ")
    assert [s.text for s in turn.says] == ["Hi Ana. A few questions."]
    assert turn.question is not None and turn.question.step.id == "role"
    assert turn.question.options == (("mentor", "I'm the mentor"), ("mentee", "I'm the mentee"))
    assert conv.values == {"name": "Ana"}


def test_a_whole_conversation_ends_with_a_record(script: Script) -> None:
    journal = Journal()
    conv = Conversation(script, journal=journal)
    walk(
        conv,
        {
            "name": "Ana",
            "role": "2",
            "hopes": "Grow as a lead",
            "blockers": "time, fear",
            "confidence": "4",
            "sure": "y",
            "hours": "2.5",
        },
    )
    assert conv.finished and conv.state == DONE
    assert conv.values == {
        "name": "Ana",
        "role": "mentee",
        "hopes": "Grow as a lead",
        "blockers": ["time", "fear"],
        "confidence": 4,
        "sure": True,
        "hours": 2.5,
    }
    record = conv.record_text()
    assert record is not None
    assert "Role: I'm the mentee. Hopes: Grow as a lead. Confidence 4. Sure: yes. Hours: 2.5." in (
        record
    )
    kinds = [name for name, _ in journal.calls]
    assert kinds == ["answered"] * 7 + ["completed"]
    assert journal.calls[-1][1]["current_step"] == DONE
    assert [kw["seq"] for _, kw in journal.calls[:-1]] == list(range(7))
    assert conv.turn.says[-1].text == "Thanks Ana. Your role is I'm the mentee."


@pytest.mark.parametrize("raw", ["mentor", "I'm the mentor", "i'M THE MENTOR", "1", " 1 "])
def test_choice_accepts_value_label_or_number(script: Script, raw: str) -> None:
    conv = Conversation(script)
    conv.answer("Ana")
    conv.answer(raw)
    assert conv.values["role"] == "mentor"


def test_choice_rejects_with_a_clear_message(script: Script) -> None:
    conv = Conversation(script)
    conv.answer("Ana")
    with pytest.raises(AnswerError, match=r"Pick 1-2 or type one of: mentor, mentee"):
        conv.answer("3")
    assert conv.turn.question is not None and conv.turn.question.step.id == "role"


def to_step(conv: Conversation, step_id: str, answers: dict[str, Any]) -> None:
    while conv.turn.question is not None and conv.turn.question.step.id != step_id:
        conv.answer(answers[conv.turn.question.step.id])


BASE = {"name": "Ana", "role": "mentee", "hopes": "Lead", "blockers": "time"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("time, fear", ["time", "fear"]),
        ("fear,time", ["time", "fear"]),  # stored in option order
        ("3", ["unclear"]),
        ("It isn't clear yet", ["unclear"]),
        (["fear", "1"], ["time", "fear"]),
        ("time, time", ["time"]),
    ],
)
def test_multi_accepts_lists_and_comma_separated(script: Script, raw: Any, expected: list) -> None:
    conv = Conversation(script)
    to_step(conv, "blockers", BASE)
    conv.answer(raw)
    assert conv.values["blockers"] == expected


@pytest.mark.parametrize("raw", ["", "nope", "time, nope", "9"])
def test_multi_rejects_unknown_options(script: Script, raw: str) -> None:
    conv = Conversation(script)
    to_step(conv, "blockers", BASE)
    with pytest.raises(AnswerError):
        conv.answer(raw)


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("5", 5), ("completely", 5), (3, 3)])
def test_scale_within_bounds_or_by_end_label(script: Script, raw: Any, expected: int) -> None:
    conv = Conversation(script)
    to_step(conv, "confidence", BASE)
    conv.answer(raw)
    assert conv.values["confidence"] == expected


@pytest.mark.parametrize("raw", ["0", "6", "2.5", "lots", True])
def test_scale_rejects_out_of_range(script: Script, raw: Any) -> None:
    conv = Conversation(script)
    to_step(conv, "confidence", BASE)
    with pytest.raises(AnswerError, match="Pick a whole number from 1 to 5"):
        conv.answer(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("y", True), ("YES", True), ("true", True), ("n", False), ("No", False)]
)
def test_yes_no_words(script: Script, raw: str, expected: bool) -> None:
    conv = Conversation(script)
    to_step(conv, "sure", {**BASE, "confidence": 4})
    conv.answer(raw)
    if expected:
        assert conv.values["sure"] is True
    else:  # "no" loops back to hopes
        assert conv.turn.question is not None and conv.turn.question.step.id == "hopes"


def test_yes_no_rejects_other_words(script: Script) -> None:
    conv = Conversation(script)
    to_step(conv, "sure", {**BASE, "confidence": 4})
    with pytest.raises(AnswerError, match="yes or no"):
        conv.answer("maybe")


@pytest.mark.parametrize("raw", ["-1", "81", "abc", "nan", "inf"])
def test_number_bounds(script: Script, raw: str) -> None:
    conv = Conversation(script)
    to_step(conv, "hours", {**BASE, "confidence": 4, "sure": "y"})
    with pytest.raises(AnswerError, match="Type a number from 0 to 80"):
        conv.answer(raw)


BIG = "9" * 310  # fits a Python int, not a float, SQLite's INTEGER or a plot


@pytest.mark.parametrize(
    "raw",
    [BIG, "-" + BIG, "1e16", 10**16, -(10**16), 1e300],
    ids=["310 digits", "-310 digits", "1e16", "int 10**16", "int -10**16", "float 1e300"],
)
def test_a_number_beyond_what_the_store_can_hold_is_refused(raw: object) -> None:
    loaded = load_text(
        "id: n\ntitle: N\nsummary: s\naudience: anyone\nversion: 1\n"
        "steps:\n  n:\n    ask: How many?\n    type: number\n    min: 0\n",
        "n.yaml",
    )
    assert loaded.script is not None, loaded.diagnostics
    conv = Conversation(loaded.script)
    with pytest.raises(
        AnswerError, match=r"too large to keep\. Type a number from 0 to 1000000000000000"
    ):
        conv.answer(raw)
    assert conv.position == 0
    conv.answer("1_000_000_000_000_000")  # the bound itself is kept
    assert conv.values["n"] == 10**15


def test_text_must_not_be_empty(script: Script) -> None:
    conv = Conversation(script)
    with pytest.raises(AnswerError, match="Type an answer"):
        conv.answer("   ")


def test_skip_only_optional_questions(script: Script) -> None:
    conv = Conversation(script)
    with pytest.raises(AnswerError, match="can't be skipped"):
        conv.skip()
    to_step(conv, "blockers", BASE)
    conv.skip()
    assert conv.history[-1] == Entry("blockers", None, "", "What gets in the way?", True)


def test_a_skipped_step_makes_conditions_false_not_errors(script: Script) -> None:
    conv = Conversation(script)
    to_step(conv, "blockers", BASE)
    conv.skip()
    turn = conv.answer("1")  # confidence 1, but blockers is None: `"time" in blockers` is false
    assert turn.question is not None and turn.question.step.id == "sure"


def test_branch_taken_when_condition_holds(script: Script) -> None:
    conv = Conversation(script)
    to_step(conv, "confidence", BASE)
    turn = conv.answer("2")
    assert turn.question is not None and turn.question.step.id == "make_room"
    assert turn.question.text == 'What could you stop doing to make room for "Lead"?'


def test_mentor_branch_passes_a_say_step(script: Script) -> None:
    conv = Conversation(script)
    to_step(conv, "confidence", {**BASE, "role": "mentor"})
    turn = conv.answer("4")
    assert [s.step_id for s in turn.says] == ["mentor_note"]
    assert turn.question is not None and turn.question.step.id == "sure"


def test_back_offers_the_earlier_answer_and_keeps_it_stored(script: Script) -> None:
    journal = Journal()
    conv = Conversation(script, journal=journal)
    to_step(conv, "hopes", BASE)
    turn = conv.back()
    assert turn.question is not None and turn.question.step.id == "role"
    assert turn.question.offered == "mentee"
    assert journal.calls[-1] == ("moved", {"position": 1, "current_step": "role"})
    assert conv.values == {"name": "Ana"}
    turn = conv.answer(turn.question.offered)
    assert turn.question is not None and turn.question.step.id == "hopes"


def test_back_at_the_first_question_is_refused(script: Script) -> None:
    conv = Conversation(script)
    with pytest.raises(AnswerError, match="first question"):
        conv.back()


def test_changed_answer_on_a_new_path_discards_the_abandoned_answers(script: Script) -> None:
    journal = Journal()
    conv = Conversation(script, journal=journal)
    to_step(conv, "sure", {**BASE, "confidence": "2", "make_room": "Cut meetings"})
    assert conv.values["make_room"] == "Cut meetings"
    conv.back()  # to make_room
    conv.back()  # to confidence
    offered = conv.turn.question
    assert offered is not None and offered.offered == 2
    turn = conv.answer("4")  # now skips make_room
    assert turn.question is not None and turn.question.step.id == "sure"
    assert "make_room" not in conv.values
    assert [e.step_id for e in conv.entries] == ["name", "role", "hopes", "blockers", "confidence"]
    last = journal.calls[-1][1]
    assert last["step_id"] == "confidence" and last["discard_from"] == 5


def test_same_path_after_back_keeps_later_answers_to_offer(script: Script) -> None:
    journal = Journal()
    conv = Conversation(script, journal=journal)
    to_step(conv, "confidence", BASE)
    conv.back()  # blockers
    conv.back()  # hopes
    turn = conv.answer("Lead better")
    assert turn.question is not None and turn.question.offered == ["time"]
    assert journal.calls[-1][1]["discard_from"] is None
    assert conv.values["hopes"] == "Lead better"


def test_loop_back_reasks_and_latest_answer_wins(script: Script) -> None:
    conv = Conversation(script)
    to_step(conv, "sure", {**BASE, "confidence": 4})
    turn = conv.answer("no")
    assert turn.question is not None and turn.question.step.id == "hopes"
    walk(conv, {**BASE, "hopes": "Lead calmly", "confidence": 4, "sure": "yes", "hours": 3})
    assert conv.values["hopes"] == "Lead calmly"
    assert [e.step_id for e in conv.history].count("hopes") == 2


def test_resume_restores_exactly_where_it_stopped(script: Script) -> None:
    journal = Journal()
    conv = Conversation(script, journal=journal)
    to_step(conv, "confidence", {**BASE, "role": "mentor"})
    last = journal.calls[-1][1]
    again = Conversation(
        script,
        entries=conv.entries,
        position=last["position"],
        current_step=last["current_step"],
    )
    assert again.turn.question is not None and again.turn.question.step.id == "confidence"
    assert again.values == conv.values
    assert again.answer("4").says[0].text == "As a mentor, Ana, listen more than you speak."


def test_resume_at_a_step_the_script_lost_starts_over_and_says_so(script: Script) -> None:
    conv = Conversation(script, current_step="vanished")
    assert conv.turn.question is not None and conv.turn.question.step.id == "name"
    assert conv.notice is not None and "'vanished' is no longer in it" in conv.notice


def test_answers_are_markdown_escaped_inside_coach_text(script: Script) -> None:
    conv = Conversation(script)
    turn = conv.answer("[link](http://x) **b**")
    say = turn.says[0]
    assert say.text == "Hi [link](http://x) **b**. A few questions."
    assert "\\[link\\]" in say.markdown and "\\*\\*b\\*\\*" in say.markdown


def test_a_failing_journal_leaves_the_conversation_unchanged(script: Script) -> None:
    class Broken(Journal):
        def answered(self, **kw: Any) -> None:
            raise OSError("disk full")

    conv = Conversation(script, journal=Broken())
    with pytest.raises(OSError):
        conv.answer("Ana")
    assert conv.position == 0 and conv.entries == [] and conv.state == "name"
    assert conv.turn.question is not None and conv.turn.question.step.id == "name"


def test_progress_counts_done_and_the_fewest_left(script: Script) -> None:
    conv = Conversation(script)
    # name role hopes blockers confidence sure hours; make_room and the loop back may add more
    assert conv.progress == (0, 7, False) and conv.progress.plain() == "[1/7+]"
    conv.answer("Ana")
    assert conv.progress == (1, 7, False)
    for answer in ("mentee", "x", "time", "4", "y"):
        conv.answer(answer)
    assert conv.progress == (6, 7, True) and conv.progress.words() == "Question 7 of 7"
    conv.answer("3")
    assert conv.progress == (7, 7, True)


def test_script_strings_never_reach_transitions_as_callbacks(script: Script) -> None:
    conv = Conversation(script)
    for event in conv.machine.events.values():
        for transitions in event.transitions.values():
            for transition in transitions:
                for condition in transition.conditions:
                    assert callable(condition.func) and not isinstance(condition.func, str)
                assert transition.before == [] and transition.after == []
                assert transition.prepare == []


def test_a_script_naming_python_callables_stays_inert() -> None:
    result = load_text(
        """
id: sneaky
title: t
summary: s
audience: anyone
steps:
  os:
    ask: q
    after: os.system
    next:
      - if: os == "rm -rf /"
        go: system
      - go: system
  system:
    say: bye
"""
    )
    assert result.script is None
    assert any("after" in d.message for d in result.diagnostics)


def test_record_leaves_out_lines_for_skipped_answers() -> None:
    result = load_text(
        "id: r\ntitle: t\nsummary: s\naudience: anyone\n"
        "record: |\n  # Card\n  Worry: {worry}\n  Goal: {goal}\n"
        "steps:\n  worry:\n    ask: Any worry?\n    optional: true\n  goal:\n    ask: Goal?\n"
    )
    assert result.script is not None, result.diagnostics
    conv = Conversation(result.script)
    conv.skip()
    conv.answer("Ship *it*")
    assert conv.record_text() == "# Card\nGoal: Ship *it*\n"
    assert conv.record_markdown() == "# Card\nGoal: Ship \\*it\\*\n"


def test_recall_asks_the_store_once_per_reference() -> None:
    result = load_text(
        "id: r\ntitle: t\nsummary: s\naudience: anyone\n"
        "steps:\n"
        "  a:\n    ask: 'Last time: {recall.other.goal}. Still {recall.other.goal}?'\n"
        '    next:\n      - if: recall.other.goal == "Ship"\n        go: b\n      - go: b\n'
        "  b:\n    say: 'Goal was {recall.other.goal}.'\n"
    )
    assert result.script is not None, result.diagnostics
    asked: list[tuple[str, str]] = []

    def recall(script_id: str, step_id: str) -> tuple[Any, str]:
        asked.append((script_id, step_id))
        return "Ship", "Ship"

    conv = Conversation(result.script, recall=recall)
    assert conv.turn.question is not None
    assert conv.turn.question.text == "Last time: Ship. Still Ship?"
    assert conv.answer("yes").says[0].text == "Goal was Ship."
    assert asked == [("other", "goal")]
