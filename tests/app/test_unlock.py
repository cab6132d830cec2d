"""The unlock screen: an encrypted database with no key found is asked for, in a password
field; wrong passphrases keep asking and change nothing; "Remember on this machine" keeps the
raw key in the keyring (an in-memory backend here: this machine has none)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from textual.widgets import Checkbox, Input, Static

from reflectcoach.app.screens.home import HomeScreen
from reflectcoach.app.screens.unlock import NO_KEYRING, UnlockScreen
from reflectcoach.store import Store
from reflectcoach.store.key import Key

pytestmark = pytest.mark.plaintext  # these make their own encrypted database

PASSPHRASE = "otter lantern 4412"

# keyring picks its backend among every KeyringBackend subclass defined when it first looks:
# it looks now, before the one below exists (it is only ever set by the fixture).
keyring.get_keyring()


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


@pytest.fixture
def locked(db_path: Path) -> Path:
    from reflectcoach.store.leases import Lease

    with Store.open(db_path, key=Key.from_passphrase(PASSPHRASE)) as store:
        conversation = store.start(
            script_id="every_type",
            script_version=1,
            script_sha256="0" * 64,
            title="Every type",
            mentorship="Sam",
            current_step="name",
            lease=Lease.new(),
        )
        store.leases.release(conversation, Lease.new())
    return db_path


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_wrong_passphrases_keep_asking_then_the_right_one_opens(
    fixture_app, drive, locked: Path
) -> None:
    before = _hash(locked)
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.wait_for(lambda: isinstance(app.screen, UnlockScreen), "the unlock screen")
        await pilot.pause()  # (not settle: home's loading waits, as it should, for the key)
        field = app.screen.query_one("#unlock-passphrase", Input)
        assert field.password and field.has_focus
        assert not app.screen.query("#unlock-remember")  # no keyring here: said, not offered
        assert "Type the passphrase" in str(app.screen.query_one("#unlock-hint", Static).render())
        assert NO_KEYRING in str(app.screen.query_one("#unlock-no-keyring", Static).render())
        for tries, attempt in enumerate(("nope", "otter lantern", "OTTER LANTERN 4412"), 1):
            await pilot.press(*attempt, "enter")
            screen = app.screen
            assert isinstance(screen, UnlockScreen)
            await d.wait_for(
                lambda s=screen, n=tries: s.tries == n and not field.disabled, "an answer"
            )
            problem = str(screen.query_one("#unlock-problem", Static).render())
            assert "Wrong passphrase" in problem
            assert attempt not in app.export_screenshot()
        assert _hash(locked) == before  # three wrong tries changed nothing, locked nothing
        await pilot.press(*PASSPHRASE)
        assert PASSPHRASE not in app.export_screenshot()  # never echoed
        await pilot.press("enter")
        await d.wait_for(lambda: isinstance(app.screen, HomeScreen), "home")
        await d.settle()
        assert "Sam" in app.export_screenshot()  # the conversation in progress, read


async def test_remember_on_this_machine_keeps_the_raw_key(
    fixture_app, drive, locked: Path, memory_keyring: MemoryKeyring
) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.wait_for(lambda: isinstance(app.screen, UnlockScreen), "the unlock screen")
        await pilot.pause()  # (not settle: home's loading waits, as it should, for the key)
        remember = app.screen.query_one("#unlock-remember", Checkbox)
        assert not remember.disabled
        remember.value = True
        app.screen.query_one("#unlock-passphrase", Input).focus()
        await pilot.press(*PASSPHRASE, "enter")
        await d.wait_for(lambda: isinstance(app.screen, HomeScreen), "home")
    (stored,) = memory_keyring.stored.values()
    assert PASSPHRASE not in stored and len(stored) == 64  # the derived key, in hex
    # The next start needs no passphrase at all.
    again = fixture_app()
    async with again.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert isinstance(again.screen, HomeScreen)
        assert again.key is not None


async def test_escape_on_the_unlock_screen_says_it_left(fixture_app, drive, locked: Path) -> None:
    from reflectcoach.app.screens.unlock import LEFT

    app = fixture_app()
    said: list[object] = []
    exit_ = app.exit
    app.exit = lambda *args, **kwargs: (said.append(kwargs.get("message")), exit_(*args, **kwargs))
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.wait_for(lambda: isinstance(app.screen, UnlockScreen), "the unlock screen")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert said == [LEFT]  # a line on the terminal, not a silent quit
