"""The table of conversations on the review screen, one row per conversation."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from reflectcoach.app.widgets.review_format import cell, day, mentorship_label, status_word

MARK = "✓"


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
        self.add_column(" ", key="mark", width=1)
        self.add_column("Started", key="started", width=10)
        self.add_column("Reflection", key="title", width=24)
        self.add_column("Mentorship", key="mentorship", width=12)
        self.add_column("Status", key="status", width=11)
        self.add_column("Answers", key="answers", width=7)

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

    def _cells(self, row: Mapping[str, Any]) -> list[Text]:
        answers = Text(str(row.get("answer_count", 0)), justify="right", end="")
        return [
            Text(MARK if row["id"] in self.marked else " ", end=""),
            cell(day(row["started_at"])),
            cell(row["title"], 24),
            cell(mentorship_label(row["mentorship"]), 12),
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
