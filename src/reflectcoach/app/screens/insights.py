"""How numeric answers moved over time, per question and mentorship, and how often you
reflected.

The screen lists the questions that can be plotted (the store's `numeric_questions`, no
points read) and plots only the highlighted one: its newest points (the panel's
SHOWN_POINTS, with the count, lowest and highest of all of them) are read in a worker when
it is first highlighted, then kept for the life of the screen. Every value shown is also
written out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Select, Static
from textual.worker import get_current_worker

from reflectcoach.app.collector import CollectorPause
from reflectcoach.app.first_read import FirstRead
from reflectcoach.app.widgets import insights_series
from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.insights_counts import MonthlyCounts
from reflectcoach.app.widgets.insights_questions import (
    QuestionKey,
    QuestionList,
    in_list_order,
    question_key,
)
from reflectcoach.app.widgets.insights_series import SeriesPanel
from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.review_format import count_words, one_line
from reflectcoach.core.text import clean
from reflectcoach.services.ratings import RatingSeries, question_series, re_raters
from reflectcoach.store import StoreError

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.script.model import Script
    from reflectcoach.store import Store

NO_SERIES = (
    "Nothing to plot yet. When a question asking for a number or a rating (such as "
    "“How confident do you feel, from 1 to 5?”) has been answered in more than one "
    "conversation, it is listed here: choose it to see its answers over time, one list "
    "entry per question and mentorship."
)
NO_SERIES_FOR = (
    "Nothing to plot for {name} yet: no question asking for a number or a rating has been "
    "answered in more than one of their conversations. Press m and choose “All "
    "mentorships” to see everyone's."
)
NO_CONVERSATIONS = "No reflections yet: start one from home (press escape)."
LOADING = "Loading…"
NUMBERS_HEADING = "How your numbers moved"


def no_series_text(mentorship: str | None) -> str:
    if mentorship is None:
        return NO_SERIES
    return NO_SERIES_FOR.format(name=one_line(mentorship))


def series_for(
    store: Store, scripts: Mapping[str, Script], key: QuestionKey
) -> RatingSeries | None:
    """The newest points the panel shows of one question in one mentorship (None: the
    conversations without one), with its re-ratings, on its declared scale; the count,
    lowest and highest it states are of every point."""
    script_id, step_id, mentorship = key
    return question_series(
        store, scripts, (script_id, step_id), mentorship, newest=insights_series.SHOWN_POINTS
    )


@dataclass
class Figures:
    questions: list[Mapping[str, Any]]
    # The series of the question the list will highlight, read with the list.
    first: tuple[QuestionKey, RatingSeries | None] | None
    titles: dict[str, str]  # none: there are no conversations at all
    mentorships: list[str]


class InsightsScreen(Screen[None]):
    """Opens on the (empty) question list with "Loading…" beside it; the worker's figures
    then fill it, the list and its first plot in one frame, then the monthly table below
    them (its read grows with the history, and the plot need not wait for it). Sections
    are shown and hidden through their own `display`: a class on the screen would restyle
    every widget on it, which costs more than the rest of opening.
    """

    CSS_PATH = "insights.tcss"
    SUB_TITLE = "Insights"
    AUTO_FOCUS = "#insights-questions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="insights.back", tooltip="Back to where you were"),
        Binding(
            "m",
            "mentorship",
            "Mentorship",
            id="insights.mentorship",
            tooltip="Show one mentorship's answers",
        ),
    ]

    if TYPE_CHECKING:

        @property
        def app(self) -> ReflectCoachApp: ...

    def __init__(self) -> None:
        super().__init__()
        self.mentorship: str | None = None
        self.generation = 0
        self.loaded = False  # the first figures have arrived (titles, names)
        self.empty = False  # ... and there were no reflections at all
        self.counted = False  # the monthly table is filled (read once: every mentorship's)
        self.titles: dict[str, str] = {}
        self.series: dict[QuestionKey, RatingSeries | None] = {}  # read so far
        self._shown: Figures | None = None
        # The first read, begun as the screen is built: the first layout has the list and
        # its plot (app/first_read.py); a problem is handed over as its message.
        self._first: FirstRead[tuple[int, Figures | str]] = FirstRead()

    def compose(self) -> ComposeResult:
        # Until the list and its first plot are painted (app/collector.py says why).
        self._collector = CollectorPause()
        # The first read starts while the widgets are built: on_mount shows what it found.
        self.generation += 1
        self._load(self.mentorship, self.generation, None, first=True)
        yield Header()
        mentorship = Select[str]([], prompt="All mentorships", id="insights-mentorship")
        mentorship.border_title = "Mentorship"
        yield mentorship
        with VerticalScroll(id="insights-body"):
            yield Static(id="insights-status", classes="insights-empty")
            yield Static(NUMBERS_HEADING, id="insights-numbers-heading", classes="insights-heading")
            yield Static(id="insights-no-series", classes="insights-empty", markup=False)
            with Horizontal(id="insights-numbers"):
                yield QuestionList(id="insights-questions")
                yield SeriesPanel(id="insights-series")
            yield Static(
                "Reflections started per month (all mentorships)",
                id="insights-counts-heading",
                classes="insights-heading",
            )
            yield MonthlyCounts(id="insights-counts")
        yield KeysFooter()

    def on_mount(self) -> None:
        select = self.query_one("#insights-mentorship", Select)
        # The border belongs to the Select's inner SelectCurrent: put the title there.
        select.query_one("SelectCurrent").border_title = select.border_title
        self.query_one(SeriesPanel).show_message(LOADING)
        early = self._first.take()
        if early is not None:
            generation, found = early
            if isinstance(found, str):
                self._show_problem(generation, found)
            else:
                self._show(generation, found)
        self._collector.end_within(self)

    def on_unmount(self) -> None:
        self._collector.end()

    # -- reading ---------------------------------------------------------------------------

    def _reload(self) -> None:
        self.generation += 1
        self.series.clear()
        shown = self.query_one(QuestionList).question()
        keep = None if shown is None else question_key(shown)
        self._load(self.mentorship, self.generation, keep, first=not self.loaded)

    @work(thread=True, exclusive=True, group="insights-load")
    def _load(
        self, mentorship: str | None, generation: int, keep: QuestionKey | None, *, first: bool
    ) -> None:
        """The list, and the series of the question it will highlight (`keep` if listed,
        else the first), in one go; the titles and mentorships too the `first` time."""
        worker = get_current_worker()
        try:
            scripts = self.app.catalog().scripts
            # A re-rating is plotted with what it re-rates, not listed on its own.
            raters = {rater for found in re_raters(scripts.values()).values() for rater in found}
            with self.app.worker_store() as store:
                titles = store.insights.script_titles() if first else self.titles
                numeric = [
                    q
                    for q in store.insights.numeric_questions(mentorship=mentorship)
                    if (q["script_id"], q["step_id"]) not in raters
                ]
                questions = in_list_order(numeric, titles)
                keys = [question_key(q) for q in questions]
                shown = keep if keep in keys else (keys[0] if keys else None)
                figures = Figures(
                    questions=questions,
                    first=None if shown is None else (shown, series_for(store, scripts, shown)),
                    titles=titles,
                    mentorships=list(store.mentorships.names()) if first else [],
                )
        except StoreError as problem:
            self._first.hand_over((generation, str(problem)))  # before the call back
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_problem, generation, str(problem))
            return
        else:
            self._first.hand_over((generation, figures))  # before the call back
        finally:
            self._first.end()
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, generation, figures)

    @work(thread=True, exclusive=True, group="insights-counts")
    def _load_counts(self) -> None:
        """Conversations started per month and script, every mentorship's: once."""
        worker = get_current_worker()
        try:
            with self.app.worker_store() as store:
                counts = list(store.insights.monthly_counts())
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._counts_problem, str(problem))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_counts, counts)

    @work(thread=True, exclusive=True, group="insights-series")
    def _load_series(self, key: QuestionKey, generation: int) -> None:
        worker = get_current_worker()
        try:
            scripts = self.app.catalog().scripts
            with self.app.worker_store() as store:
                series = series_for(store, scripts, key)
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._series_problem, key, generation, str(problem))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._series_read, key, generation, series)

    # -- showing ---------------------------------------------------------------------------

    def _show(self, generation: int, figures: Figures) -> None:
        if generation != self.generation or not self.is_attached:
            return
        if not self._first.mounted or figures is self._shown:
            return  # on_mount shows it (handed over early), or has shown it
        self._shown = figures
        self._collector.end_after_paint(self)
        if not self.loaded:
            self.loaded = True
            self.titles = figures.titles
            select = self.query_one("#insights-mentorship", Select)
            with select.prevent(Select.Changed):
                select.set_options([(plain(one_line(m)), m) for m in figures.mentorships])
            if not figures.titles:  # not one conversation, of any script
                self.empty = True
                self._only_status(NO_CONVERSATIONS)
                return
            # Read after this list and plot are shown: the frame that shows them does not
            # wait for the table, nor for its read.
            self._load_counts()
        elif self.empty:
            return
        self._sections(shown=True)  # again, after a problem reading a mentorship's list
        no_series = self.query_one("#insights-no-series", Static)
        no_series.update(Content(no_series_text(self.mentorship)))
        no_series.display = not figures.questions
        self.query_one("#insights-numbers").display = bool(figures.questions)
        heading = NUMBERS_HEADING
        if figures.questions:
            heading += f" · {count_words(len(figures.questions), 'question')}"
        self.query_one("#insights-numbers-heading", Static).update(Content(heading))
        keep = None
        if figures.first is not None:
            keep, series = figures.first
            self.series[keep] = series
        self.query_one(QuestionList).show(figures.questions, self.titles, keep=keep)
        # Plotted now, so the list and its plot share one layout and one frame: waiting for
        # the OptionHighlighted the highlight posts cost a second of each (that handler
        # then finds it shown already).
        if keep is not None:
            self._plot(keep)

    def _show_counts(self, counts: list[Mapping[str, Any]]) -> None:
        if not self.is_attached:
            return
        self.counted = True
        self.query_one(MonthlyCounts).show(counts, self.titles)
        if not self.query_one("#insights-status").display:  # not replaced by a problem
            self.query_one("#insights-counts-heading").display = True
            self.query_one(MonthlyCounts).display = True

    def _counts_problem(self, message: str) -> None:
        if self.is_attached:
            self._only_status("⚠ " + clean(message))

    def _sections(self, *, shown: bool) -> None:
        """The headings, the list and the table (once it is read), or (not `shown`) only
        the status line."""
        self.query_one("#insights-numbers-heading").display = shown
        self.query_one("#insights-counts-heading").display = shown and self.counted
        self.query_one(MonthlyCounts).display = shown and self.counted
        self.query_one("#insights-status").display = not shown
        if not shown:
            self.query_one("#insights-no-series").display = False
            self.query_one("#insights-numbers").display = False

    def _only_status(self, message: str) -> None:
        """Nothing but `message` (no reflections, or a problem reading them)."""
        self._sections(shown=False)
        self.query_one("#insights-status", Static).update(Content(message))
        self.query_one("#insights-body", VerticalScroll).focus()

    def _plot(self, key: QuestionKey) -> None:
        panel = self.query_one(SeriesPanel)
        series = self.series.get(key)
        if series is not None and panel.series is series:
            return  # on show already: plotting it again would only redraw the same
        if series is None:
            panel.show_message("Nothing to plot for this question any more.")
        else:
            panel.show(series, self.titles.get(key[0], key[0]))

    def _series_read(self, key: QuestionKey, generation: int, series: RatingSeries | None) -> None:
        if generation != self.generation or not self.is_attached:
            return
        self.series[key] = series
        shown = self.query_one(QuestionList).question()
        if shown is not None and question_key(shown) == key:
            self._plot(key)

    def _series_problem(self, key: QuestionKey, generation: int, message: str) -> None:
        if generation != self.generation or not self.is_attached:
            return
        shown = self.query_one(QuestionList).question()
        if shown is not None and question_key(shown) == key:
            self.query_one(SeriesPanel).show_message("⚠ " + message)

    def _show_problem(self, generation: int, message: str) -> None:
        if generation != self.generation or not self.is_attached or not self._first.mounted:
            return  # before on_mount: it shows the problem handed over
        self._collector.end_after_paint(self)
        self._only_status("⚠ " + clean(message))

    # -- events and actions ----------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#insights-questions")
    def _question_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        question = self.query_one(QuestionList).question(event.option_index)
        if question is None:
            return
        key = question_key(question)
        if key in self.series:
            self._plot(key)
        else:
            self.query_one(SeriesPanel).show_pending(question, self.titles.get(key[0], key[0]))
            self._load_series(key, self.generation)

    @on(Select.Changed, "#insights-mentorship")
    def _mentorship_changed(self, event: Select.Changed) -> None:
        self.mentorship = event.value if isinstance(event.value, str) else None
        self._reload()

    def action_mentorship(self) -> None:
        self.query_one("#insights-mentorship", Select).focus()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
