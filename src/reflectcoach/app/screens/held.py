"""A conversation another session holds: read it, take it over, or leave it alone.

Only one session at a time answers a conversation (store/leases.py). Taking it over is
offered whatever the other session's state, with what it costs said plainly: that session's
next answer is refused and not saved (nothing it saved already is lost). Cancel has the focus.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from reflectcoach.app.widgets.content import plain

Choice = Literal["read", "take", "cancel"]


class HeldScreen(ModalScreen[str]):
    """Dismisses with "read", "take" or "cancel". `message` is plain text, never markup."""

    CSS_PATH = "held.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('read')", "Read it", id="held.read", tooltip="Read it, read-only"),
        Binding(
            "t",
            "choose('take')",
            "Take over",
            id="held.take",
            tooltip="Answer it here; the other session can no longer save",
        ),
        Binding("escape", "choose('cancel')", "Cancel", id="held.cancel", tooltip="Leave it"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="held-dialog") as dialog:
            dialog.border_title = plain("Open in another session")
            yield Static(plain(self.message), id="held-message")
            with Horizontal(id="held-buttons"):
                yield Button(plain("Read it"), id="held-read", variant="primary")
                yield Button(plain("Take over"), id="held-take", variant="error")
                yield Button(plain("Cancel"), id="held-cancel")

    def on_mount(self) -> None:
        self.query_one("#held-cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "held-cancel").removeprefix("held-"))

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)
