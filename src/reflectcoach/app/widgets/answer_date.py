"""A date typed as a person says it (`friday`, `in 2 weeks`), the day it means shown as it
is typed."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from reflectcoach.app.widgets.answer_text import TextAnswer
from reflectcoach.app.widgets.content import plain
from reflectcoach.engine.answers import AnswerError, date_bounds, date_value
from reflectcoach.script import dates


class DateInput(TextAnswer):
    """A date typed as people say it ("friday", "in 2 weeks", "2026-12-04"), the day it means
    shown under the input as it is typed, so Enter takes no surprise. Days count from the
    app's clock (`app.today`), which snapshots fix."""

    DEFAULT_CSS = """
    DateInput .date-preview { height: auto; color: $text-accent; }
    DateInput .date-preview.-problem { color: $text-error; }
    """

    @property
    def starting_text(self) -> str:
        if self.draft is not None:
            return self.draft
        offered = self.question.offered
        return offered if isinstance(offered, str) else ""  # ISO: it reads back as typed

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.starting_text,
            placeholder=f"A date, then Enter: {self.examples()}",
            max_length=100,
            classes="answer-control",
        )
        yield Static("", classes="date-preview", markup=False)
        yield self.how_line("Enter to answer.")

    def on_mount(self) -> None:
        super().on_mount()
        self.preview(self.value())

    def examples(self) -> str:
        """Three words to try, all inside the question's bounds today."""
        today = self.today()
        return dates.examples(today, *date_bounds(self.step, today), short=True)

    def resolved(self, text: str) -> dt.date:
        """The day `text` means today, within the step's bounds; AnswerError otherwise."""
        return date_value(self.step, text, self.today())

    def preview(self, text: str) -> None:
        shown = self.query_one(".date-preview", Static)
        if not text.strip():
            shown.update("")
            shown.remove_class("-problem")
            return
        try:
            day = self.resolved(text)
        except AnswerError as err:
            shown.update(plain(str(err)))
            shown.add_class("-problem")
            return
        shown.update(plain(f"That is {dates.readable(day)}."))
        shown.remove_class("-problem")

    @on(Input.Changed)
    def _date_typed(self, event: Input.Changed) -> None:
        self.preview(event.value)

    def submit(self) -> None:
        # The day shown is the day taken: resolved by the same clock as the preview. Text
        # that does not resolve goes as typed, for the engine's message.
        text = self.value()
        try:
            answer: str = self.resolved(text).isoformat()
        except AnswerError:
            answer = text
        self.post_message(self.Submitted(answer))
