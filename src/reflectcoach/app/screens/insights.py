"""How numeric answers moved over time, per question and mentorship, and how often you
reflected: read in a worker, shown as sparklines with every value also written out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Select, Static
from textual.worker import get_current_worker

from reflectcoach.app.widgets.insights_counts import MonthlyCounts
from reflectcoach.app.widgets.insights_series import SeriesPanel
from reflectcoach.app.widgets.review_format import one_line, plain, script_titles
from reflectcoach.text import clean

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp

NO_SERIES = (
    "Nothing to plot yet. When a question asking for a number or a rating (such as "
    "“How confident do you feel, from 1 to 5?”) has been answered in more than one "
    "conversation, its answers appear here over time: one panel per question and mentorship."
)
NO_CONVERSATIONS = "No reflections yet: start one from home (press escape)."


@dataclass
class Figures:
    series: list[Mapping[str, Any]]
    counts: list[Mapping[str, Any]]
    titles: dict[str, str]
    mentorships: list[str]


class InsightsScreen(Screen[None]):
    CSS_PATH = "insights.tcss"
    SUB_TITLE = "Insights"
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
        self.choices_set = False

    def compose(self) -> ComposeResult:
        yield Header()
        mentorship = Select[str]([], prompt="All mentorships", id="insights-mentorship")
        mentorship.border_title = "Mentorship"
        yield mentorship
        with VerticalScroll(id="insights-body"):
            yield Static("Loading…", id="insights-status")
        yield Footer()

    def on_mount(self) -> None:
        select = self.query_one("#insights-mentorship", Select)
        # The border belongs to the Select's inner SelectCurrent: put the title there.
        select.query_one("SelectCurrent").border_title = select.border_title
        self.query_one("#insights-body", VerticalScroll).focus()
        self._reload()

    def _reload(self) -> None:
        self.generation += 1
        self._load(self.mentorship, self.generation)

    @work(thread=True, exclusive=True, group="insights-load")
    def _load(self, mentorship: str | None, generation: int) -> None:
        from reflectcoach.store import StoreError

        worker = get_current_worker()
        try:
            with self.app.open_store() as store:
                figures = Figures(
                    series=list(store.numeric_series(mentorship=mentorship)),
                    counts=list(store.monthly_counts()),
                    titles=script_titles(store),
                    mentorships=list(store.mentorships()),
                )
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_problem, generation, str(problem))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, generation, figures)

    async def _show(self, generation: int, figures: Figures) -> None:
        if generation != self.generation or not self.is_attached:
            return
        if not self.choices_set:
            self.choices_set = True
            select = self.query_one("#insights-mentorship", Select)
            with select.prevent(Select.Changed):
                select.set_options([(plain(one_line(m)), m) for m in figures.mentorships])
        body = self.query_one("#insights-body", VerticalScroll)
        await body.remove_children()
        widgets: list[Static | SeriesPanel | MonthlyCounts] = []
        if not figures.counts:
            widgets.append(Static(Content(NO_CONVERSATIONS), classes="insights-empty"))
        else:
            widgets.append(Static("How your numbers moved", classes="insights-heading"))
            if figures.series:
                widgets.extend(
                    SeriesPanel(
                        series, figures.titles.get(series["script_id"], series["script_id"])
                    )
                    for series in figures.series
                )
            else:
                widgets.append(Static(Content(NO_SERIES), classes="insights-empty"))
            widgets.append(
                Static(
                    "Reflections started per month (all mentorships)", classes="insights-heading"
                )
            )
            widgets.append(MonthlyCounts(id="insights-counts"))
        await body.mount_all(widgets)
        if figures.counts:
            self.query_one(MonthlyCounts).show(figures.counts, figures.titles)

    def _show_problem(self, generation: int, message: str) -> None:
        if generation != self.generation or not self.is_attached:
            return
        body = self.query_one("#insights-body", VerticalScroll)
        body.remove_children()
        body.mount(Static(Content("⚠ " + clean(message)), classes="insights-empty"))

    @on(Select.Changed, "#insights-mentorship")
    def _mentorship_changed(self, event: Select.Changed) -> None:
        self.mentorship = event.value if isinstance(event.value, str) else None
        self._reload()

    def action_mentorship(self) -> None:
        self.query_one("#insights-mentorship", Select).focus()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
