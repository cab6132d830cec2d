"""The review screen's filter bar: search, script, mentorship, status and a date range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Select

from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.review_format import DayValidator, day_bounds, one_line, parse_day

STATUS_CHOICES = (
    ("In progress", "in_progress"),
    ("Completed", "completed"),
    ("Abandoned", "abandoned"),
)


@dataclass(frozen=True)
class Filters:
    """What the review table is restricted to; None / "" means no restriction."""

    script_id: str | None = None
    mentorship: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    query: str = ""

    @property
    def active(self) -> bool:
        return self != Filters()

    @property
    def searching(self) -> bool:
        return bool(self.query.strip())

    def store_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for Store.conversations / count / the export writers."""
        since, until = day_bounds(self.since, self.until)
        kwargs: dict[str, Any] = {
            "script_id": self.script_id,
            "mentorship": self.mentorship,
            "status": self.status,
            "since": since,
            "until": until,
        }
        if self.searching:
            kwargs["query"] = self.query.strip()
        return kwargs


def _chosen(value: object) -> str | None:
    return value if isinstance(value, str) else None


class ReviewFilterBar(Vertical):
    """Posts `Changed` with the new Filters, or `Invalid` while a date cannot be read."""

    @dataclass
    class Changed(Message):
        filters: Filters
        typing: bool  # the search text changed: worth a short pause before querying

    @dataclass
    class Invalid(Message):
        message: str

    class Done(Message):
        """Enter in a filter: the person is ready to look at the results."""

    def __init__(self, query: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial_query = query
        self.filters = Filters(query=query)
        self._invalid = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filter-row"):
            search = Input(
                self._initial_query,
                placeholder="Search every question and answer",
                id="review-search",
            )
            search.border_title = "Search"
            yield search
            script = Select[str]([], prompt="Any script", id="review-script")
            script.border_title = "Script"
            yield script
        with Horizontal(classes="filter-row"):
            mentorship = Select[str]([], prompt="Any mentorship", id="review-mentorship")
            mentorship.border_title = "Mentorship"
            yield mentorship
            status = Select[str](STATUS_CHOICES, prompt="Any status", id="review-status-filter")
            status.border_title = "Status"
            yield status
            for name, title in (("since", "From"), ("until", "To")):
                day = Input(
                    placeholder="YYYY-MM-DD",
                    validators=[DayValidator()],
                    valid_empty=True,
                    max_length=10,
                    id=f"review-{name}",
                    classes="day",
                )
                day.border_title = title
                yield day

    def on_mount(self) -> None:
        # A Select draws its border on the inner SelectCurrent, so its title goes there: once
        # something is chosen ("Ada"), the title still says which filter it is.
        for select in self.query(Select):
            select.query_one("SelectCurrent").border_title = select.border_title

    def set_choices(self, scripts: Sequence[tuple[str, str]], mentorships: Sequence[str]) -> None:
        """Offer the scripts (id, title) and mentorships present in the store, keeping the
        current choice when it is still there."""
        self._refill(
            self.query_one("#review-script", Select),
            [(plain(title), script_id) for script_id, title in scripts],
        )
        self._refill(
            self.query_one("#review-mentorship", Select),
            [(plain(one_line(name)), name) for name in mentorships],
        )

    def _refill(self, select: Select[str], options: list[tuple[Any, str]]) -> None:
        current = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if any(value == current for _, value in options):
                select.value = current
        self._update()

    @on(Input.Changed, "#review-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._update(typing=True)

    @on(Input.Changed, ".day")
    def _day_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._update()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._update()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def _update(self, *, typing: bool = False) -> None:
        since_text = self.query_one("#review-since", Input).value
        until_text = self.query_one("#review-until", Input).value
        problems = []
        since = until = None
        try:
            since = parse_day(since_text)
        except ValueError:
            problems.append(f"From: {one_line(since_text)!r} is not a date; use YYYY-MM-DD.")
        try:
            until = parse_day(until_text)
        except ValueError:
            problems.append(f"To: {one_line(until_text)!r} is not a date; use YYYY-MM-DD.")
        if since and until and since > until:
            problems.append("The From date is after the To date.")
        if problems:
            self._invalid = True
            self.post_message(self.Invalid(" ".join(problems)))
            return
        filters = replace(
            self.filters,
            script_id=_chosen(self.query_one("#review-script", Select).value),
            mentorship=_chosen(self.query_one("#review-mentorship", Select).value),
            status=_chosen(self.query_one("#review-status-filter", Select).value),
            since=since,
            until=until,
            query=self.query_one("#review-search", Input).value,
        )
        if filters != self.filters or self._invalid:
            self._invalid = False
            self.filters = filters
            self.post_message(self.Changed(filters, typing))
