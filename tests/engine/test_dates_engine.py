"""A date question in a conversation: stored as ISO, shown and recorded readably."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflectcoach.core import clock
from reflectcoach.engine.conversation import AnswerError, Conversation
from reflectcoach.script.loader import load_file, load_text
from reflectcoach.script.model import Script

DATES = Path(__file__).parents[1] / "fixtures" / "dates.yaml"


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> Script:
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01")  # a Tuesday
    result = load_file(DATES)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


def test_a_date_is_stored_as_iso_and_recorded_with_its_weekday(script: Script) -> None:
    conv = Conversation(script)
    conv.answer("Ask Sam for feedback")
    with pytest.raises(AnswerError, match="pick a date from Tuesday 1 December 2026 to Monday 1"):
        conv.answer("2026-11-30")
    with pytest.raises(AnswerError, match="not a date I can read"):
        conv.answer("soonish")
    conv.answer("friday")
    assert conv.lookup_value("next_date") == "2026-12-04"
    assert conv.lookup_text("next_date") == "Friday 4 December 2026"
    conv.skip()
    assert conv.finished
    record = conv.record_markdown()
    assert record is not None and "by Friday 4 December 2026." in record


PLAN = """\
id: plan
title: Plan
summary: A date asked again
audience: anyone
steps:
  due:
    ask: By when?
    type: date
    min: today
    prefill: recall.plan.due
    next:
      - if: days_until(due) <= 7
        go: soon
      - if: due > "2027-01-01"
        go: far
      - go: later
  soon:
    say: That is this week.
    end: true
  far:
    say: Next year, then.
    end: true
  later:
    say: Within the year.
    end: true
"""


def plan() -> Script:
    result = load_text(PLAN)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


def test_a_recalled_date_is_offered_while_it_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01")
    found = {"due": ("2026-12-04", "Friday 4 December 2026")}
    conv = Conversation(plan(), recall=lambda _script, step: found.get(step))
    question = conv.turn.question
    assert question is not None and (question.offered, question.prefilled) == ("2026-12-04", True)
    # Past dates no longer fit `min: today`, so they are not offered.
    found["due"] = ("2026-11-01", "Sunday 1 November 2026")
    question = Conversation(plan(), recall=lambda _script, step: found.get(step)).turn.question
    assert question is not None and question.offered is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("friday", "That is this week."),
        ("2027-02-01", "Next year, then."),
        ("in 3 weeks", "Within the year."),
    ],
)
def test_branches_on_dates(monkeypatch: pytest.MonkeyPatch, typed: str, said: str) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01")
    conv = Conversation(plan())
    turn = conv.answer(typed)
    assert [s.text for s in turn.says] == [said]
