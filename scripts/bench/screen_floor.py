"""The floor of a screen painted from a key: a bare Textual app whose `r` pushes a screen of a
Header, a DataTable holding the same 100 rows review shows, and a Footer. What any Textual
screen with that table costs to paint here, so a screen row's remaining cost can be told
from Textual's own (the issue's "explained" rule: within 10% of such a floor)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList
from textual_plotext import PlotextPlot

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


async def _opens(
    app: App[Any], key: str, shown: Callable[[Any], bool], screen_type: type, runs: int
) -> list[float]:
    """ms from `key` to a frame where `shown(screen)` holds, `runs` times, back each time."""
    found: list[float] = []
    async with app.run_test(size=(100, 40)) as pilot:
        watch = PaintWatch(app)

        def ready() -> bool:
            return isinstance(app.screen, screen_type) and shown(app.screen)

        for _ in range(runs):
            await pilot.pause()
            watch.expect(ready)
            start = time.perf_counter()
            await pilot.press(key)
            found.append((await watch.wait(timeout=120) - start) * 1000)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, screen_type), "back")
    return found


async def table_floor(db: Path, runs: int) -> list[float]:
    """ms from `r` to the bare table screen painted with its rows, `runs` times."""

    def shown(screen: Any) -> bool:
        table = screen.query_one(DataTable)
        return table.row_count > 0 and composited(screen, table)

    return await _opens(TableFloorApp(review_rows(db)), "r", shown, TableScreen, runs)


PLOT_FLOOR = (
    "bare Textual screen from a key: Header, OptionList of the same questions, "
    "PlotextPlot of the same points, Footer"
)


def insights_first(db: Path) -> tuple[list[tuple[str, str]], list[float]]:
    """Insights' list as (question, about) lines, and the values its first plot shows."""
    from reflectcoach.app.screens.insights import series_for
    from reflectcoach.app.widgets.insights_questions import in_list_order, question_key
    from reflectcoach.script.registry import builtin_dir, load_catalog

    scripts = load_catalog([builtin_dir()]).scripts
    with Store.open(db) as store:
        titles = store.insights.script_titles()
        questions = in_list_order(store.insights.numeric_questions(), titles)
        series = series_for(store, scripts, question_key(questions[0]))
    lines = [(str(q["question"]), f"{q['count']} answers · {q['mentorship']}") for q in questions]
    return lines, [] if series is None else [point.value for point in series.points]


class PlotScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, lines: Sequence[tuple[str, str]], values: Sequence[float]) -> None:
        super().__init__()
        self.lines = lines
        self.values = values

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(
                *(
                    Content.assemble((q, "bold"), "\n", (about, "$text-muted"))
                    for q, about in self.lines
                )
            )
            yield PlotextPlot()
        yield Footer()

    def on_mount(self) -> None:
        plt = self.query_one(PlotextPlot).plt
        xs = list(range(len(self.values)))
        plt.plot(xs, list(self.values), marker="braille")
        plt.scatter(xs, list(self.values), marker="●")
        self.query_one(OptionList).focus()


class PlotFloorApp(App[None]):
    CSS = "OptionList { width: 45%; height: 16; } PlotextPlot { height: 14; }"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("i", "open", "Open")]

    def __init__(self, lines: Sequence[tuple[str, str]], values: Sequence[float]) -> None:
        super().__init__()
        self.lines = lines
        self.values = values

    def action_open(self) -> None:
        self.push_screen(PlotScreen(self.lines, self.values))


async def plot_floor(db: Path, runs: int) -> list[float]:
    """ms from `i` to the bare list-and-plot screen painted with its points, `runs` times."""

    def shown(screen: Any) -> bool:
        # Its points are given before the screen's first frame (on_mount).
        return composited(screen, screen.query_one(PlotextPlot))

    return await _opens(PlotFloorApp(*insights_first(db)), "i", shown, PlotScreen, runs)
