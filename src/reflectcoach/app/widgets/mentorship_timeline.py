"""A mentorship's conversations in order: date, script title, status, the record's first
line. Space marks up to two, for comparing them (CompareScreen).

The latest PAGE are shown, oldest first, and `earlier(page)` adds the page read before
them: a DataTable row costs about half a millisecond to add, so a thousand would hold the
screen up for half a second where a real mentorship has a few dozen; and only the rows shown
are read (store `timeline(latest=, before=)`), with how many there are in all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from reflectcoach.app.widgets.review_format import cell, status_word

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.text import Text

    from reflectcoach.store.mentorships import TimelineEntry

MARK = "✓"
PAGE = 100
TITLE_MIN = 24  # the conversation column never narrower; wider when titles need it and
RECORD_MIN = 30  # the record keeps this much


class Unmeasured:
    """A cell drawn as the Text it holds, which does not measure itself. Every column here
    has its width set (the record's from its longest text), yet DataTable measures each new
    cell to size columns, and each measure asks the console for its options, and so the
    terminal for its size: 500 cells, 8 ms of the frame that first shows a page."""

    __slots__ = ("text",)

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text


class MentorshipTimeline(DataTable[object]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.entries: list[TimelineEntry] = []  # those shown (the latest), oldest first
        self.total = 0  # the mentorship's conversations in all
        self.marked: list[str] = []  # at most two conversation ids, in the order marked

    def on_mount(self) -> None:
        self.add_column(" ", key="mark", width=1)
        self.add_column("Date", key="date", width=10)
        self.add_column("Conversation", key="title", width=24)
        self.add_column("Status", key="status", width=11)
        self.add_column("Record", key="record", width=len("Record"))

    def show(self, entries: Sequence[TimelineEntry], total: int) -> None:
        """`entries`, the latest of a mentorship's `total` conversations, oldest first."""
        self.clear()
        self.entries = list(entries)
        self.total = max(total, len(self.entries))
        self.marked = [m for m in self.marked if any(e.id == m for e in self.entries)]
        record = len("Record")
        for entry in self.entries:
            first_line = cell(entry.first_line)
            record = max(record, cell_len(first_line.plain))
            self.add_row(
                Unmeasured(cell(MARK if entry.id in self.marked else "")),
                Unmeasured(cell(entry.started_at[:10])),
                Unmeasured(cell(entry.title)),
                Unmeasured(cell(status_word(entry.status))),
                Unmeasured(first_line),
                key=entry.id,
            )
        # As wide as its longest record, as DataTable's own measuring made it.
        self.columns[ColumnKey("record")].width = record
        self.fit_title()
        # The rows measured now, not when the table is next idle: the screen's next layout
        # then gives the table its height with the rows in it, where it would otherwise lay
        # the screen out twice (the table one line high, then with its rows).
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(new_rows)

    def on_resize(self) -> None:
        self.fit_title()

    def fit_title(self) -> None:
        """The conversation column as wide as its longest title, out of the spare width (at
        140 columns a title is no longer cut beside sixty empty ones)."""
        if ColumnKey("title") not in self.columns or self.size.width <= 0:
            return
        need = max((len(e.title) for e in self.entries), default=TITLE_MIN)
        # Beside it: mark, date and status (and two cells of padding per column), a scrollbar.
        spare = self.size.width - (1 + 10 + 11) - 5 * 2 * self.cell_padding - 2 - RECORD_MIN
        width = max(TITLE_MIN, min(need, spare))
        column = self.columns[ColumnKey("title")]
        if column.width != width:
            column.width = width
            # As review_table.fit_columns does: what add_column sets to work widths out again.
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()

    @property
    def hidden(self) -> int:
        """Earlier conversations not shown yet."""
        return self.total - len(self.entries)

    def earlier(self, page: Sequence[TimelineEntry]) -> None:
        """`page` (up to PAGE read before the first shown) added before those shown; the
        cursor stays on its conversation. A short page is the first: none is left before it
        (some were deleted since the count, say), and the count says so."""
        known = {entry.id for entry in self.entries}
        added = [entry for entry in page if entry.id not in known]
        current = self.current
        total = self.total if len(page) >= PAGE else len(added) + len(self.entries)
        self.show([*added, *self.entries], total)
        if current is not None:
            self.move_cursor(row=self.entries.index(current))

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
            mark = Unmeasured(cell(MARK if shown.id in self.marked else ""))
            self.update_cell(shown.id, "mark", mark)
