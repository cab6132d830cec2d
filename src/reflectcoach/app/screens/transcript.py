"""One conversation, read back exactly as it was asked: record first, then every answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Markdown, Static
from textual.worker import get_current_worker

from reflectcoach.app.clipboard import copy_record
from reflectcoach.app.screens.confirm import delete_conversation
from reflectcoach.app.screens.export import ExportScreen, ExportSelection
from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.review_format import (
    count_words,
    describe,
    joined,
    mentorship_label,
    one_line,
    status_word,
    when,
)
from reflectcoach.app.widgets.transcript_entry import TranscriptEntry
from reflectcoach.core.text import clean
from reflectcoach.engine.records import share_text
from reflectcoach.store import StoreError

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp


class TranscriptScreen(Screen[None]):
    CSS_PATH = "transcript.tcss"
    SUB_TITLE = "Reflection"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="transcript.back", tooltip="Back to the list"),
        Binding("e", "export", "Export", id="transcript.export", tooltip="Write it to a file"),
        Binding("d", "delete", "Delete", id="transcript.delete", tooltip="Delete it"),
        Binding(
            "y",
            "copy_record",
            "Copy record",
            id="transcript.copy-record",
            tooltip="Copy the record as plain text, to paste into an email or a chat",
        ),
        Binding(
            "c",
            "resume",
            "Continue",
            id="transcript.resume",
            tooltip="Continue where you left off",
        ),
    ]

    if TYPE_CHECKING:

        @property
        def app(self) -> ReflectCoachApp: ...

    def __init__(self, conversation_id: str) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        self.row: Mapping[str, Any] | None = None
        self.stale = True

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="transcript-body"):
            yield Static("Loading…", id="transcript-title")
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        # Back from a continued conversation the stored state has moved on; back from a
        # dialog it has not, and reading again would lose the scroll position.
        if self.stale:
            self.stale = False
            self._load()

    @work(thread=True, exclusive=True, group="transcript-load")
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            with self.app.worker_store() as store:
                row = store.conversation(self.conversation_id)
                answers = store.answers(self.conversation_id) if row else []
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_missing, str(problem))
            return
        if worker.is_cancelled:
            return
        if row is None:
            self.app.call_from_thread(
                self._show_missing, "This reflection is no longer here: it has been deleted."
            )
            return
        self.app.call_from_thread(self._show, row, list(answers))

    async def _show(self, row: Mapping[str, Any], answers: list[Mapping[str, Any]]) -> None:
        if not self.is_attached:
            return
        self.row = row
        body = self.query_one("#transcript-body", VerticalScroll)
        await body.remove_children()
        widgets: list[Static | Markdown | TranscriptEntry] = [
            Static(Content(one_line(row["title"])), id="transcript-title"),
            Static(Content(self._meta(row)), id="transcript-meta"),
        ]
        record = row.get("record")
        if row["status"] == "completed" and record:
            # Script text is Markdown by design; answers inside it were escaped when stored.
            card = Markdown(clean(record), id="transcript-record", open_links=False)
            card.border_title = "Record"
            widgets.append(card)
        widgets.append(
            Static(
                Content("Questions and answers" if answers else "No questions answered yet."),
                id="transcript-heading",
            )
        )
        widgets.extend(
            TranscriptEntry(answer, number) for number, answer in enumerate(answers, start=1)
        )
        await body.mount_all(widgets)
        self.refresh_bindings()

    def _meta(self, row: Mapping[str, Any]) -> str:
        lines = [
            joined(
                [
                    f"Mentorship: {one_line(mentorship_label(row['mentorship']))}",
                    f"Status: {status_word(row['status'])}",
                    count_words(row.get("answer_count", 0), "answer"),
                ]
            ),
            joined(
                [
                    f"Started {when(row['started_at'])}",
                    f"completed {when(row['completed_at'])}" if row.get("completed_at") else "",
                    f"last answer {when(row['updated_at'])}" if not row.get("completed_at") else "",
                    f"id {row['id']}",
                ]
            ),
        ]
        return "\n".join(lines)

    async def _show_missing(self, message: str) -> None:
        if not self.is_attached:
            return
        self.row = None
        body = self.query_one("#transcript-body", VerticalScroll)
        await body.remove_children()
        await body.mount(Static(Content("⚠ " + clean(message)), id="transcript-missing"))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return True
        if self.row is None:
            return None
        if action == "resume":
            return self.row["status"] != "completed"  # hidden: a finished one stays finished
        if action == "copy_record":  # only a finished conversation has a record
            return self._record() is not None
        return True

    def _record(self) -> str | None:
        if self.row is None or self.row["status"] != "completed":
            return None
        return self.row.get("record") or None

    def action_copy_record(self) -> None:
        record = self._record()
        if record is None:
            return
        assert self.row is not None
        copy_record(self.app, clean(share_text(record)), record, f"record-{self.row['id']}")

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_export(self) -> None:
        if self.row is None:
            return
        self.app.push_screen(
            ExportScreen(
                ExportSelection(
                    f"This reflection: {describe(self.row)}.",
                    ids=(self.row["id"],),
                    subject=self.row["script_id"],
                )
            )
        )

    def action_delete(self) -> None:
        if self.row is not None:
            delete_conversation(self, self.row, self._deleted)

    def _deleted(self) -> None:
        if self.is_current and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_resume(self) -> None:
        if self.row is None or self.row["status"] == "completed":
            return
        self.stale = True
        self.app.open_conversation(resume=self.row["id"])
