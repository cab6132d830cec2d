"""A mentorship seen whole: who and since when, every conversation in order, its
commitments, and every rating over time on its declared scale.

Read in a thread worker started as the screen is composed, and shown in one update: a page
of what `reflectcoach mentorship show` reads (the latest conversations and the first
commitments, with how many there are), what is due, the partner's lines, and the ratings:
the list of series (services/ratings.py `rating_list`, no points read) with the points of
the one it highlights. Then whether each listed question's wording changed (each series'
first point: most of what the list would cost) is read and said in its entry. Another
series' points are read when it is highlighted, and kept for the life of the screen's
reading; earlier conversations when `e` asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, OptionList, Static
from textual.worker import get_current_worker

from reflectcoach.app.collector import CollectorPause
from reflectcoach.app.widgets.insights_series import SeriesPanel
from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.mentorship_commitments import OPEN_SHOWN, MentorshipCommitments
from reflectcoach.app.widgets.mentorship_ratings import RatingList
from reflectcoach.app.widgets.mentorship_timeline import PAGE, MentorshipTimeline
from reflectcoach.app.widgets.review_format import count_words, one_line
from reflectcoach.core.text import clean
from reflectcoach.services import exchange, mentorship_view
from reflectcoach.services.mentorship_view import header_text
from reflectcoach.services.ratings import rating_list, with_points, with_wordings
from reflectcoach.store import StoreError
from reflectcoach.store.nudges import nudges

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.services.mentorship_view import MentorshipPage
    from reflectcoach.services.ratings import ListedSeries, RatingSeries, StepKey
    from reflectcoach.store.mentorships import TimelineEntry

LOADING = "Loading…"
NO_RATINGS = "No ratings yet: a question asking for a number or a rating shows here."


class MentorshipScreen(Screen[None]):
    CSS_PATH = "mentorship.tcss"
    SUB_TITLE = "Mentorship"
    AUTO_FOCUS = "#mentorship-timeline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="mentorship.back", tooltip="Back to where you were"),
        Binding(
            "b",
            "brief",
            "Brief",
            id="mentorship.brief",
            tooltip="One page for the next meeting",
            show=False,  # the footer is full at 80 columns; help lists it
        ),
        Binding(
            "n",
            "note",
            "Note",
            id="mentorship.note",
            tooltip="A talking point for the next meeting",
            show=False,
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            id="mentorship.mark",
            tooltip="Mark a conversation (two of one script) to compare",
        ),
        Binding(
            "c",
            "compare",
            "Compare",
            id="mentorship.compare",
            tooltip="The two marked runs (or this one and its script's run before) side by side",
        ),
        Binding(
            "e",
            "earlier",
            "Earlier",
            id="mentorship.earlier",
            show=False,
            tooltip="Show a hundred earlier conversations",
        ),
        Binding(
            "k",
            "commitments",
            "Commitments",
            id="mentorship.commitments",
            tooltip="This mentorship's commitments, to mark them",
        ),
        Binding(
            "p",
            "partner",
            "Partner",
            id="mentorship.partner",
            show=False,
            tooltip="Share with your partner, receive what they shared, link them",
        ),
        Binding(
            "o",
            "reopen",
            "Reopen",
            id="mentorship.reopen",
            tooltip="Make this closed mentorship active again",
        ),
    ]

    if TYPE_CHECKING:

        @property
        def app(self) -> ReflectCoachApp: ...

    def __init__(self, name: str) -> None:
        super().__init__()
        self.mentorship_name = name
        self.page: MentorshipPage | None = None
        self.ratings_read = False
        self.titles: dict[str, str] = {}
        self.generation = 0  # each reading's number: a series read for an earlier one is dropped
        self.series: dict[StepKey, RatingSeries] = {}  # points read so far, by series
        self.reread = False  # read again when back from the Commitments screen
        self.mounted = False
        # What a read that finished before the screen had mounted (a small mentorship, or
        # none by that name) shows once it has: callbacks and their arguments, in order.
        self.early: list[tuple[Callable[..., None], tuple[Any, ...]]] = []

    def compose(self) -> ComposeResult:
        # Until the timeline and the first plot are painted (app/collector.py says why).
        self._collector = CollectorPause()
        # Read while the screen is built: the lifetime's Ada (about 10 ms in the worker) is
        # then often there for the screen's first layout, else for the frame after it.
        self.load()
        yield Header()
        yield Static(Content(one_line(self.mentorship_name)), id="mentorship-header")
        # What the agreement says is due (store/nudges.py), in words; hidden when nothing.
        yield Static(id="mentorship-nudges", markup=False)
        with VerticalScroll(id="mentorship-body"):
            yield Static("Conversations", id="mentorship-timeline-heading", classes="heading")
            yield MentorshipTimeline(id="mentorship-timeline")
            yield Static("Commitments", classes="heading")
            yield MentorshipCommitments(id="mentorship-commitments")
            # The partner's side (services/exchange.py), only once one is linked.
            yield Static(id="mentorship-partner-heading", classes="heading", markup=False)
            yield Static(id="mentorship-partner", markup=False)
            yield Static("Ratings over time", id="mentorship-ratings-heading", classes="heading")
            yield Static(id="mentorship-no-ratings", markup=False)
            with Horizontal(id="mentorship-ratings"):
                yield RatingList(id="mentorship-rating-list")
                yield SeriesPanel(id="mentorship-series")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#mentorship-nudges").display = False
        self.query_one("#mentorship-partner-heading").display = False
        self.query_one("#mentorship-partner").display = False
        # The ratings' list and plot are laid out once, when they have something to show.
        self.query_one("#mentorship-ratings").display = False
        self.query_one("#mentorship-no-ratings", Static).update(Content(LOADING))
        self.mounted = True
        self._collector.end_within(self)
        early, self.early = self.early, []
        for callback, arguments in early:
            callback(*arguments)

    def on_unmount(self) -> None:
        self._collector.end()

    def _when_mounted(self, callback: Callable[..., None], *arguments: Any) -> bool:
        """False (and `callback(*arguments)` kept for on_mount) while not mounted yet."""
        if self.mounted:
            return True
        self.early.append((callback, arguments))
        return False

    def load(self) -> None:
        self.generation += 1
        self.series = {}
        self._load(self.generation)

    @work(thread=True, exclusive=True, group="mentorship-load")
    def _load(self, generation: int) -> None:
        worker = get_current_worker()
        try:
            with self.app.worker_store() as store:
                # All the first frame shows, read before any is shown: each update of the
                # screen costs a layout and a frame of all of it.
                page = mentorship_view.load_page(
                    store,
                    self.mentorship_name,
                    self.app.today(),
                    conversations=PAGE,
                    open_shown=OPEN_SHOWN,
                )
                name = page.mentorship.name
                said = [n for n in nudges(store.db, self.app.today()) if n.mentorship == name]
                partner = exchange.partner_lines(store, name)
                scripts = self.app.catalog().scripts
                listed = rating_list(store, scripts, name, wordings=False)
                titles = store.insights.script_titles()
                first = with_points(store, scripts, listed[0]) if listed else None
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._problem, str(problem))
            return
        if worker.is_cancelled:
            return
        head = (page, said[0].parts if said else (), partner)
        self.app.call_from_thread(self._show, generation, head, (listed, titles, first))

    @work(thread=True, exclusive=True, group="mentorship-wordings")
    def _load_wordings(self, generation: int, listed: list[ListedSeries]) -> None:
        worker = get_current_worker()
        try:
            with self.app.worker_store() as store:
                worded = with_wordings(store, listed)
        except StoreError:
            return  # the list stays as shown: its entries without "wording changed"
        if worded is not listed and not worker.is_cancelled:
            self.app.call_from_thread(self._reworded, generation, worded)

    @work(thread=True, exclusive=True, group="mentorship-series")
    def _load_series(self, listed: ListedSeries, generation: int) -> None:
        worker = get_current_worker()
        try:
            with self.app.worker_store() as store:
                series = with_points(store, self.app.catalog().scripts, listed)
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._series_problem, listed, generation, str(problem))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._series_read, generation, series)

    @work(thread=True, exclusive=True, group="mentorship-earlier")
    def _load_earlier(self, before: str, generation: int) -> None:
        worker = get_current_worker()
        try:
            with self.app.worker_store() as store:
                page = store.mentorships.timeline(self.mentorship_name, latest=PAGE, before=before)
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(
                    self.notify, clean(str(problem)), severity="error", markup=False
                )
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_earlier, generation, before, page)

    def _show(
        self,
        generation: int,
        head: tuple[MentorshipPage, tuple[str, ...], list[str]],
        ratings: tuple[list[ListedSeries], dict[str, str], RatingSeries | None],
    ) -> None:
        if generation != self.generation or not self.is_attached:
            return
        if not self._when_mounted(self._show, generation, head, ratings):
            return
        self._collector.end_after_paint(self)
        page, nudge_parts, partner = head
        self._show_head(page)
        self._show_nudges(nudge_parts)
        self._show_partner(partner)
        self._show_ratings(*ratings)

    def _show_head(self, page: MentorshipPage) -> None:
        self.page = page
        self.mentorship_name = page.mentorship.name
        self.query_one("#mentorship-header", Static).update(
            Content(one_line(header_text(page.mentorship)))
        )
        timeline = self.query_one(MentorshipTimeline)
        timeline.show(page.timeline, page.conversations)
        # Start at the latest: the cursor is where the mentorship is now.
        timeline.move_cursor(row=len(timeline.entries) - 1, animate=False)
        self._timeline_heading()
        self.query_one(MentorshipCommitments).show(page)
        self.refresh_bindings()
        # Focusing the table scrolls the page to it: the heading above belongs in view too.
        self.call_after_refresh(self.query_one("#mentorship-body").scroll_home, animate=False)

    def _show_nudges(self, parts: tuple[str, ...]) -> None:
        """ "Due: midpoint review in 3 days, no check-in for 40 days": words, not colour."""
        nudge = self.query_one("#mentorship-nudges", Static)
        nudge.display = bool(parts)
        nudge.update(Content(clean("Due: " + ", ".join(parts))))

    def _show_partner(self, lines: list[str]) -> None:
        """ "From NAME": what the partner last shared, their words apart from the person's."""
        heading = self.query_one("#mentorship-partner-heading", Static)
        body = self.query_one("#mentorship-partner", Static)
        heading.display = body.display = bool(lines)
        if lines:
            first, *rest = lines
            heading.update(Content(clean(first.rstrip(":"))))
            body.update(Content(clean("\n".join(line.removeprefix("  ") for line in rest))))

    def _timeline_heading(self) -> None:
        timeline = self.query_one(MentorshipTimeline)
        heading = f"Conversations · {timeline.total:,}"
        if timeline.hidden:
            heading += f" (the latest {len(timeline.entries)}: e shows earlier ones)"
        self.query_one("#mentorship-timeline-heading", Static).update(Content(heading))

    def _show_ratings(
        self, listed: list[ListedSeries], titles: dict[str, str], first: RatingSeries | None
    ) -> None:
        self.titles = titles
        self.ratings_read = True
        if first is not None:
            self.series[first.key] = first
        heading = "Ratings over time"
        if listed:
            heading += f" · {count_words(len(listed), 'question')}"
        self.query_one("#mentorship-ratings-heading", Static).update(Content(heading))
        no_ratings = self.query_one("#mentorship-no-ratings", Static)
        no_ratings.update(Content(NO_RATINGS))
        no_ratings.display = not listed
        self.query_one("#mentorship-ratings").display = bool(listed)
        self.query_one(RatingList).show(listed, self.titles)
        self._plot()
        if not all(item.worded for item in listed):
            # Once this frame is drawn: read beside it, it would hold up drawing it.
            self.call_after_refresh(self._load_wordings, self.generation, listed)

    def _reworded(self, generation: int, listed: list[ListedSeries]) -> None:
        if generation != self.generation or not self._when_mounted(
            self._reworded, generation, listed
        ):
            return
        self.query_one(RatingList).reword(listed, self.titles)

    def _series_read(self, generation: int, series: RatingSeries) -> None:
        if generation != self.generation or not self.is_attached:
            return
        self.series[series.key] = series
        self._plot()

    def _series_problem(self, listed: ListedSeries, generation: int, message: str) -> None:
        if generation != self.generation or not self.is_attached:
            return
        chosen = self.query_one(RatingList).chosen()
        if chosen is not None and chosen.series.key == listed.series.key:
            self.query_one(SeriesPanel).show_message("⚠ " + clean(message))

    def _problem(self, message: str) -> None:
        if not self.is_attached or not self._when_mounted(self._problem, message):
            return
        self._collector.end_after_paint(self)
        self.query_one("#mentorship-header", Static).update(Content("⚠ " + clean(message)))
        self.query_one("#mentorship-no-ratings", Static).update("")

    def _plot(self) -> None:
        """The highlighted series, once its points are read; else what it is, and a worker
        to read them. Not again when it is the one shown already."""
        listed = self.query_one(RatingList).chosen()
        if listed is None:
            return
        panel = self.query_one(SeriesPanel)
        series = self.series.get(listed.series.key)
        if series is not None and series is panel.series:
            return
        title = self.titles.get(listed.series.script_id, "")
        if series is not None:
            panel.show(series, title)
            return
        question = {
            "question": listed.series.label,
            "mentorship": listed.series.mentorship,
            "count": listed.count,
        }
        panel.show_pending(question, title)
        self._load_series(listed, self.generation)

    @on(OptionList.OptionHighlighted, "#mentorship-rating-list")
    def _rating_highlighted(self) -> None:
        self._plot()

    @on(DataTable.RowSelected, "#mentorship-timeline")
    def _read(self, event: DataTable.RowSelected) -> None:
        from reflectcoach.app.screens.transcript import TranscriptScreen

        if event.row_key.value:
            self.app.push_screen(TranscriptScreen(event.row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reopen":
            return self.page is not None and self.page.mentorship.closed
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_brief(self) -> None:
        self.rc_app_open("open_brief")

    def action_note(self) -> None:
        self.reread = True
        self.rc_app_open("add_note")

    def rc_app_open(self, what: str) -> None:
        getattr(self.app, what)(self.mentorship_name)

    def action_partner(self) -> None:
        self.reread = True
        self.app.open_partner(self.mentorship_name)

    def action_commitments(self) -> None:
        self.reread = True
        self.app.open_commitments(self.mentorship_name)

    def on_screen_resume(self) -> None:
        # Back from the Commitments screen: statuses may have changed. (Not after a
        # transcript: reading again would lose the timeline's marks and cursor.)
        if self.reread:
            self.reread = False
            self.load()

    def action_earlier(self) -> None:
        timeline = self.query_one(MentorshipTimeline)
        if timeline.hidden and timeline.entries:
            self._load_earlier(timeline.entries[0].id, self.generation)

    def _show_earlier(self, generation: int, before: str, page: list[TimelineEntry]) -> None:
        if generation != self.generation or not self.is_attached:
            return
        timeline = self.query_one(MentorshipTimeline)
        if timeline.entries and timeline.entries[0].id == before:  # not added already
            timeline.earlier(page)
            self._timeline_heading()

    def action_mark(self) -> None:
        self.query_one(MentorshipTimeline).toggle_mark()

    def action_compare(self) -> None:
        from reflectcoach.app.screens.compare import CompareScreen, pick_pair

        timeline = self.query_one(MentorshipTimeline)
        pair = pick_pair(timeline.entries, timeline.marked, timeline.current)
        if isinstance(pair, str):
            self.notify(pair, markup=False)
            return
        self.app.push_screen(CompareScreen(*pair))

    @work(thread=True, group="mentorship-reopen")
    def action_reopen(self) -> None:
        try:
            with self.app.worker_store() as store:
                found = store.mentorships.reopen(self.mentorship_name)
        except StoreError as problem:
            self.app.call_from_thread(
                self.notify, clean(str(problem)), severity="error", markup=False
            )
            return
        self.app.call_from_thread(
            self.notify, clean(f"'{found.name}' is active again."), markup=False
        )
        self.app.call_from_thread(self.load)
