"""The question a change of status asks: a new date for "not yet" (read as a date question
reads it, `dates.parse_date`, the day it means shown as it is typed), or an optional reason
for "dropped". Escape changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.core.text import clean
from reflectcoach.script.dates import DateError, examples, parse_date, readable


class CommitmentAsk(ModalScreen[str | None]):
    """Dismissed with the ISO date (date mode: `today` given), the reason ("" for none),
    or None when cancelled."""

    CSS_PATH = "commitment_ask.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="commitment-ask.cancel"),
    ]

    def __init__(self, title: str, label: str, *, today: dt.date | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.today = today  # None: a reason, else a date counted from this day

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-dialog") as dialog:
            dialog.border_title = clean(self.title_text)
            yield Label(plain(self.label))
            placeholder = (
                f"{examples(self.today, short=True)}, then Enter"
                if self.today is not None
                else "optional, then Enter"
            )
            field = Input(id="ask-input", placeholder=placeholder, max_length=500)
            if self.app.is_headless:
                field.cursor_blink = False
            yield field
            yield Static("", id="ask-preview", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def day(self, text: str) -> dt.date | str:
        """The day `text` means, or the message saying why it is not one we take."""
        assert self.today is not None
        try:
            day = parse_date(text, self.today)
        except DateError as error:
            return error.message
        if day < self.today:
            return "That day has passed: a new date is today or later."
        return day

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if self.today is None:
            return
        preview = self.query_one("#ask-preview", Static)
        found = self.day(event.value) if event.value.strip() else ""
        preview.set_class(isinstance(found, str) and bool(found), "-problem")
        if isinstance(found, dt.date):
            preview.update(plain(f"That is {readable(found)}."))
        else:
            preview.update(plain(found))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.today is None:
            self.dismiss(event.value.strip())
            return
        found = self.day(event.value)
        if isinstance(found, str):  # said under the field; what was typed stays
            preview = self.query_one("#ask-preview", Static)
            preview.update(plain(found))
            preview.add_class("-problem")
            return
        self.dismiss(found.isoformat())

    def action_cancel(self) -> None:
        self.dismiss(None)
