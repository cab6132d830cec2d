"""The floor of a screen painted from a key: a bare Textual app whose `r` pushes a screen of a
Header, a DataTable holding the same 100 rows review shows, and a Footer. What any Textual
screen with that table costs to paint here, so a screen row's remaining cost can be told
from Textual's own (the issue's "explained" rule: within 10% of such a floor)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from reflectcoach.store import Store

from .paint import PaintWatch, composited, until

COLUMNS = ("Started", "Conversation", "With", "Status", "Answers")


def review_rows(db: Path) -> list[tuple[str, ...]]:
    """Review's first page, as the cells of its table (text only)."""
    with Store.open(db) as store:
        return [
            (
                row["started_at"][:16].replace("T", " "),
                row["title"],
                row["mentorship"] or "",
                row["status"],
                str(row["answer_count"]),
            )
            for row in store.conversations(limit=100)
        ]


class TableScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, rows: Sequence[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(self.rows)
        table.focus()


class TableFloorApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("r", "open", "Open")]

    def __init__(self, rows: Sequence[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def action_open(self) -> None:
        self.push_screen(TableScreen(self.rows))


async def table_floor(db: Path, runs: int) -> list[float]:
    """ms from `r` to the bare table screen painted with its rows, `runs` times."""
    app = TableFloorApp(review_rows(db))
    found: list[float] = []
    async with app.run_test(size=(100, 40)) as pilot:
        watch = PaintWatch(app)

        def shown() -> bool:
            screen: Any = app.screen
            if not isinstance(screen, TableScreen):
                return False
            table = screen.query_one(DataTable)
            return table.row_count > 0 and composited(screen, table)

        for _ in range(runs):
            await pilot.pause()
            watch.expect(shown)
            start = time.perf_counter()
            await pilot.press("r")
            found.append((await watch.wait(timeout=120) - start) * 1000)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, TableScreen), "back")
    return found
