"""The end of a conversation: the record on top, every answer beneath, export and onward."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Markdown, Static

from reflectcoach.app.clipboard import copy_record
from reflectcoach.app.export_target import FORMAT_LABELS, default_name
from reflectcoach.app.widgets.chat import CoachSays, Exchange, ExchangeLog, Note
from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.core import settings
from reflectcoach.core.private import make_dirs
from reflectcoach.core.text import clean
from reflectcoach.store import StoreError

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.app.export_target import Target
    from reflectcoach.services.session import Session


class FinishedScreen(Screen[None]):
    CSS_PATH = "finished.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export", id="export", tooltip="Write this conversation to a file"),
        Binding(
            "y",
            "copy_record",
            "Copy record",
            id="copy-record",
            tooltip="Copy the record as plain text, to paste into an email or a chat",
        ),
        Binding("r", "review", "Review", id="review", tooltip="Browse every conversation"),
        Binding("escape,h", "home", "Home", id="home", tooltip="Back to the start"),
    ]

    def __init__(self, session: Session, *, closing: list[str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.closing = closing or []
        self.title = clean(session.script.title)
        self.sub_title = "finished"

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def default_path(self) -> str:
        from reflectcoach.app.screens.export import export_folder

        day = self.rc_app.today().isoformat()
        folder = export_folder(self.rc_app.settings.get(settings.EXPORT_FOLDER))
        return default_name("markdown", day, folder, self.session.script.id)

    def compose(self) -> ComposeResult:
        conv = self.session.conversation
        yield Header()
        with VerticalScroll(id="summary", can_focus=True):
            yield Note("Finished. Everything you said is saved.")
            for markdown in self.closing:
                yield CoachSays(markdown)
            record = conv.record_markdown()
            if record:
                yield Markdown(clean(record), id="record", open_links=False)
            yield Static(plain("Your answers"), classes="heading", markup=False)
            yield ExchangeLog(
                Exchange(seq, entry.question, entry.text, entry.skipped)
                for seq, entry in enumerate(conv.history)
            )
        with Horizontal(id="export-row"):
            yield Label(plain("Export to"), markup=False)
            yield Input(self.default_path(), id="export-path")
            yield Button(plain("Export (e)"), id="export-button", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        path_input = self.query_one("#export-path", Input)
        if self.app.is_headless:
            path_input.cursor_blink = False
        self.query_one("#summary").focus()

    def action_export(self) -> None:
        # The name's ending picks the format (fm.json gets JSON); any other name, Markdown.
        # An existing file is replaced only when the person says so.
        from reflectcoach.app.export_target import resolve
        from reflectcoach.app.screens.confirm import confirm_replace

        raw = self.query_one("#export-path", Input).value.strip() or self.default_path()
        target = resolve(raw, "markdown", new_folder_ok=True)
        if isinstance(target, str):
            self.notify(clean(target), title="Not exported", severity="error", markup=False)
            return
        if target.exists:

            def decided(yes: bool) -> None:
                if yes:
                    self.export(target)
                else:
                    self.notify(
                        clean(f"Kept {target.path} as it was: change the name to export."),
                        title="Not exported",
                        markup=False,
                    )

            confirm_replace(self, target.path, decided)
            return
        self.export(target)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-button")
    def _export_requested(self) -> None:
        self.action_export()

    @work(thread=True, exclusive=True, group="export")
    def export(self, target: Target) -> None:
        from reflectcoach.services.export_file import write

        try:
            with self.rc_app.worker_store() as store:
                make_dirs(target.path.parent)  # 0700 whatever the umask
                write(store, target.path, target.format, ids=[self.session.id])
        except (OSError, StoreError) as problem:
            message = getattr(problem, "strerror", None) or str(problem)
            self.app.call_from_thread(
                self.notify,
                clean(f"Could not write {target.path}: {message}"),
                title="Not exported",
                severity="error",
                markup=False,
            )
            return
        self.app.call_from_thread(
            self.notify,
            clean(f"Wrote {target.path} ({FORMAT_LABELS[target.format]})"),
            title="Exported",
            markup=False,
        )
        self.app.call_from_thread(
            self.rc_app.remember, settings.EXPORT_FOLDER, str(target.path.parent)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_record":  # a script without a record has nothing to copy
            return self.session.script.record is not None
        return True

    def action_copy_record(self) -> None:
        conversation = self.session.conversation
        record = conversation.record_share()
        if not record:
            return
        copy_record(
            self.app,
            clean(record),
            conversation.record_markdown() or "",
            f"record-{self.session.id}",
        )

    async def action_review(self) -> None:
        await self.rc_app.open_review()

    def action_home(self) -> None:
        self.app.pop_screen()
