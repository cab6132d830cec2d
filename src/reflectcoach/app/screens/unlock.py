"""The unlock screen: the passphrase of an encrypted database, before anything is read.

Shown when the database is encrypted and no key was found the way the CLI finds one
(--passphrase-fd, REFLECTCOACH_PASSPHRASE_FILE, the keyring). The Input is a password field
(never echoed); the passphrase is never logged, never put in a message. A wrong one says so and
asks again, as often as needed: nothing is locked after any number of tries. Checking it runs
in a thread (the derivation is deliberately slow).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Label, Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.services import remember as keyring
from reflectcoach.store.key import Key

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.store.key import Key

NO_KEYRING = "No keyring on this machine: the passphrase will be asked each time."
HINT = (
    "Type the passphrase it was encrypted with (reflectcoach encrypt), then Enter. "
    "Esc leaves without reading anything."
)
LEFT = "Left without unlocking: nothing was read or changed."


class UnlockScreen(Screen["Key"]):
    CSS_PATH = "unlock.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Quit", id="unlock.quit", tooltip="Leave without unlocking"),
    ]

    def __init__(self, keyring: bool) -> None:
        super().__init__()
        self.keyring = keyring  # whether "Remember on this machine" can work here
        self.tries = 0

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-dialog") as dialog:
            dialog.border_title = "Encrypted reflections"
            yield Static(plain(f"{self.rc_app.db_path} is encrypted."), id="unlock-path")
            yield Static(plain(HINT), id="unlock-hint")
            yield Label("Passphrase")
            yield Input(
                id="unlock-passphrase", password=True, placeholder="the passphrase, then Enter"
            )
            if self.keyring:
                yield Checkbox("Remember on this machine", id="unlock-remember")
            else:
                # Said instead of a disabled box just above it, which read as a contradiction.
                yield Static(NO_KEYRING, id="unlock-no-keyring")
            yield Static("", id="unlock-problem")

    def on_mount(self) -> None:
        self.query_one("#unlock-passphrase", Input).focus()

    @on(Input.Submitted, "#unlock-passphrase")
    def submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            self.say("Type the passphrase, then Enter.")
            return
        field = self.query_one("#unlock-passphrase", Input)
        field.disabled = True
        self.say("Checking…")
        boxes = self.query("#unlock-remember")
        remember = bool(boxes) and boxes.first(Checkbox).value
        self.check(event.value, remember)

    @work(thread=True, exclusive=True, group="unlock")
    def check(self, text: str, remember: bool) -> None:
        from reflectcoach.store import Store, StoreError
        from reflectcoach.store.cipher import WrongPassphrase, salt_of

        key = Key.from_passphrase(text)
        del text
        try:
            Store.open(self.rc_app.db_path, key=key).close()
        except WrongPassphrase:
            self.app.call_from_thread(self.wrong)
            return
        except StoreError as problem:
            self.app.call_from_thread(self.failed, str(problem))
            return
        saved = False
        if remember:
            salt = salt_of(self.rc_app.db_path)
            saved = salt is not None and keyring.remember(self.rc_app.db_path, key, salt)
        self.app.call_from_thread(self.unlocked, key, remember and not saved)

    def action_leave(self) -> None:
        """Esc: leave, saying so on the terminal (it quit without a word before)."""
        self.app.exit(message=LEFT)

    def say(self, message: str) -> None:
        self.query_one("#unlock-problem", Static).update(plain(message))

    def _again(self) -> None:
        field = self.query_one("#unlock-passphrase", Input)
        field.disabled = False
        field.value = ""
        field.focus()

    def wrong(self) -> None:
        self.tries += 1
        self._again()
        self.say(
            "Wrong passphrase, or not a reflectcoach database. Nothing was changed; try again"
            + (f" (tries: {self.tries})." if self.tries > 1 else ".")
        )

    def failed(self, message: str) -> None:
        self._again()
        self.say(message)

    def unlocked(self, key: Key, not_saved: bool) -> None:
        if not_saved:
            self.app.notify(NO_KEYRING, title="Not remembered", markup=False)
        self.dismiss(key)
