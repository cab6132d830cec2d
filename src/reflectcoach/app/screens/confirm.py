"""A yes/no question in a modal dialog, answering No unless the person chooses Yes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.core.text import clean
from reflectcoach.store import StoreError


class ConfirmScreen(ModalScreen[bool | None]):
    """Dismisses with True only for Yes; No, escape and `n` all keep things as they are.

    `message` is plain text (cleaned, never markup): it may quote a person's own words.
    When both answers do something (`escape_cancels`, "Continue" or "Read it"), escape
    closes the dialog with None and does neither.
    """

    CSS_PATH = "confirm.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Do what it asks"),
        Binding("n", "answer(False)", "No", id="confirm.no", tooltip="Keep things as they are"),
        Binding("escape", "cancel", "Close", id="confirm.close", tooltip="Close this dialog"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(
        self,
        message: str,
        *,
        title: str = "Are you sure?",
        yes: str = "Yes",
        no: str = "No",
        harmless: bool = False,
        escape_cancels: bool = False,
    ) -> None:
        super().__init__()
        self.message = message
        self.dialog_title = title
        self.yes_label = yes
        self.no_label = no
        # Yes loses nothing (quitting when everything is kept): Enter may take it.
        self.harmless = harmless
        self.escape_cancels = escape_cancels

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = plain(self.dialog_title)
            yield Static(plain(self.message), id="confirm-message")
            with Horizontal(id="confirm-buttons"):
                yes_variant = "primary" if self.harmless else "error"
                yield Button(plain(self.yes_label), id="confirm-yes", variant=yes_variant)
                no_variant = "default" if self.harmless else "primary"
                yield Button(plain(self.no_label), id="confirm-no", variant=no_variant)

    def on_mount(self) -> None:
        # The safe answer has the focus, so an absent-minded Enter keeps everything.
        self.query_one("#confirm-yes" if self.harmless else "#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_cancel(self) -> None:
        self.dismiss(None if self.escape_cancels else False)


def confirm_replace(screen: Screen[Any], path: Path, decided: Callable[[bool], None]) -> None:
    """Ask before an export replaces the file at `path` (No has the focus); `decided(yes)`."""
    screen.app.push_screen(
        ConfirmScreen(
            f"{path} already exists. Replace it with this export?",
            title="Replace the file?",
            yes="Replace",
            no="Keep it",
        ),
        lambda yes: decided(bool(yes)),
    )


def delete_conversation(
    screen: Screen[Any], row: Mapping[str, Any], done: Callable[[], None]
) -> None:
    """Ask before deleting a conversation; delete it in a thread worker (with its own Store),
    then say so and call `done` on the UI thread. Used by review and transcript alike."""
    from reflectcoach.app.widgets.review_format import describe

    description = describe(row)

    def delete() -> None:
        try:
            with screen.app.worker_store() as store:  # type: ignore[attr-defined]
                store.delete(row["id"])
        except StoreError as problem:
            screen.app.call_from_thread(
                screen.notify, clean(str(problem)), severity="error", markup=False
            )
            return
        screen.app.call_from_thread(deleted)

    def deleted() -> None:
        screen.notify(clean(f"Deleted {description}."), markup=False)
        done()

    def decided(yes: bool | None) -> None:
        if yes:
            screen.run_worker(delete, thread=True, group="delete")

    screen.app.push_screen(
        ConfirmScreen(
            f"Delete {description}? Its answers go too. This cannot be undone.",
            title="Delete this reflection?",
            yes="Delete",
            no="Keep it",
        ),
        decided,
    )
