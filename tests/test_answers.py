"""Typed choices: every way a person may name an option they read (answers.py)."""

from __future__ import annotations

import pytest

from reflectcoach.engine.answers import AnswerError, normalise
from reflectcoach.script.model import Pos, QuestionType, Step

SMART = {
    "specific": "specific: someone else could picture it",
    "assignable": "yours: it mostly depends on you",
    "time_bound": "time-bound: it has a date",
}
SAFETY = {
    "private": "a private place",
    "time": "enough time, not squeezed in at the end",
    "listen": "listening at least as much as I talk",
}
OFTEN = {"weekly": "every week", "fortnightly": "every two weeks", "monthly": "once a month"}


def step(kind: QuestionType) -> Step:
    return Step(id="q", pos=Pos(1, 1), type=kind)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("yours", "assignable"),  # what the label says before its colon
        ("YOURS", "assignable"),
        ("  Time-Bound ", "time_bound"),
        ("specific: someone else could picture it", "specific"),
        ("2", "assignable"),
        ("assignable", "assignable"),
    ],
)
def test_a_choice_by_what_its_label_says(typed: str, value: str) -> None:
    assert normalise(step(QuestionType.CHOICE), typed, SMART) == value


def test_a_choice_by_the_start_of_its_label() -> None:
    choice = step(QuestionType.CHOICE)
    assert normalise(choice, "every two", OFTEN) == "fortnightly"
    assert normalise(choice, "once", OFTEN) == "monthly"
    assert normalise(choice, "every   week", OFTEN) == "weekly"  # the whole label wins
    with pytest.raises(AnswerError, match=r"'every' could be any of 1\) every week, 2\) every"):
        normalise(choice, "every", OFTEN)
    with pytest.raises(AnswerError, match="Pick 1-3"):
        normalise(choice, "ev", OFTEN)  # a start must end at a word


def test_multi_by_label_heads() -> None:
    assert normalise(step(QuestionType.MULTI), "yours, specific", SMART) == [
        "specific",
        "assignable",
    ]


def test_multi_labels_with_commas() -> None:
    multi = step(QuestionType.MULTI)
    typed = "a private place, enough time, not squeezed in at the end"
    assert normalise(multi, typed, SAFETY) == ["private", "time"]
    assert normalise(multi, "enough time, listening", SAFETY) == ["time", "listen"]
    with pytest.raises(AnswerError, match="'nothing' is not an option"):
        normalise(multi, "a private place, nothing", SAFETY)
