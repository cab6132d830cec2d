"""Two completed runs of one script side by side, question by question (compare.py): one
row per question, the mark first (`=`, `≠ changed`, `only in one`) so a difference never
rests on colour alone; an answer both runs gave is shown once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.review_format import one_line
from reflectcoach.core.errors import UserError
from reflectcoach.core.text import clean
from reflectcoach.services.compare import NOT_ASKED, compare

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.services.compare import Comparison
    from reflectcoach.store.mentorships import TimelineEntry

PICK = (
    "Mark two completed runs of one script with space, then press c (or press c on a "
    "run to compare it with the run of its script before it)."
)


def pick_pair(
    entries: Sequence[TimelineEntry], marked: Sequence[str], current: TimelineEntry | None
) -> tuple[str, str] | str:
    """The two conversations to compare: the two marked, else the highlighted one and its
    script's completed run before it; a sentence saying what to do when there are none."""
    if len(marked) == 2:
        found = {e.id: e for e in entries}
        pair = [found.get(i) for i in marked]
        if None in pair:
            return marked[0], marked[1]  # not on this page: compare() says what is wrong
        one, two = sorted((e for e in pair if e is not None), key=lambda e: e.started_at)
        if one.script_id != two.script_id:
            return (
                f"These are runs of different scripts ({_named(one)}, {_named(two)}): only "
                "runs of one script compare question by question. Mark two of one script."
            )
        unfinished = [_named(e) for e in (one, two) if e.status != "completed"]
        if unfinished:
            return (
                f"{' and '.join(unfinished)} is still in progress: only completed runs "
                "compare. Finish it first, or mark another."
            )
        return marked[0], marked[1]
    if current is None or current.status != "completed":
        return PICK
    before = [
        e
        for e in entries
        if e.script_id == current.script_id
        and e.status == "completed"
        and e.started_at < current.started_at
    ]
    if not before:
        return PICK
    return before[-1].id, current.id


def _named(entry: TimelineEntry) -> str:
    return f"{one_line(entry.title)} of {entry.started_at[:10]}"


def _cell(text: str | None, style: str = "") -> Text:
    # Cut with an ellipsis, never mid-word without a sign: the pane below reads it whole.
    return Text(clean(text or ""), style=style, end="", no_wrap=True, overflow="ellipsis")


class CompareScreen(Screen[None]):
    CSS_PATH = "compare.tcss"
    SUB_TITLE = "Compare"
    AUTO_FOCUS = "#compare-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="compare.back", tooltip="Back to the mentorship"),
        Binding(
            "up,down",
            "",
            "Question",
            show=False,
            tooltip="The highlighted question and both answers are shown whole below",
        ),
    ]

    if TYPE_CHECKING:

        @property
        def app(self) -> ReflectCoachApp: ...

    def __init__(self, first_id: str, second_id: str) -> None:
        super().__init__()
        self.ids = (first_id, second_id)
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="compare-about", markup=False)
        yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="compare-detail-box"):
            yield Static("", id="compare-detail", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="compare-load")
    def load(self) -> None:
        worker = get_current_worker()
        try:
            with self.app.worker_store() as store:
                comparison = compare(store, *self.ids)
        except UserError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._problem, str(problem))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, comparison)

    def _problem(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#compare-about", Static).update("⚠ " + clean(message))

    def _show(self, comparison: Comparison) -> None:
        if not self.is_attached:
            return
        self.comparison = comparison
        one, two = comparison.first, comparison.second
        self.query_one("#compare-about", Static).update(
            f"{one_line(one['title'])} · {len(comparison.rows)} questions, "
            f"{comparison.changed} different"
        )
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # What is left beside the mark and question columns, their padding and a scrollbar.
        width = max((self.size.width - 44) // 2, 12)
        table.add_column("", key="mark", width=11)
        table.add_column("Question", key="question", width=20)
        for run, key in ((one, "first"), (two, "second")):
            header = f"{run['started_at'][:10]} · {one_line(run['title'])}"
            table.add_column(_cell(header), key=key, width=width)
        for row in comparison.rows:
            first = NOT_ASKED if row.first is None else row.first
            second = NOT_ASKED if row.second is None else row.second
            style = "" if row.same else "bold"
            table.add_row(
                _cell(row.mark, style),
                _cell(one_line(row.question)),
                _cell(one_line(first), style),
                # Shown once when the same: the later column says so in words.
                _cell("(same)" if row.same else one_line(second), style),
                key=row.step_id,
            )

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_whole(event.row_key.value)

    def _show_whole(self, step_id: str | None) -> None:
        """The highlighted question and both answers, whole, under the table."""
        comparison = self.comparison
        row = (
            next((r for r in comparison.rows if r.step_id == step_id), None) if comparison else None
        )
        if comparison is None or row is None:
            return
        lines = [f"{row.mark}  {row.question}"]
        for run, answer in ((comparison.first, row.first), (comparison.second, row.second)):
            lines.append(f"{run['started_at'][:10]}: {NOT_ASKED if answer is None else answer}")
        self.query_one("#compare-detail", Static).update(clean("\n".join(lines)))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
