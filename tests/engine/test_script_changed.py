"""Resuming after the script changed (or with stored values that never fit): the answers
that still fit are taken up, the path stops at the first that does not, and `notice` says
so; back() never meets a step the script lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reflectcoach.engine.conversation import Conversation, Entry
from reflectcoach.script.loader import load_text
from reflectcoach.script.model import Script

from .test_engine import Journal

V1 = (Path(__file__).parents[1] / "fixtures" / "changing.yaml").read_text(encoding="utf-8")


def load(text: str) -> Script:
    loaded = load_text(text, "changing.yaml")
    assert loaded.script is not None, [str(d) for d in loaded.diagnostics]
    return loaded.script


def answered(script: Script, answers: list[Any]) -> tuple[list[Entry], int, str]:
    """Entries, position and current_step after answering `answers` in order."""
    journal = Journal()
    conv = Conversation(script, journal=journal)
    for answer in answers:
        conv.answer(answer)
    last = journal.calls[-1][1]
    return conv.entries, last["position"], last["current_step"]


def resume(script: Script, entries: list[Entry], position: int, current_step: str):
    journal = Journal()
    conv = Conversation(
        script, journal=journal, entries=entries, position=position, current_step=current_step
    )
    return conv, journal


def test_a_renamed_step_stops_the_path_before_it_and_back_works() -> None:
    entries, position, current = answered(load(V1), ["Ana", "mentee", "Grow"])
    now = load(V1.replace("q3:", "hopes:").replace("version: 1", "version: 2"))
    conv, journal = resume(now, entries, position, current)
    assert conv.position == 2 and [e.step_id for e in conv.history] == ["q1", "q2"]
    assert conv.turn.question is not None and conv.turn.question.step.id == "hopes"
    assert conv.turn.question.offered is None
    assert conv.notice == (
        "The script changed since you started: 'q3' is no longer in it. You continue from "
        "question 3, \u201cWhat do you hope for?\u201d; the 2 before it are kept."
    )
    assert journal.calls == [("moved", {"position": 2, "current_step": "hopes"})]
    turn = conv.back()  # to q2, a step the script still has
    assert turn.question is not None and turn.question.step.id == "q2"
    assert turn.question.offered == "mentee"
    conv.answer("mentee")
    conv.answer("Grow again")
    assert [e.step_id for e in conv.history] == ["q1", "q2", "hopes"]


def test_an_answer_that_no_longer_fits_is_asked_again_without_offering_it() -> None:
    entries, position, current = answered(load(V1), ["Ana", "mentee", "Grow"])
    assert current == "q4"
    now = load(V1.replace("[mentor, mentee]", "[mentor, peer]"))
    conv, _ = resume(now, entries, position, current)
    assert conv.position == 1
    question = conv.turn.question
    assert question is not None and question.step.id == "q2" and question.offered is None
    assert conv.notice is not None
    assert conv.notice.startswith(
        "The script changed since you started: your answer to 'q2' no longer fits it."
    )
    # The later answers are still there: the same path offers them again.
    conv.answer("peer")
    assert conv.turn.question is not None and conv.turn.question.offered == "Grow"


@pytest.mark.parametrize(
    ("value", "skipped"),
    [(["mentee"], False), (5, False), (None, False), ({"a": 1}, False), (None, True)],
    ids=["a list", "a number", "null", "an object", "skipped"],
)
def test_values_of_the_wrong_type_are_not_taken_up(value: Any, skipped: bool) -> None:
    # What an import could bring for a choice question (the store keeps JSON as it came).
    entries = [Entry("q1", "Ana", "Ana", "Your name?"), Entry("q2", value, "x", "Role?", skipped)]
    conv, _ = resume(load(V1), entries, 2, "q3")
    assert conv.position == 1
    assert conv.turn.question is not None and conv.turn.question.step.id == "q2"
    assert conv.turn.question.offered is None


def test_a_place_past_the_stored_answers_continues_after_the_last_one() -> None:
    entries = [Entry("q1", "Ana", "Ana", "Your name?")]
    conv, _ = resume(load(V1), entries, 4, "q4")
    assert conv.position == 1
    assert conv.turn.question is not None and conv.turn.question.step.id == "q2"
    assert conv.notice is not None and "past its 1 stored answers" in conv.notice
    conv.back()  # IndexError before: entries[3]
    assert conv.turn.question is not None and conv.turn.question.step.id == "q1"


def test_a_first_step_that_went_away_starts_again() -> None:
    entries, position, current = answered(load(V1), ["Ana"])
    now = load(V1.replace("q1:", "name:"))
    conv, _ = resume(now, entries, position, current)
    assert conv.position == 0 and not conv.can_back
    assert conv.turn.question is not None and conv.turn.question.step.id == "name"
    assert conv.notice is not None and "You start again from the first question" in conv.notice


def test_an_unchanged_script_resumes_without_a_notice() -> None:
    entries, position, current = answered(load(V1), ["Ana", "mentee"])
    conv, journal = resume(load(V1), entries, position, current)
    assert conv.notice is None and journal.calls == []
    assert conv.position == 2 and conv.turn.question is not None
    assert conv.turn.question.step.id == "q3"


def test_what_still_fits_may_end_the_conversation() -> None:
    entries, position, current = answered(load(V1), ["Ana", "mentee", "Grow"])
    assert current == "q4"
    now = load(
        V1.replace("  q4:", "  q5:").replace("What do you hope for?", "Hopes?\n    end: true")
    )
    conv, journal = resume(now, entries, position, current)
    assert conv.finished and conv.position == 3
    assert journal.calls == [("moved", {"position": 3, "current_step": "_done"})]
    assert conv.notice == (
        "The script changed since you started: 'q4' is no longer in it. "
        "It is complete with the 3 answers that still fit."
    )
