"""The table of conversations on the review screen, one row per conversation.

The title and mentorship columns share whatever width the table has (recomputed on every
resize and every new page), so a wide terminal shows whole titles and names; the other
columns are as wide as their longest possible text. Cells are never cut by hand: a cell
too long for its column ends in an ellipsis drawn by the table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowDoesNotExist

from reflectcoach.app.widgets.review_format import (
    STATUS_WORDS,
    cell,
    mentorship_label,
    one_line,
    status_word,
    when,
)

MARK = "✓"
# Columns whose text has a known longest form: (key, label, width).
FIXED = (
    ("mark", " ", 1),
    ("started", "Started", len("2026-01-05 09:15")),
    ("status", "Status", max(len(w) for w in STATUS_WORDS.values())),
    ("answers", "Answers", len("Answers")),
)
MIN_TITLE = 12
MIN_MENTORSHIP = 10
MENTORSHIP_SHARE = 0.4  # of the room left, when titles and names do not both fit
SCROLLBAR_ROOM = 2  # kept free even before rows need the scrollbar, so widths stay put


class ReviewTable(DataTable[Text]):
    """Rows keyed by conversation id; keeps each row's dict and the set of marked ids."""

    # A list of rows, not a sheet: Home and End go to the first and last conversation
    # (the last one loads the next page).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.rows_by_id: dict[str, Mapping[str, Any]] = {}
        self.marked: set[str] = set()

    def on_mount(self) -> None:
        widths = {key: width for key, _, width in FIXED}
        labels = {key: label for key, label, _ in FIXED}
        for key in ("mark", "started"):
            self.add_column(labels[key], key=key, width=widths[key])
        self.add_column("Reflection", key="title", width=MIN_TITLE)
        self.add_column("Mentorship", key="mentorship", width=MIN_MENTORSHIP)
        for key in ("status", "answers"):
            self.add_column(labels[key], key=key, width=widths[key])

    def on_resize(self, event: Resize) -> None:
        self.fit_columns()

    def show(self, rows: Iterable[Mapping[str, Any]], *, append: bool = False) -> None:
        if not append:
            self.clear()
            self.rows_by_id.clear()
        for row in rows:
            if row["id"] in self.rows_by_id:
                continue  # a page boundary can shift when a conversation is added meanwhile
            self.rows_by_id[row["id"]] = row
            self.add_row(*self._cells(row), key=row["id"])
        self.marked &= set(self.rows_by_id)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give the title and mentorship columns the width the table has to spare."""
        padding = 2 * self.cell_padding
        fixed = sum(width + padding for _, _, width in FIXED)
        # Before its first layout the table has no size yet: it spans the screen (review.tcss),
        # so the columns are fitted for the first frame, and Resize corrects them if not.
        width = self.size.width or self.app.size.width
        spare = width - SCROLLBAR_ROOM - fixed - 2 * padding
        if spare <= 0:
            return
        title_need = max(
            [len("Reflection"), *(cell_len(one_line(r["title"])) for r in self.rows_by_id.values())]
        )
        who_need = max(
            [
                len("Mentorship"),
                *(
                    len(one_line(mentorship_label(r["mentorship"])))
                    for r in self.rows_by_id.values()
                ),
            ]
        )
        title, who = fair_widths(spare, title_need, who_need)
        changed = False
        for key, width in (("title", title), ("mentorship", who)):
            column = self.columns[ColumnKey(key)]
            if column.width != width:
                column.width = width
                changed = True
        if changed:
            # DataTable has no public way to resize a column: these are what its own
            # add_column sets so that widths and the cached cells are worked out again.
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()

    def _cells(self, row: Mapping[str, Any]) -> list[Text]:
        answers = Text(str(row.get("answer_count", 0)), justify="right", end="")
        return [
            Text(MARK if row["id"] in self.marked else " ", end=""),
            cell(when(row["started_at"])),
            cell(row["title"]),
            cell(mentorship_label(row["mentorship"])),
            cell(status_word(row["status"])),
            answers,
        ]

    @property
    def current_id(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:
            return None
        return key.value

    @property
    def current(self) -> Mapping[str, Any] | None:
        current_id = self.current_id
        return None if current_id is None else self.rows_by_id.get(current_id)

    def toggle_mark(self, conversation_id: str) -> None:
        if conversation_id in self.marked:
            self.marked.discard(conversation_id)
        else:
            self.marked.add(conversation_id)
        self.update_cell(
            conversation_id, "mark", Text(MARK if conversation_id in self.marked else " ", end="")
        )

    def remove(self, conversation_id: str) -> None:
        self.rows_by_id.pop(conversation_id, None)
        self.marked.discard(conversation_id)
        with contextlib.suppress(RowDoesNotExist):
            self.remove_row(conversation_id)


def fair_widths(spare: int, title_need: int, who_need: int) -> tuple[int, int]:
    """(title, mentorship) widths out of `spare` columns: each gets what its longest text
    needs when both fit (the title takes any rest); otherwise names get up to their share
    and titles the rest, neither below its minimum."""
    if title_need + who_need <= spare:
        return spare - who_need, who_need
    who = min(who_need, max(MIN_MENTORSHIP, int(spare * MENTORSHIP_SHARE)))
    title = max(MIN_TITLE, spare - who)
    if title > title_need:  # titles are short: the names may have what titles leave
        who = max(who, spare - title_need)
        title = title_need
    return title, who
