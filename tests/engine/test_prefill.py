"""`prefill`: a question offered with an earlier answer or the mentorship's name."""

from __future__ import annotations

from typing import Any

from reflectcoach.engine.conversation import Conversation, Entry
from reflectcoach.script.loader import load_text
from reflectcoach.script.model import Script

TEXT = """\
id: facts
title: Facts
summary: Asked once
audience: anyone
steps:
  partner:
    ask: Who with?
    prefill: [recall.facts.partner, mentorship]
  name:
    ask: Your name?
    prefill: anywhere.facts.name
  role:
    ask: Role?
    type: choice
    options: [mentee, mentor]
    prefill: recall.facts.role
  hours:
    ask: Hours?
    type: number
    min: 0
    max: 10
    prefill: recall.facts.hours
"""


def load() -> Script:
    result = load_text(TEXT)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


def recall(found: dict[str, Any]):
    return lambda script_id, step_id: (
        (found[step_id], str(found[step_id])) if step_id in found else None
    )


def test_the_first_source_with_a_value_is_offered() -> None:
    conv = Conversation(
        load(),
        recall=recall({"role": "mentor", "hours": 3}),
        recall_anywhere=recall({"name": "Ana", "partner": "Ben"}),
        mentorship="Sam",
    )
    partner = conv.turn.question
    assert partner is not None and (partner.offered, partner.prefilled) == ("Sam", True)
    name = conv.answer(partner.offered).question
    assert name is not None and name.offered == "Ana"
    role = conv.answer("Ana").question
    assert role is not None and role.offered == "mentor"
    hours = conv.answer("mentor").question
    assert hours is not None and hours.offered == 3
    assert conv.values == {"partner": "Sam", "name": "Ana", "role": "mentor"}


def test_nothing_to_offer() -> None:
    conv = Conversation(load())
    question = conv.turn.question
    assert question is not None and question.offered is None and not question.prefilled


def test_an_earlier_value_that_no_longer_fits_is_not_offered() -> None:
    conv = Conversation(
        load(),
        recall=recall({"role": "coach", "hours": 40}),
        entries=[Entry("partner", "Sam", "Sam", "Who with?"), Entry("name", "Ana", "Ana", "?")],
        position=2,
        current_step="role",
    )
    role = conv.turn.question
    assert role is not None and role.offered is None
    hours = conv.answer("mentee").question
    assert hours is not None and hours.offered is None


def test_after_back_the_answer_given_wins_over_the_prefill() -> None:
    conv = Conversation(load(), mentorship="Sam")
    conv.answer("Samira")
    partner = conv.back().question
    assert partner is not None and (partner.offered, partner.prefilled) == ("Samira", False)
