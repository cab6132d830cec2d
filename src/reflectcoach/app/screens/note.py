"""A talking point for a mentorship's next meeting, typed in a small dialog (the app's
`reflectcoach note`): Enter keeps it, Escape leaves. Written in a worker on the app's store."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.app.workers import read_in_worker
from reflectcoach.core.text import clean


class NoteScreen(ModalScreen[None]):
    CSS_PATH = "note.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, mentorship: str) -> None:
        super().__init__()
        self.mentorship_name = mentorship

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = clean(f"A talking point for {self.mentorship_name}")
            yield Label("What do you want to raise at the next meeting?")
            yield Input(id="note-text", placeholder="e.g. Ask about the budget")
            yield Static("", id="note-problem")

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    @on(Input.Submitted, "#note-text")
    def keep(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#note-problem", Static).update(
                plain("Write what you want to raise, or Escape to leave.")
            )
            return
        name = self.mentorship_name
        read_in_worker(
            self,
            lambda store: store.state.add_point(name, text),
            lambda _point: self.kept(),
            self.failed,
            group="note-write",
            exclusive=False,
        )

    def kept(self) -> None:
        self.app.notify(
            clean(f"Noted for {self.mentorship_name}: the next check-in offers it."),
            markup=False,
        )
        self.dismiss(None)

    def failed(self, message: str) -> None:
        self.query_one("#note-problem", Static).update(plain(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
