"""One small input widget per question type, each posting `AnswerInput.Submitted(value)`.

The widgets only collect a value; the engine decides whether it is acceptable (its
`AnswerError` message is shown by the screen), so the rules live in one place for both
front ends. Every label built from a script goes through `plain()` (widgets/content.py): option
labels and scale ends are data, never markup.

This module picks the widget for a question (`answer_input`); each family lives in its own
module: answer_base, answer_text, answer_date, answer_numbered, answer_multi, answer_yes_no.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reflectcoach.app.widgets.answer_base import AnswerInput
from reflectcoach.app.widgets.answer_date import DateInput
from reflectcoach.app.widgets.answer_multi import MultiAnswer, MultiList
from reflectcoach.app.widgets.answer_numbered import ChoiceAnswer, ScaleAnswer
from reflectcoach.app.widgets.answer_text import LongTextAnswer, NumberAnswer, TextAnswer
from reflectcoach.app.widgets.answer_yes_no import YesNoAnswer
from reflectcoach.script.model import QuestionType

if TYPE_CHECKING:
    from reflectcoach.engine.conversation import Question

__all__ = [
    "AnswerInput",
    "ChoiceAnswer",
    "DateInput",
    "LongTextAnswer",
    "MultiAnswer",
    "MultiList",
    "NumberAnswer",
    "ScaleAnswer",
    "TextAnswer",
    "YesNoAnswer",
    "answer_input",
]

WIDGETS: dict[QuestionType, type[AnswerInput]] = {
    QuestionType.TEXT: TextAnswer,
    QuestionType.LONG_TEXT: LongTextAnswer,
    QuestionType.CHOICE: ChoiceAnswer,
    QuestionType.MULTI: MultiAnswer,
    QuestionType.SCALE: ScaleAnswer,
    QuestionType.YES_NO: YesNoAnswer,
    QuestionType.NUMBER: NumberAnswer,
    QuestionType.DATE: DateInput,
}


def answer_input(question: Question, draft: str | None = None) -> AnswerInput:
    """The widget that fits the question's type, holding `draft` if it takes free text."""
    widget = WIDGETS[question.step.type or QuestionType.TEXT]
    return widget(question, draft=draft if widget.takes_text else None)
