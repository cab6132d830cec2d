"""The base of every answer widget: the question, its earlier answer or draft, the line
saying how to answer, and the messages a screen hears (`Submitted`, `Problem`, `Edited`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static, TextArea

from reflectcoach.app.widgets.content import plain
from reflectcoach.core import clock
from reflectcoach.engine.answers import display, instructions

if TYPE_CHECKING:
    from reflectcoach.engine.conversation import Question


def steady(widget: Input | TextArea) -> None:
    # A blinking cursor makes snapshots flaky; people running the app still get the blink.
    if widget.app.is_headless:
        widget.cursor_blink = False


class AnswerInput(Vertical):
    """Base: holds the question, offers its earlier answer (or the draft typed for it),
    posts `Submitted`; widgets with free text post `Edited` as it is typed."""

    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    AnswerInput .how { color: $text-muted; height: auto; }
    """

    class Submitted(Message):
        """The person gave an answer (typed str, or a typed value for the engine)."""

        def __init__(self, value: Any) -> None:
            super().__init__()
            self.value = value

    class Problem(Message):
        """Live feedback while typing (None clears it)."""

        def __init__(self, text: str | None) -> None:
            super().__init__()
            self.text = text

    class Edited(Message):
        """The free text changed (the screen keeps it as a draft)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self, question: Question, *, draft: str | None = None, id: str | None = "answer"
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.step = question.step
        self.labels = dict(question.options)
        self.draft = draft  # text typed earlier and not answered: shown instead of `offered`

    @property
    def starting_text(self) -> str:
        """What a free-text input starts with: the draft, else the earlier answer."""
        if self.draft is not None:
            return self.draft
        offered = self.question.offered
        return "" if offered is None else display(self.step, offered, self.labels)

    takes_text: ClassVar[bool] = False  # has free text, so a draft

    def text_now(self) -> str | None:
        """The free text as it stands (None for widgets without free text)."""
        return None

    @property
    def how(self) -> str:
        """The line under the input telling how to answer."""
        return instructions(self.step, self.labels, self.today())

    def today(self) -> dt.date:
        today = getattr(self.app, "today", clock.today)
        return today()

    def how_line(self, extra: str = "") -> Static:
        words = " ".join(part for part in (self.how, extra) if part)
        # Only say what is filled in, never repeat it: the input shows it, and a long
        # answer repeated here would push the input off the screen.
        if self.draft is not None:
            words = "Your draft is filled in. " + words
        elif self.question.offered is not None and self.question.prefilled:
            words = "Filled in from before: Enter keeps it. " + words
        elif self.question.offered is not None:
            words = "Your earlier answer is filled in. " + words
        return Static(plain(words), classes="how", markup=False)

    def value(self) -> Any:
        """What would be submitted now."""
        raise NotImplementedError

    def submit(self) -> None:
        self.post_message(self.Submitted(self.value()))

    def focus_answer(self) -> None:
        self.query(".answer-control").first().focus()

    def action_move(self, delta: int) -> None:
        """Left/right between the buttons of a row (scale, yes/no)."""
        buttons = list(self.query(Button))
        if not buttons:
            return
        focused = self.screen.focused
        index = buttons.index(focused) if focused in buttons else 0
        buttons[max(0, min(len(buttons) - 1, index + delta))].focus()
