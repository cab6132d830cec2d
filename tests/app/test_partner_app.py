"""The Partner screen (`p` on a mentorship): your identity line, linking your partner by
theirs, receiving a bundle by its path, writing one; and the mentorship screen's "From NAME"
section once something was received. Real keys and bundles (services/exchange.py)."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from store.helpers import run
from textual.widgets import Input, Static

from reflectcoach.app.screens.mentorship import MentorshipScreen
from reflectcoach.app.screens.partner import PartnerScreen
from reflectcoach.services import exchange, identity
from reflectcoach.store import Store

from .conftest import settle

ROLE = [("role", "Which are you?", "choice", "mentee", "the mentee")]


@pytest.fixture(autouse=True)
def no_real_keyring():
    """Identities made here keep their secret keys in the test database, never in the
    keyring of the machine running the tests."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def text(widget: Static) -> str:
    return str(widget.render())


@pytest.fixture
def alex(tmp_path: Path) -> Path:
    """Alex's own database (the mentee), with a record marked to send."""
    db = tmp_path / "alex.db"
    with Store.open(db) as store:
        conversation = run(store, ROLE, mentorship="Sam", record="# Notes\n\nAsk Sam about Kim.")
        store.partners.mark(conversation)
        identity.load_or_create(store)
    return db


async def _submit(pilot, selector: str, value: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = value
    await pilot.press("enter")
    await settle(pilot)


async def test_link_receive_and_share_from_the_partner_screen(
    make_app, db_path: Path, alex: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECTCOACH_CLIPBOARD", "file")  # a terminal with no clipboard
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    with Store.open(db_path) as store:  # Sam's database, the app's
        run(store, [("role", "Which are you?", "choice", "mentor", "the mentor")],
            mentorship="Alex")  # fmt: skip
    with Store.open(alex) as store:
        alex_line = identity.load_or_create(store).public.line()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(MentorshipScreen("alex"))
        await settle(pilot)
        assert not app.screen.query_one("#mentorship-partner-heading").display
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PartnerScreen)
        sam_line = text(screen.query_one("#partner-mine", Static))
        assert sam_line.startswith("reflectcoach-id:1:age1")
        assert "Not linked yet" in text(screen.query_one("#partner-linked", Static))

        await _submit(pilot, "#partner-identity", alex_line)
        assert "Linked on " in text(screen.query_one("#partner-linked", Static))

        # Alex links Sam by the line the screen showed, and shares.
        with Store.open(alex) as store:
            public = identity.parse(sam_line)
            store.partners.link("Sam", public.age_recipient, public.signing_public)
            bundle = tmp_path / "from-alex.reflectcoach"
            bundle.write_bytes(exchange.make(store, "Sam").data)

        await pilot.press("ctrl+r")
        assert app.focused is screen.query_one("#partner-receive-path")
        await _submit(pilot, "#partner-receive-path", str(bundle))
        messages = [n.message for n in app._notifications]
        assert "Received from Alex." in messages
        side = text(screen.query_one("#partner-side", Static))
        assert side.startswith("From Alex (shared ")
        assert "Ask Sam about Kim." in side

        # Sam writes a bundle back (ctrl+s), to the file named on the screen.
        back = tmp_path / "for-alex.reflectcoach"
        screen.query_one("#partner-share-path", Input).value = str(back)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert back.stat().st_mode & 0o777 == 0o600

        # ctrl+y: Sam's line goes where it can be pasted, and the notice says where.
        await pilot.press("ctrl+y")
        await settle(pilot)
        said = [n.message for n in app._notifications][-1]
        kept = Path(said.split(" is in ")[1].split(" (readable")[0])
        assert kept.read_text(encoding="utf-8") == sam_line

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MentorshipScreen)
        heading = app.screen.query_one("#mentorship-partner-heading", Static)
        assert heading.display and text(heading).startswith("From Alex (shared ")
        assert "Ask Sam about Kim." in text(app.screen.query_one("#mentorship-partner", Static))

    with Store.open(alex) as store:
        got = exchange.open_bundle(store, back.read_bytes())
    assert got.partner.name == "Sam" and not got.already


async def test_opened_from_the_palette_a_refused_bundle_is_said(
    make_app, db_path: Path, tmp_path: Path
) -> None:
    with Store.open(db_path) as store:
        run(store, ROLE, mentorship="Alex")
    junk = tmp_path / "junk.reflectcoach"
    junk.write_bytes(b"not a bundle")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Share with partner: Alex")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PartnerScreen)
        await _submit(pilot, "#partner-receive-path", str(junk))
        messages = [n.message for n in app._notifications]
    assert any("not a reflectcoach bundle" in m for m in messages), messages


async def test_ctrl_g_accepts_the_agreement_on_the_partner_screen(make_app, db_path: Path) -> None:
    from reflectcoach.services import agreement

    with Store.open(db_path) as store:
        run(store, ROLE, mentorship="Sam")
        store.state.keep("Sam", "rhythm", "monthly", "once a month")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(PartnerScreen("Sam"))
        await settle(pilot)
        shown = text(app.screen.query_one("#partner-agreement", Static))
        assert "meeting: once a month" in shown and "not accepted by you yet" in shown
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "accepted by you on " in text(app.screen.query_one("#partner-agreement", Static))
    with Store.open(db_path) as store:
        now = agreement.standing(store, "Sam")
    assert now.mine is not None and now.mine.digest == now.digest


async def test_the_brief_screen_shows_the_partner_s_side_as_theirs(
    make_app, db_path: Path, alex: Path
) -> None:
    from reflectcoach.app.screens.brief import BriefScreen
    from reflectcoach.services import agreement

    with Store.open(db_path) as store:  # Sam's database, the app's
        run(store, [("role", "Which are you?", "choice", "mentor", "the mentor")],
            mentorship="Alex")  # fmt: skip
        store.state.add_point("Alex", "Bring the org chart")
        sam_id = identity.load_or_create(store).public
    with Store.open(alex) as store:
        alex_id = identity.load(store)
        assert alex_id is not None
        store.partners.link("Sam", sam_id.age_recipient, sam_id.signing_public)
        store.state.add_point("Sam", "Ask about the [b]panel[/b]")
        store.state.keep("Sam", "rhythm", "monthly", "once a month")
        agreement.accept(store, "Sam")
        data = exchange.make(store, "Sam").data
    with Store.open(db_path) as store:
        store.partners.link("Alex", alex_id.public.age_recipient, alex_id.public.signing_public)
        exchange.open_bundle(store, data)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(BriefScreen("Alex"))
        await settle(pilot)
        shown = text(app.screen.query_one("#brief-text", Static))
    own, theirs = shown.split("From Alex (their side, shared ")
    assert "Bring the org chart" in own and "panel" not in own
    assert "their talking points (1): Ask about the [b]panel[/b]" in theirs  # as typed
    assert "not accepted by you yet" in own and "accepted by Alex on " in own
