"""A mentorship's conversations in order: date, script title, status, the record's first
line. Space marks up to two, for comparing them (CompareScreen)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.widgets import DataTable

from reflectcoach.app.widgets.review_format import cell, status_word

if TYPE_CHECKING:
    from reflectcoach.store.mentorships import TimelineEntry

MARK = "✓"


class MentorshipTimeline(DataTable[object]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.entries: list[TimelineEntry] = []
        self.marked: list[str] = []  # at most two conversation ids, in the order marked

    def on_mount(self) -> None:
        self.add_column(" ", key="mark", width=1)
        self.add_column("Date", key="date", width=10)
        self.add_column("Conversation", key="title", width=24)
        self.add_column("Status", key="status", width=11)
        self.add_column("Record", key="record")

    def show(self, entries: Sequence[TimelineEntry]) -> None:
        self.clear()
        self.entries = list(entries)
        self.marked = [m for m in self.marked if any(e.id == m for e in entries)]
        for entry in entries:
            self.add_row(
                cell(MARK if entry.id in self.marked else ""),
                cell(entry.started_at[:10]),
                cell(entry.title),
                cell(status_word(entry.status)),
                cell(entry.first_line),
                key=entry.id,
            )

    @property
    def current(self) -> TimelineEntry | None:
        if not self.entries or not 0 <= self.cursor_row < len(self.entries):
            return None
        return self.entries[self.cursor_row]

    def toggle_mark(self) -> None:
        entry = self.current
        if entry is None:
            return
        if entry.id in self.marked:
            self.marked.remove(entry.id)
        else:
            self.marked = [*self.marked, entry.id][-2:]
        for shown in self.entries:
            self.update_cell(shown.id, "mark", cell(MARK if shown.id in self.marked else ""))
