"""Looking back: every conversation in a table, with filters, full-text search and paging.

All reading happens in thread workers with their own Store, so a year of reflections never
holds up a key press; each load carries a generation number and results from a load that
has been overtaken are dropped.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import Worker, get_current_worker

from reflectcoach.app.collector import CollectorPause
from reflectcoach.app.first_read import FirstRead
from reflectcoach.app.notices import NoticeLine, take_warnings
from reflectcoach.app.screens.confirm import ConfirmScreen, delete_conversation
from reflectcoach.app.screens.export import ExportScreen, ExportSelection
from reflectcoach.app.screens.transcript import TranscriptScreen
from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.review_detail import MATCH_END, MATCH_START, ReviewDetail
from reflectcoach.app.widgets.review_filters import Filters, ReviewFilterBar
from reflectcoach.app.widgets.review_format import count_words, describe
from reflectcoach.app.widgets.review_table import ReviewTable
from reflectcoach.app.workers import read_in_worker
from reflectcoach.core.text import clean
from reflectcoach.store import StoreError

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp

PAGE_SIZE = 100
SEARCH_PAUSE_S = 0.15  # typing pause before a search runs; a newer key press cancels it
# A search counts its matches up to here, and says "more than" beyond: a common word's
# count walks the conversations until this many match, not fifty years of them.
COUNT_LIMIT = 1_000
HIT_LIMIT = 500  # search hits fetched for the detail panel (the table itself is not capped)
EMPTY_STORE = (
    "No reflections yet: start one from home (press escape).\n\n"
    "Every conversation you have appears here, newest first, to search, read again, "
    "export or continue."
)


@dataclass
class Page:
    generation: int
    rows: list[Mapping[str, Any]]
    total: int
    hits: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    store_empty: bool = False
    keep: str | None = None  # conversation id to put the cursor back on
    capped: bool = False  # the count stopped at COUNT_LIMIT: `total` is "more than"


def group_hits(hits: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for hit in hits:
        grouped.setdefault(hit["conversation_id"], []).append(hit)
    return grouped


class ReviewScreen(Screen[None]):
    """`query` pre-fills the search and puts the focus there."""

    CSS_PATH = "review.tcss"
    SUB_TITLE = "Your reflections"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="review.back", tooltip="Back to where you were"),
        Binding(
            "slash",
            "search",
            "Search",
            id="review.search",
            show=False,
            tooltip="Search every question and answer",
        ),
        Binding("space", "mark", "Mark", id="review.mark", tooltip="Mark or unmark for export"),
        Binding(
            "e",
            "export",
            "Export",
            id="review.export",
            tooltip="Write the marked reflections, or all that match, to a file",
        ),
        Binding("d", "delete", "Delete", id="review.delete", tooltip="Delete this reflection"),
        Binding(
            "o",
            "mentorship",
            "Mentorship",
            id="review.mentorship",
            show=False,
            tooltip="This reflection's mentorship seen whole",
        ),
        Binding(
            "c",
            "resume",
            "Continue",
            id="review.resume",
            tooltip="Continue this reflection where you left off",
        ),
        Binding("m", "more", "More", id="review.more", show=False, tooltip="Load the next page"),
    ]

    if TYPE_CHECKING:

        @property
        def app(self) -> ReflectCoachApp: ...

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.filters = Filters(query=query)
        self.generation = 0
        self.total = 0
        self.capped = False  # `total` is where the count stopped (more match)
        self.hits: dict[str, list[Mapping[str, Any]]] = {}
        self.loaded = False
        self.loading_more = False
        self.problem: str | None = None
        self.stale = False
        self._table = ReviewTable(id="review-table")
        self._status_line = Static("Loading…", id="review-status")
        self._detail = ReviewDetail(id="review-detail")
        # The first page, read while the screen is built: the first layout has the rows,
        # the columns fitted to them, the status and the detail (app/first_read.py).
        self._first: FirstRead[Page] = FirstRead()
        self._shown_page: Page | None = None
        self._resumed = False
        self._collector: CollectorPause | None = None

    def compose(self) -> ComposeResult:
        # Until the first page is painted (app/collector.py says why); at most a second.
        self._collector = CollectorPause()
        # Read while the widgets are built: on_mount shows it, before the first layout.
        self.reload()
        yield Header()
        with Vertical(id="review-main"):
            yield ReviewFilterBar(self.initial_query, id="review-filters")
            yield self._status_line
            yield self._table
            yield self._detail
        yield Static(Content(EMPTY_STORE), id="review-empty")
        yield NoticeLine()  # notices here, not as toasts over the table
        # This screen has the most keys: the palette (ctrl+p, listed in help) gives up its
        # footer slot so the row's own keys fit in 80 columns.
        yield KeysFooter(show_command_palette=False)

    @property
    def table(self) -> ReviewTable:
        return self._table

    def on_mount(self) -> None:
        if self.app.is_headless:
            for field_ in self.query(Input):
                field_.cursor_blink = False
        if self.initial_query:
            search = self.query_one("#review-search", Input)
            search.focus()
            search.cursor_position = len(search.value)
        else:
            self.table.focus()
        early = self._first.take()
        if early is not None:
            self._show_page(early)
        elif self.problem:
            self._update_status()
        # After the first frame: the rows do not need the filters' choices.
        self.call_after_refresh(self._load_choices)
        self.set_timer(1.0, self._collect_again)

    def on_unmount(self) -> None:
        self._collect_again()

    def _collect_again(self) -> None:
        if self._collector is not None:
            self._collector.end()

    def on_screen_resume(self) -> None:
        take_warnings(self)
        if not self._resumed:  # shown for the first time: on_mount has done the rest
            self._resumed = True
            return
        # Back from another screen with the focus in a filter box, the row keys (e, d, c)
        # would be typed into it: the table is where they work. Dialogs leave the table be.
        if self.loaded and isinstance(self.focused, Input):
            self.table.focus()
        # Back from a transcript or a continued conversation, rows may have changed or gone:
        # read them again, keeping the cursor's row. Dialogs change nothing by themselves.
        if self.stale:
            self.stale = False
            self.reload(keep=self.table.current_id if self.loaded else None)

    # -- loading ---------------------------------------------------------------------------

    def reload(self, *, pause: bool = False, keep: str | None = None) -> None:
        self.generation += 1
        self.loading_more = False
        limit = max(PAGE_SIZE, self.table.row_count) if keep else PAGE_SIZE
        self._load(self.filters, self.generation, limit, pause, keep)

    @work(thread=True, exclusive=True, group="review-load")
    def _load(
        self, filters: Filters, generation: int, limit: int, pause: bool, keep: str | None
    ) -> None:
        worker = get_current_worker()
        try:
            self._read_page(worker, filters, generation, limit, pause, keep)
        finally:
            self._first.end()

    def _read_page(
        self,
        worker: Worker[None],
        filters: Filters,
        generation: int,
        limit: int,
        pause: bool,
        keep: str | None,
    ) -> None:
        if pause:
            time.sleep(SEARCH_PAUSE_S)
            if worker.is_cancelled:
                return
        try:
            with self.app.worker_store() as store:
                kwargs = filters.store_kwargs()
                rows = store.conversations(**kwargs, limit=limit, offset=0)
                at_most = COUNT_LIMIT + 1 if filters.searching else None
                total = len(rows) if len(rows) < limit else store.count(**kwargs, at_most=at_most)
                hits: list[Mapping[str, Any]] = []
                if filters.searching and rows:
                    hits = list(
                        store.search(
                            filters.query.strip(),
                            limit=HIT_LIMIT,
                            markers=(MATCH_START, MATCH_END),
                        )
                    )
                store_empty = not rows and store.count() == 0
        except StoreError as problem:
            self._first.end()  # before the call back, which waits for the UI thread
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_problem, generation, str(problem))
            return
        if worker.is_cancelled:
            return
        capped = at_most is not None and total > COUNT_LIMIT
        page = Page(generation, list(rows), total, group_hits(hits), store_empty, keep, capped)
        self._first.hand_over(page)  # before the call back, which waits for the UI thread
        self.app.call_from_thread(self._show_page, page)

    def _show_page(self, page: Page) -> None:
        if page.generation != self.generation or not self.is_attached:
            return
        if not self._first.mounted or page is self._shown_page:
            return  # on_mount shows it (it was handed over), or has shown it
        self._shown_page = page
        self.call_after_refresh(self._collect_again)
        self.loaded = True
        self.problem = None
        self.total = page.total
        self.capped = page.capped
        self.hits = page.hits
        self.set_class(page.store_empty, "-empty")
        table = self.table
        index = table.cursor_row
        table.show(page.rows)
        if page.keep is not None and table.row_count:
            if page.keep in table.rows_by_id:
                index = table.get_row_index(page.keep)
            table.move_cursor(row=min(index, table.row_count - 1), animate=False)
        self._update_status()
        self._update_detail()
        self.refresh_bindings()

    def _show_problem(self, generation: int, message: str) -> None:
        if generation != self.generation or not self.is_attached:
            return
        self.problem = message
        self.call_after_refresh(self._collect_again)
        if self._first.mounted:  # else on_mount shows it
            self._update_status()

    def action_more(self) -> None:
        table = self.table
        if self.loading_more or not self.more_to_load:
            return
        self.loading_more = True
        self._update_status()
        self._load_more(self.filters, self.generation, table.row_count)

    def _load_more(self, filters: Filters, generation: int, offset: int) -> None:
        kwargs = filters.store_kwargs()
        read_in_worker(
            self,
            lambda store: list(store.conversations(**kwargs, limit=PAGE_SIZE, offset=offset)),
            lambda rows: self._show_more(generation, rows),
            lambda problem: self._show_problem(generation, problem),
            group="review-more",
        )

    def _show_more(self, generation: int, rows: list[Mapping[str, Any]]) -> None:
        if generation != self.generation or not self.is_attached:
            return
        self.loading_more = False
        self.table.show(rows, append=True)
        shown = self.table.row_count
        if not rows or (self.capped and len(rows) < PAGE_SIZE):
            # Some were deleted meanwhile, or the last page of a count that stopped at the
            # limit: now the total is known.
            self.total, self.capped = shown, False
        elif self.capped:
            self.total = max(self.total, shown + 1)  # more than shown, still
        self._update_status()
        self.refresh_bindings()

    def _load_choices(self) -> None:
        # A problem here is the table's own load's to report.
        read_in_worker(
            self,
            lambda store: (list(store.insights.script_titles().items()), store.mentorships.names()),
            lambda found: self._show_choices(*found),
            group="review-choices",
        )

    def _show_choices(self, scripts: list[tuple[str, str]], mentorships: list[str]) -> None:
        if not self.is_attached:
            return
        titles = [title for _, title in scripts]
        labelled = [
            (script_id, title if titles.count(title) == 1 else f"{title} ({script_id})")
            for script_id, title in scripts
        ]
        self.query_one(ReviewFilterBar).set_choices(labelled, mentorships)

    # -- showing ---------------------------------------------------------------------------

    def _update_status(self, message: str | None = None) -> None:
        status = self._status_line
        problem = message or self.problem
        status.set_class(bool(problem), "-problem")
        if problem:
            status.update(Content("⚠ " + clean(problem)))
            return
        shown = self.table.row_count
        if not self.loaded:
            text = "Loading…"
        elif shown == 0:
            text = (
                "No reflections match: change or clear the search and filters."
                if self.filters.active
                else "No reflections yet."
            )
        elif not self.more_to_load:
            text = count_words(self.total, "reflection")
            if self.filters.active:
                text += " match" if self.total != 1 else " matches"
        else:
            more = "loading more…" if self.loading_more else "m or the last row loads more"
            text = f"Showing {shown:,} of {self.total_words()} ({more})"
        marked = len(self.table.marked)
        if marked:
            text += f" · {marked} marked: e exports them"
        status.update(Content(text))

    @property
    def more_to_load(self) -> bool:
        return self.table.row_count < self.total

    def total_words(self) -> str:
        """How many match, in words: "more than 1,000 reflections" where the count stopped."""
        if self.capped:
            return f"more than {COUNT_LIMIT:,} reflections"
        return count_words(self.total, "reflection")

    def _update_detail(self) -> None:
        row = self.table.current
        hits = self.hits.get(row["id"], []) if row else []
        self._detail.show(row, hits, searching=self.filters.searching)

    # -- events ----------------------------------------------------------------------------

    @on(ReviewFilterBar.Changed)
    def _filters_changed(self, event: ReviewFilterBar.Changed) -> None:
        self.filters = event.filters
        self.problem = None
        self.reload(pause=event.typing)

    @on(ReviewFilterBar.Invalid)
    def _filters_invalid(self, event: ReviewFilterBar.Invalid) -> None:
        # The table keeps the last valid filters' rows; the message says what to fix.
        self._update_status(event.message)

    @on(ReviewFilterBar.Done)
    def _filters_done(self) -> None:
        self.table.focus()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_detail()
        self.refresh_bindings()
        if event.cursor_row >= self.table.row_count - 1:
            self.action_more()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        row = self.table.rows_by_id.get(event.row_key.value or "")
        if row is None:
            return
        if row["status"] != "in_progress":
            self._open(row["id"])
            return

        def chosen(resume: bool | None) -> None:
            if resume:
                self._resume(row["id"])
            elif resume is False:
                self._open(row["id"])  # None: escape closed the dialog

        self.app.push_screen(
            ConfirmScreen(
                f"{describe(row)}. It is still in progress: continue where you left off, "
                "or read what you have so far?",
                title="Continue this reflection?",
                yes="Continue",
                no="Read it",
                escape_cancels=True,
            ),
            chosen,
        )

    def _open(self, conversation_id: str) -> None:
        self.stale = True
        self.app.push_screen(TranscriptScreen(conversation_id))

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys that cannot do anything for this row are hidden, so the footer lists only
        # what works here (and fits in 80 columns).
        if action in ("back", "search"):
            return True
        table = self.table
        row = table.current
        if action == "more":
            return self.more_to_load
        if action in ("mark", "delete", "export"):
            return row is not None
        if action == "resume":
            return row is not None and row["status"] != "completed"
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_search(self) -> None:
        self.query_one("#review-search", Input).focus()

    def action_mark(self) -> None:
        current_id = self.table.current_id
        if current_id is not None:
            self.table.toggle_mark(current_id)
            self._update_status()

    def action_export(self) -> None:
        table = self.table
        if table.marked:
            ids = tuple(key for key in table.rows_by_id if key in table.marked)
            selection = ExportSelection(f"{count_words(len(ids), 'marked reflection')}.", ids=ids)
        elif self.total:
            what = (
                f"{self.total_words()} matching the search and filters."
                if self.filters.active
                else f"All {count_words(self.total, 'reflection')}."
            )
            selection = ExportSelection(what, filters=self.filters.store_kwargs())
        else:
            self.notify("Nothing to export here.", markup=False)
            return
        self.app.push_screen(ExportScreen(selection))

    def action_delete(self) -> None:
        row = self.table.current
        if row is not None:
            delete_conversation(self, row, lambda: self._deleted(row["id"]))

    def _deleted(self, conversation_id: str) -> None:
        if not self.is_attached:
            return
        self.table.remove(conversation_id)
        self._load_choices()
        self.reload(keep=self.table.current_id)

    def action_mentorship(self) -> None:
        row = self.table.current
        self.app.open_mentorship(None if row is None else row["mentorship"])

    def action_resume(self) -> None:
        row = self.table.current
        if row is None:
            return
        if row["status"] == "completed":
            self.notify("That reflection is complete: press Enter to read it.", markup=False)
            return
        self._resume(row["id"])

    def _resume(self, conversation_id: str) -> None:
        self.stale = True
        self.app.open_conversation(resume=conversation_id)
