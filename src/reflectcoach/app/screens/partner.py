"""Sharing with a mentorship's partner: your identity line to send them, their line to link,
a bundle to write for them, a bundle of theirs to receive, and what they last shared.

The same services as `reflectcoach id`, `partner add`, `share` and `receive`
(services/identity.py, services/exchange.py); every read and write in a thread worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.review_format import one_line
from reflectcoach.core.errors import UserError
from reflectcoach.core.paths import data_dir
from reflectcoach.core.private import write_private_bytes
from reflectcoach.core.text import clean
from reflectcoach.services import agreement, exchange, identity
from reflectcoach.services.carriers import copy_text
from reflectcoach.services.exchange import default_name
from reflectcoach.store import StoreError

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp


class PartnerScreen(Screen[None]):
    CSS_PATH = "partner.tcss"
    SUB_TITLE = "Partner"
    AUTO_FOCUS = "#partner-identity"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="partner.back", tooltip="Back to the mentorship"),
        Binding(
            "ctrl+y",
            "copy_identity",
            "Copy my id",
            id="partner.copy-id",
            tooltip="Copy your identity line, to send to your partner",
        ),
        Binding(
            "ctrl+s",
            "share",
            "Share",
            id="partner.share",
            tooltip="Write a bundle for your partner (the file named below)",
        ),
        Binding(
            "ctrl+r",
            "receive",
            "Receive",
            id="partner.receive",
            tooltip="Receive a bundle your partner sent: type its path, then Enter",
        ),
        Binding(
            "ctrl+g",
            "accept",
            "Accept agreement",
            id="partner.accept",
            tooltip="Accept the agreement as it is now: your next share tells your partner",
        ),
    ]

    if TYPE_CHECKING:

        @property
        def app(self) -> ReflectCoachApp: ...

    def __init__(self, name: str) -> None:
        super().__init__()
        self.mentorship_name = name
        self.my_line = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(one_line(f"Sharing: {self.mentorship_name}")), id="partner-header")
        with VerticalScroll(id="partner-body"):
            yield Static("Your identity (send this line to your partner)", classes="heading")
            yield Static(Content("Loading…"), id="partner-mine")
            yield Static("Your partner", classes="heading")
            yield Static(Content(""), id="partner-linked")
            yield Static("The agreement (ctrl+g accepts it as it is now)", classes="heading")
            yield Static(Content(""), id="partner-agreement")
            yield Input(placeholder="Paste their line: reflectcoach-id:1:…", id="partner-identity")
            yield Static("Share with them (ctrl+s writes this file)", classes="heading")
            yield Input(value=str(Path.home() / default_name()), id="partner-share-path")
            yield Static("Receive from them (a bundle's path, then Enter)", classes="heading")
            yield Input(placeholder="~/Downloads/….reflectcoach", id="partner-receive-path")
            yield Static(Content(""), id="partner-side")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="partner-load")
    def load(self) -> None:
        try:
            with self.app.worker_store() as store:
                found = store.mentorships.find(self.mentorship_name)
                me = identity.load_or_create(store)
                partner = store.partners.get(found.name)
                side = exchange.partner_lines(store, found.name)
                now = agreement.standing(store, found.name)
                agreed = agreement.terms_lines(now.terms) + agreement.status_lines(now)
        except StoreError as problem:  # IdentityProblem too: both are UserErrors
            self.app.call_from_thread(self._say, str(problem), "error")
            return
        except identity.IdentityProblem as problem:
            self.app.call_from_thread(self._say, str(problem), "error")
            return
        if partner is None:
            linked = "Not linked yet: paste the line their `reflectcoach id` prints, then Enter."
        else:
            public = identity.PublicIdentity(partner.age_recipient, partner.signing_public)
            linked = f"Linked on {partner.linked_at[:10]} (fingerprint {public.short()})."
        agreed = agreed or ["Nothing agreed yet: first_meeting agrees it."]
        self.app.call_from_thread(self._show, found.name, me.public.line(), linked, side, agreed)

    def _show(self, name: str, line: str, linked: str, side: list[str], agreed: list[str]) -> None:
        if not self.is_attached:
            return
        self.mentorship_name = name
        self.my_line = line
        self.query_one("#partner-mine", Static).update(Content(line))
        self.query_one("#partner-linked", Static).update(Content(clean(linked)))
        self.query_one("#partner-agreement", Static).update(Content(clean("\n".join(agreed))))
        self.query_one("#partner-side", Static).update(
            Content(clean("\n".join(side)) if side else "")
        )

    def _say(self, message: str, severity: str = "information") -> None:
        self.notify(clean(message), severity=severity, markup=False)  # type: ignore[arg-type]

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_copy_identity(self) -> None:
        if not self.my_line:
            return
        self.app.copy_to_clipboard(self.my_line)
        done = copy_text(
            self.my_line, osc52=lambda _t: None, file_folder=data_dir(), file_name="my-id.txt"
        )
        if done.copied:
            self._say(f"Your identity line copied{done.where}.")
        else:
            self._say(done.message, "warning")

    @on(Input.Submitted, "#partner-identity")
    def _link_submitted(self, event: Input.Submitted) -> None:
        self.link(event.value)

    @work(thread=True, group="partner-write")
    def link(self, line: str) -> None:
        try:
            public = identity.parse(line)
            with self.app.worker_store() as store:
                me = identity.load(store)
                if me is not None and me.public == public:
                    raise identity.IdentityProblem(
                        "That is your own identity: paste your partner's line."
                    )
                store.partners.link(self.mentorship_name, public.age_recipient,
                                    public.signing_public)  # fmt: skip
        except UserError as problem:
            self.app.call_from_thread(self._say, str(problem), "error")
            return
        self.app.call_from_thread(
            self._say, f"Linked {self.mentorship_name} (fingerprint {public.short()})."
        )
        self.app.call_from_thread(self.load)

    def action_share(self) -> None:
        self.share(self.query_one("#partner-share-path", Input).value)

    @on(Input.Submitted, "#partner-share-path")
    def _share_submitted(self, event: Input.Submitted) -> None:
        self.share(event.value)

    @work(thread=True, group="partner-write")
    def share(self, where: str) -> None:
        from reflectcoach.store.export import refuse_database

        target = Path(where.strip()).expanduser()
        try:
            if not where.strip() or target.is_dir():
                raise exchange.Refused("Name the bundle file to write.")
            refuse_database(target, self.app.db_path)
            with self.app.worker_store() as store:
                made = exchange.make(store, self.mentorship_name)
            write_private_bytes(target, made.data)
        except UserError as problem:
            self.app.call_from_thread(self._say, str(problem), "error")
            return
        except OSError as exc:
            self.app.call_from_thread(
                self._say, f"Could not write {target}: {exc.strerror or exc}", "error"
            )
            return
        self.app.call_from_thread(
            self._say,
            f"Wrote {target} for {made.partner.name}: encrypted to them, signed by you. Send "
            "it any way you like.",
        )

    def action_receive(self) -> None:
        self.query_one("#partner-receive-path", Input).focus()

    @on(Input.Submitted, "#partner-receive-path")
    def _receive_submitted(self, event: Input.Submitted) -> None:
        self.receive(event.value)

    @work(thread=True, group="partner-write")
    def receive(self, where: str) -> None:
        try:
            data = exchange.read_bundle(Path(where.strip()).expanduser(), self.app.db_path)
            with self.app.worker_store() as store:
                got = exchange.open_bundle(store, data)
        except UserError as problem:
            self.app.call_from_thread(self._say, str(problem), "error")
            return
        for notice in got.notices:
            self.app.call_from_thread(self._say, notice, "warning")
        if got.already:
            self.app.call_from_thread(
                self._say, f"Already received from {got.partner.name}: nothing new."
            )
        else:
            self.app.call_from_thread(self._say, f"Received from {got.partner.name}.")
        self.app.call_from_thread(self.load)

    @work(thread=True, group="partner-write")
    def action_accept(self) -> None:
        try:
            with self.app.worker_store() as store:
                agreement.accept(store, self.mentorship_name)
        except UserError as problem:
            self.app.call_from_thread(self._say, str(problem), "error")
            return
        self.app.call_from_thread(
            self._say, "You accepted the agreement as it is now: your next share says so."
        )
        self.app.call_from_thread(self.load)
