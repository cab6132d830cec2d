"""Answers typed as text: one line, several lines, a number."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, TextArea

from reflectcoach.app.widgets.answer_base import AnswerInput, steady
from reflectcoach.engine.answers import MAX_TEXT, AnswerError, normalise


class TextAnswer(AnswerInput):
    takes_text = True

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.starting_text,
            placeholder="Type your answer, then Enter",
            max_length=MAX_TEXT,
            classes="answer-control",
        )
        yield self.how_line("Enter to answer.")

    def on_mount(self) -> None:
        steady(self.query_one(Input))

    def value(self) -> str:
        return self.query_one(Input).value

    def text_now(self) -> str:
        return self.value()

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        self.post_message(self.Edited(event.value))

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()


class LongTextAnswer(AnswerInput):
    takes_text = True
    # ctrl+enter reaches only some terminals as its own key; ctrl+s works everywhere.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit answer", id="submit-long"),
        Binding("ctrl+enter", "submit", "Submit answer", show=False),
        # Priority: TextArea itself takes ctrl+e for "end of line" (End still does that).
        Binding(
            "ctrl+e",
            "editor",
            "Editor",
            id="editor",
            priority=True,
            show=False,  # the line under the box says it; the footer has no room at 80
            tooltip="Write this answer in your own editor ($VISUAL, $EDITOR, else nano or vi)",
        ),
    ]

    class EditorWanted(Message):
        """ctrl+e: the screen opens the person's editor on `text`."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @property
    def how(self) -> str:
        return (
            "Write as much as you like: Enter starts a new line, ctrl+s submits, "
            "ctrl+e opens your editor."
        )

    def compose(self) -> ComposeResult:
        yield TextArea(
            self.starting_text,
            soft_wrap=True,
            show_line_numbers=False,
            classes="answer-control",
        )
        yield self.how_line()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        steady(area)
        area.move_cursor(area.document.end)

    def value(self) -> str:
        return self.query_one(TextArea).text

    def text_now(self) -> str:
        return self.value()

    def replace_text(self, text: str) -> None:
        """Put `text` in the box (from the editor), the cursor at its end."""
        area = self.query_one(TextArea)
        area.text = text
        area.move_cursor(area.document.end)

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(event.text_area.text))

    def action_submit(self) -> None:
        self.submit()

    def action_editor(self) -> None:
        # A priority binding runs as the key arrives, before the keys typed just ahead of
        # it reach the TextArea: ask through the TextArea's own queue, after them.
        area = self.query_one(TextArea)
        area.call_later(lambda: self.post_message(self.EditorWanted(area.text)))


class NumberAnswer(TextAnswer):
    """A single-line answer checked by the engine's own rule as it is typed: every key
    shows (a number-only Input dropped letters without a word, so "six" showed nothing),
    and what it takes is said at once ("'six' is not a number: type digits, like 6")."""

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.starting_text,
            placeholder="A number in digits, then Enter",
            max_length=40,
            validators=[NumberRule(self.step)],  # the red border; the words come from below
            validate_on=["changed", "submitted"],
            classes="answer-control",
        )
        yield self.how_line("Enter to answer.")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Problem(number_problem(self.step, event.value)))


class NumberRule(Validator):
    """The engine's rule for a number answer, as a Textual validator (number_problem)."""

    def __init__(self, step: Any) -> None:
        super().__init__()
        self.step = step

    def validate(self, value: str) -> ValidationResult:
        problem = number_problem(self.step, value)
        return self.success() if problem is None else self.failure(problem)


def number_problem(step: Any, text: str) -> str | None:
    """What is wrong with `text` as this number question's answer, as it is typed; None
    when it is fine (or empty, or a sign or point still being typed)."""
    word = text.strip()
    if not word or word in ("-", "+", ".", "-.", "+."):
        return None
    try:
        normalise(step, word, {})
    except AnswerError as problem:
        try:
            float(word.replace("_", ""))
        except ValueError:
            shown = word if len(word) <= 20 else word[:19] + "…"
            return f"'{shown}' is not a number: type it in digits, like 6 or 2.5. {problem}"
        return str(problem)
    return None
