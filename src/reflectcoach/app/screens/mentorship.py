"""A mentorship seen whole: who and since when, every conversation in order, its
commitments, and every rating over time on its declared scale.

Everything is read in one thread worker (mentorship_view.load, the same reading as
`reflectcoach mentorship show`); the screen paints its frame first, then fills it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, OptionList, Static
from textual.worker import get_current_worker

from reflectcoach.app.widgets.insights_series import SeriesPanel
from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.mentorship_commitments import MentorshipCommitments
from reflectcoach.app.widgets.mentorship_ratings import RatingList
from reflectcoach.app.widgets.mentorship_timeline import MentorshipTimeline
from reflectcoach.app.widgets.review_format import count_words, one_line
from reflectcoach.core.text import clean
from reflectcoach.services import exchange, mentorship_view
from reflectcoach.services.mentorship_view import header_text
from reflectcoach.services.ratings import mentorship_ratings
from reflectcoach.store import StoreError
from reflectcoach.store.nudges import nudges

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.services.mentorship_view import MentorshipView
    from reflectcoach.services.ratings import RatingSeries

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
        self.view: MentorshipView | None = None
        self.ratings_read = False
        self.titles: dict[str, str] = {}
        self.reread = False  # read again when back from the Commitments screen

    def compose(self) -> ComposeResult:
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
        self.query_one(SeriesPanel).show_message(LOADING)
        self.load()

    @work(thread=True, exclusive=True, group="mentorship-load")
    def load(self) -> None:
        worker = get_current_worker()
        try:
            with self.app.worker_store() as store:
                # The timeline first, painted while the ratings are read.
                view = mentorship_view.load_head(store, self.mentorship_name, self.app.today())
                if worker.is_cancelled:
                    return
                self.app.call_from_thread(self._show, view)
                said = [
                    n
                    for n in nudges(store.db, self.app.today())
                    if n.mentorship == view.mentorship.name
                ]
                self.app.call_from_thread(self._show_nudges, said[0].parts if said else ())
                partner = exchange.partner_lines(store, view.mentorship.name)
                self.app.call_from_thread(self._show_partner, partner)
                scripts = self.app.catalog().scripts
                ratings = mentorship_ratings(store, scripts, view.mentorship.name)
                titles = store.insights.script_titles()
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._problem, str(problem))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_ratings, ratings, titles)

    def _show(self, view: MentorshipView) -> None:
        if not self.is_attached:
            return
        self.view = view
        self.mentorship_name = view.mentorship.name
        self.query_one("#mentorship-header", Static).update(
            Content(one_line(header_text(view.mentorship)))
        )
        timeline = self.query_one(MentorshipTimeline)
        timeline.show(view.timeline)
        # Start at the latest: the cursor is where the mentorship is now.
        timeline.move_cursor(row=len(timeline.entries) - 1, animate=False)
        self._timeline_heading()
        self.query_one(MentorshipCommitments).show(view.commitments)
        self.refresh_bindings()
        # Focusing the table scrolls the page to it: the heading above belongs in view too.
        self.call_after_refresh(self.query_one("#mentorship-body").scroll_home, animate=False)

    def _show_nudges(self, parts: tuple[str, ...]) -> None:
        """ "Due: midpoint review in 3 days, no check-in for 40 days": words, not colour."""
        if not self.is_attached:
            return
        nudge = self.query_one("#mentorship-nudges", Static)
        nudge.display = bool(parts)
        nudge.update(Content(clean("Due: " + ", ".join(parts))))

    def _show_partner(self, lines: list[str]) -> None:
        """ "From NAME": what the partner last shared, their words apart from the person's."""
        if not self.is_attached:
            return
        heading = self.query_one("#mentorship-partner-heading", Static)
        body = self.query_one("#mentorship-partner", Static)
        heading.display = body.display = bool(lines)
        if lines:
            first, *rest = lines
            heading.update(Content(clean(first.rstrip(":"))))
            body.update(Content(clean("\n".join(line.removeprefix("  ") for line in rest))))

    def _timeline_heading(self) -> None:
        timeline = self.query_one(MentorshipTimeline)
        heading = f"Conversations · {len(timeline.all_entries):,}"
        if timeline.hidden:
            heading += f" (the latest {len(timeline.entries)}: e shows earlier ones)"
        self.query_one("#mentorship-timeline-heading", Static).update(Content(heading))

    def _show_ratings(self, ratings: list[RatingSeries], titles: dict[str, str]) -> None:
        if not self.is_attached or self.view is None:
            return
        self.titles = titles
        self.ratings_read = True
        heading = "Ratings over time"
        if ratings:
            heading += f" · {count_words(len(ratings), 'question')}"
        self.query_one("#mentorship-ratings-heading", Static).update(Content(heading))
        no_ratings = self.query_one("#mentorship-no-ratings", Static)
        no_ratings.update(Content(NO_RATINGS))
        no_ratings.display = not ratings
        self.query_one("#mentorship-ratings").display = bool(ratings)
        self.query_one(RatingList).show(ratings, self.titles)
        self._plot()

    def _problem(self, message: str) -> None:
        if not self.is_attached:
            return
        self.query_one("#mentorship-header", Static).update(Content("⚠ " + clean(message)))
        self.query_one(SeriesPanel).show_message("")

    def _plot(self) -> None:
        series = self.query_one(RatingList).chosen()
        if series is not None:
            self.query_one(SeriesPanel).show(series, self.titles.get(series.script_id, ""))

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
            return self.view is not None and self.view.mentorship.closed
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
        self.query_one(MentorshipTimeline).earlier()
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
