"""Which mentorship a conversation is about, asked when a mentorship-bound script starts with
no name under Who (as plain mode asks without `-m`): prefilled with the usual one; Enter
takes what is typed (empty: a reflection on its own), Escape does not start it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

# What the dialog dismisses with when the person leaves without starting.
CANCELLED = "\x00"


class WhichMentorshipScreen(ModalScreen[str | None]):
    CSS_PATH = "note.tcss"  # the same small dialog as a talking point's
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="which.cancel"),
    ]

    def __init__(self, usual: str | None, title: str) -> None:
        super().__init__()
        self.usual = usual or ""
        self.script_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = "Which mentorship?"
            yield Label(f"Who is {self.script_title!r} about? Empty: a reflection on its own.")
            yield Input(self.usual, id="which-name", placeholder="e.g. Sam")

    def on_mount(self) -> None:
        self.query_one("#which-name", Input).focus()

    @on(Input.Submitted, "#which-name")
    def chosen(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(CANCELLED)
