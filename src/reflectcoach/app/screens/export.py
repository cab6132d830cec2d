"""The export dialog: choose a format and a file, then write it in a worker.

The format and the file name agree at all times: choosing a format changes the name's ending
(when it is one of ours), and typing a name ending in .md, .json, .csv or .xlsx chooses that
format.
A name with any other ending gets the format chosen here. Replacing a file always asks.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, Static
from textual.worker import get_current_worker

from reflectcoach.app.export_target import (
    FORMAT_LABELS,
    Target,
    default_name,
    format_of,
    resolve,
    with_format,
)
from reflectcoach.app.screens.confirm import confirm_replace
from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.format_choice import FormatButton, FormatChoice
from reflectcoach.core import settings
from reflectcoach.core.text import clean
from reflectcoach.store import StoreError

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp

PROGRESS_EVERY_S = 0.1
HOW_FORMAT = (
    "The file's ending chooses the format (.md, .json, .csv, .xlsx); a name ending otherwise "
    "gets the format chosen above."
)


def export_folder(remembered: str | None) -> str:
    """Where exports go by default: the folder the last one went to, while it exists."""
    if remembered and Path(remembered).is_dir():
        folder = Path(remembered)
        home = Path.home()
        # Shown as ~/... when it is under home: shorter, and what the person typed.
        if folder == home or home in folder.parents:
            return str(Path("~") / folder.relative_to(home))
        return str(folder)
    return "~"


def default_path(fmt: str, day: dt.date, folder: str = "~", subject: str = "export") -> str:
    return default_name(fmt, day.isoformat(), folder, subject)


@dataclass(frozen=True)
class ExportSelection:
    """What to export: these conversation ids, or everything matching these filters.

    `filters` are the Store's `Filters` (script_id, mentorship, status, since, until,
    query), passed on to the writer as they are.
    """

    description: str
    ids: tuple[str, ...] | None = None
    filters: Mapping[str, Any] = field(default_factory=dict)
    subject: str = "export"  # in the suggested file name: a script id for one conversation


class ExportScreen(ModalScreen[Path | None]):
    """Dismisses with the path written, or None when cancelled."""

    CSS_PATH = "export.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.write"),
    ]

    def __init__(self, selection: ExportSelection) -> None:
        super().__init__()
        self.selection = selection
        self.format = "markdown"
        self.writing = False

    if TYPE_CHECKING:

        @property
        def app(self) -> ReflectCoachApp: ...

    def compose(self) -> ComposeResult:
        folder = export_folder(self.app.settings.get(settings.EXPORT_FOLDER))
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export reflections"
            yield Static(plain(self.selection.description), id="export-what")
            yield Label("Format", classes="export-label")
            with FormatChoice(id="export-format"):
                for fmt, label in FORMAT_LABELS.items():
                    yield FormatButton(label, value=fmt == self.format, id=f"export-{fmt}")
            yield Label("File", classes="export-label")
            # The app's clock, not date.today(): tests fix it so snapshots stay still.
            yield Input(
                default_path(self.format, self.app.today(), folder, self.selection.subject),
                id="export-path",
            )
            yield Static(plain(HOW_FORMAT), id="export-how")
            yield Static("", id="export-message")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        if self.app.is_headless:
            path.cursor_blink = False
        # The format first (arrows choose it), then Tab to the name: Enter exports from either.
        self.query_one(FormatChoice).focus()

    def _say(self, message: str) -> None:
        self.query_one("#export-message", Static).update(plain(message))

    @on(FormatChoice.Changed)
    def _format_changed(self, event: FormatChoice.Changed) -> None:
        event.stop()
        fmt = (event.pressed.id or "").removeprefix("export-")
        if fmt not in FORMAT_LABELS:
            return
        self.format = fmt
        path = self.query_one("#export-path", Input)
        renamed = with_format(path.value, fmt)
        if renamed != path.value:
            path.value = renamed

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        # A name ending in .json is a JSON export, whatever was chosen before.
        named = format_of(event.value.strip())
        if named is not None and named != self.format:
            self.query_one(f"#export-{named}", RadioButton).value = True

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        if not self.writing:
            self.dismiss(None)

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted, "#export-path")
    @on(FormatChoice.Submitted)
    def action_export(self) -> None:
        if self.writing:
            return
        target = resolve(self.query_one("#export-path", Input).value, self.format)
        if isinstance(target, str):
            self._say(target)
            return
        if target.exists:

            def decided(yes: bool) -> None:
                if yes:
                    self._start(target)
                else:
                    self._say("Not written: choose another name, or Export again to replace.")

            confirm_replace(self, target.path, decided)
            return
        self._start(target)

    def _start(self, target: Target) -> None:
        self.writing = True
        self.query_one("#export-go", Button).disabled = True
        self._say(f"Writing {target.path} as {FORMAT_LABELS[target.format]}…")
        self._write(target.path, target.format)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, path: Path, fmt: str) -> None:
        from reflectcoach.services.export_file import write

        worker = get_current_worker()
        last = time.monotonic()

        def progress(done: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY_S and not worker.is_cancelled:
                last = now
                self.app.call_from_thread(
                    self._say, f"Writing {path}: {done:,} conversations so far…"
                )

        try:
            with self.app.worker_store() as store:
                encrypted = store.encrypted
                count = write(
                    store,
                    path,
                    fmt,
                    progress=progress,
                    ids=self.selection.ids,
                    **self.selection.filters,
                )
        except (OSError, StoreError) as problem:
            detail = getattr(problem, "strerror", None) or str(problem)
            self.app.call_from_thread(self._failed, f"Could not write {path}: {detail}")
            return
        self.app.call_from_thread(self._done, path, count, encrypted)

    def _failed(self, message: str) -> None:
        self.writing = False
        self.query_one("#export-go", Button).disabled = False
        self._say(message)

    def _done(self, path: Path, count: int, encrypted: bool = False) -> None:
        from reflectcoach.store.export import NOT_ENCRYPTED

        self.writing = False
        app = self.app
        app.remember(settings.EXPORT_FOLDER, str(path.parent))
        self.dismiss(path)

        # Said once the dialog has gone: said while it was up, the words went with it (the
        # screen beneath drops the information it finds on its return as already seen).
        def say() -> None:
            app.notify(clean(f"Wrote {count:,} answers to {path}"), title="Exported", markup=False)
            if encrypted:
                app.notify(NOT_ENCRYPTED, title="Not encrypted", severity="warning", markup=False)

        app.call_after_refresh(say)
