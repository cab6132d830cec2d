"""A small dialog to rename a mentorship, or merge it into another (palette command).

The names are checked as they are typed (the one to rename must exist, the new one must not
be blank); the rename itself runs in a thread with its own Store. Renaming onto a name in
use merges the two: the store does it in one transaction and keeps every conversation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.app.workers import read_in_worker
from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.store.mentorships import Renamed


class RenameMentorshipScreen(ModalScreen[None]):
    CSS_PATH = "rename_mentorship.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="rename.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # Existing mentorships, read in a thread on mount (None until then: the store
        # still refuses a name that does not exist).
        self.names: list[str] | None = None

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="rename-dialog") as dialog:
            dialog.border_title = "Rename a mentorship"
            yield Label("Mentorship to rename")
            yield Input(id="rename-old", placeholder="e.g. Sam")
            yield Label("New name (an existing one merges the two)")
            yield Input(id="rename-new", placeholder="e.g. Samira")
            yield Static("", id="rename-problem")
            with Horizontal(id="rename-buttons"):
                yield Button("Rename", id="rename-go", variant="primary")
                yield Button("Cancel", id="rename-cancel")

    def on_mount(self) -> None:
        self.query_one("#rename-old", Input).focus()
        self.read_names()

    def read_names(self) -> None:
        read_in_worker(
            self,
            lambda store: store.mentorships.names(),
            self.got_names,
            self.show_problem,
            group="rename-names",
        )

    def got_names(self, names: list[str]) -> None:
        self.names = names
        suggester = SuggestFromList(names, case_sensitive=False)
        self.query_one("#rename-old", Input).suggester = suggester
        self.query_one("#rename-new", Input).suggester = suggester

    def show_problem(self, message: str) -> None:
        self.query_one("#rename-problem", Static).update(plain(message))

    def problem(self) -> str | None:
        """Why the names typed cannot be used yet, or None."""
        from reflectcoach.store.mentorships import mentorship_key

        old = self.query_one("#rename-old", Input).value
        new = self.query_one("#rename-new", Input).value
        if mentorship_key(old) is None:
            return "Type the mentorship to rename."
        if mentorship_key(new) is None:
            return "Type its new name."
        known = {mentorship_key(n) for n in self.names or ()}
        if self.names is not None and mentorship_key(old) not in known:
            return f"There is no mentorship named '{old.strip()}'."
        return None

    @on(Input.Changed)
    def _typed(self) -> None:
        self.show_problem("")

    @on(Input.Submitted, "#rename-old")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#rename-new", Input).focus()

    @on(Input.Submitted, "#rename-new")
    @on(Button.Pressed, "#rename-go")
    def _go(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        problem = self.problem()
        if problem is not None:
            self.show_problem(problem)
            return
        old = self.query_one("#rename-old", Input).value
        new = self.query_one("#rename-new", Input).value
        self.rename(old, new)

    @on(Button.Pressed, "#rename-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def rename(self, old: str, new: str) -> None:
        read_in_worker(
            self,
            lambda store: store.mentorships.rename(old, new),
            self.renamed,
            self.show_problem,
            group="rename",
        )

    def renamed(self, done: Renamed) -> None:
        many = "s" if done.moved != 1 else ""
        if done.merged:
            message = f"Merged '{done.old}' into '{done.new}': {done.total} conversations now."
        else:
            message = f"Renamed '{done.old}' to '{done.new}' ({done.moved} conversation{many})."
        self.app.notify(clean(message), title="Mentorship", markup=False)
        self.dismiss(None)


def rename_mentorship(app: ReflectCoachApp) -> None:
    """The palette's entry point."""
    app.push_screen(RenameMentorshipScreen())
