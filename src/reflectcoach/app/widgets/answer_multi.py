"""A multi answer: options ticked in a list."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from reflectcoach.app.widgets.answer_base import AnswerInput
from reflectcoach.app.widgets.content import plain


class MultiList(SelectionList[str]):
    """Space toggles (as in SelectionList); Enter submits instead of toggling."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Submit choices", id="submit-multi"),
    ]

    class Done(Message):
        pass

    def action_submit(self) -> None:
        self.post_message(self.Done())


class MultiAnswer(AnswerInput):
    def compose(self) -> ComposeResult:
        offered = set(self.question.offered or ())
        yield MultiList(
            *(
                Selection(plain(label), value, value in offered)
                for value, label in self.question.options
            ),
            classes="answer-control",
        )
        yield self.how_line()

    @property
    def how(self) -> str:
        return "Pick one or more: space ticks or unticks, Enter submits."

    def submit(self) -> None:
        # Said here in this widget's own keys: the engine's message is plain mode's
        # ("separated by commas"), for typed answers.
        if not self.value():
            skip = " Or ctrl+n to skip it." if self.step.optional else ""
            self.post_message(self.Problem(f"Tick at least one with space, then Enter.{skip}"))
            return
        super().submit()

    def value(self) -> list[str]:
        chosen = set(self.query_one(MultiList).selected)
        # In option order, whatever order they were ticked in.
        return [value for value, _ in self.question.options if value in chosen]

    @on(MultiList.Done)
    def _done(self, event: MultiList.Done) -> None:
        event.stop()
        self.submit()
