"""The export dialog: choose a format and a file, then write it in a worker."""

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
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static
from textual.worker import get_current_worker

from reflectcoach.app.screens.confirm import ConfirmScreen
from reflectcoach.app.widgets.content import plain
from reflectcoach.text import clean

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp

FORMATS = {"markdown": "md", "json": "json", "csv": "csv"}
FORMAT_LABELS = {"markdown": "Markdown", "json": "JSON", "csv": "CSV"}
PROGRESS_EVERY_S = 0.1


def default_path(fmt: str, day: dt.date) -> str:
    return f"~/reflectcoach-export-{day.isoformat()}.{FORMATS[fmt]}"


@dataclass(frozen=True)
class ExportSelection:
    """What to export: these conversation ids, or everything matching these filters.

    `filters` are the Store's `Filters` (script_id, mentorship, status, since, until,
    query), passed on to the writer as they are.
    """

    description: str
    ids: tuple[str, ...] | None = None
    filters: Mapping[str, Any] = field(default_factory=dict)


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
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export reflections"
            yield Static(plain(self.selection.description), id="export-what")
            yield Label("Format", classes="export-label")
            with RadioSet(id="export-format"):
                for fmt, label in FORMAT_LABELS.items():
                    yield RadioButton(label, value=fmt == self.format, id=f"export-{fmt}")
            yield Label("File", classes="export-label")
            # The app's clock, not date.today(): tests fix it so snapshots stay still.
            yield Input(default_path(self.format, self.app.today()), id="export-path")
            yield Static("", id="export-message")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        if self.app.is_headless:
            path.cursor_blink = False
        path.focus()

    def _say(self, message: str) -> None:
        self.query_one("#export-message", Static).update(plain(message))

    @on(RadioSet.Changed)
    def _format_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        fmt = (event.pressed.id or "").removeprefix("export-")
        if fmt not in FORMATS:
            return
        self.format = fmt
        path = self.query_one("#export-path", Input)
        stem, dot, ext = path.value.rpartition(".")
        # Follow the format only while the name still ends in one of ours: a name the
        # person typed with another ending is theirs to keep.
        if dot and ext.lower() in FORMATS.values():
            path.value = f"{stem}.{FORMATS[fmt]}"

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        if not self.writing:
            self.dismiss(None)

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted, "#export-path")
    def action_export(self) -> None:
        if self.writing:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._say("Type the name of the file to write.")
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_dir():
            self._say(f"{path} is a folder: add a file name, like {path / 'reflections.md'}.")
            return
        if not path.parent.is_dir():
            self._say(f"The folder {path.parent} does not exist.")
            return
        if path.exists():

            def replace(yes: bool | None) -> None:
                if yes:
                    self._start(path)
                else:
                    self._say("Not written: choose another name, or Export again to replace.")

            self.app.push_screen(
                ConfirmScreen(
                    f"{path} already exists. Replace it with this export?",
                    title="Replace the file?",
                    yes="Replace",
                    no="Keep it",
                ),
                replace,
            )
            return
        self._start(path)

    def _start(self, path: Path) -> None:
        self.writing = True
        self.query_one("#export-go", Button).disabled = True
        self._say(f"Writing {path}…")
        self._write(path, self.format)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, path: Path, fmt: str) -> None:
        from reflectcoach.store import StoreError
        from reflectcoach.store.export import write_file

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
            with self.app.open_store() as store:
                count = write_file(
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
        self.app.call_from_thread(self._done, path, count)

    def _failed(self, message: str) -> None:
        self.writing = False
        self.query_one("#export-go", Button).disabled = False
        self._say(message)

    def _done(self, path: Path, count: int) -> None:
        self.writing = False
        self.app.notify(clean(f"Wrote {count:,} answers to {path}"), title="Exported", markup=False)
        self.dismiss(path)
