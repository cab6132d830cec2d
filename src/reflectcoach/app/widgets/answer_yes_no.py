"""A yes/no answer: two buttons."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button

from reflectcoach.app.widgets.answer_base import AnswerInput
from reflectcoach.app.widgets.content import plain


class YesNoAnswer(AnswerInput):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n", "answer(False)", "No", id="no"),
        Binding("left", "move(-1)", "Yes", show=False),
        Binding("right", "move(1)", "No", show=False),
    ]

    @property
    def how(self) -> str:
        return "Press y or n, or pick a button."

    def compose(self) -> ComposeResult:
        with Horizontal(classes="yes-no-row"):
            yield Button(plain("Yes (y)"), id="yes", classes="answer-control", compact=True)
            yield Button(plain("No (n)"), id="no", classes="answer-control", compact=True)
        yield self.how_line()

    def focus_answer(self) -> None:
        self.query_one("#no" if self.question.offered is False else "#yes").focus()

    def value(self) -> bool | None:
        focused = self.screen.focused
        if isinstance(focused, Button) and focused.id in ("yes", "no"):
            return focused.id == "yes"
        return None

    def action_answer(self, yes: bool) -> None:
        self.post_message(self.Submitted(yes))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Submitted(event.button.id == "yes"))
