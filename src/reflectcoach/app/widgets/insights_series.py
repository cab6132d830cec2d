"""One numeric question over time: its text, a sparkline, and every value in words.

The panel is composed once and shows whichever question is chosen (`show`), or a message
while there is none to show (`show_message`): choosing another question changes four
widgets' content and mounts nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.review_format import (
    count_words,
    day,
    joined,
    mentorship_label,
    one_line,
)
from reflectcoach.numbers import as_float

# Between a date and its value: a no-break space keeps "2026-01-05: 4" on one line when
# the list wraps.
NBSP = "\u00a0"
COLUMNS_PER_POINT = 6


def number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}"


def values_text(points: Sequence[tuple[str, float]]) -> str:
    """Every point as `date: value`, oldest first, so nothing depends on reading the plot."""
    return "   ".join(f"{day(at)}:{NBSP}{number(value)}" for at, value in points)


def about_text(script_title: str, mentorship: str | None, values: Sequence[float]) -> str:
    """`Weekly check-in · Ada · 3 answers · lowest 3, highest 5` (plain text)."""
    return joined(
        [
            one_line(script_title),
            one_line(mentorship_label(mentorship)),
            count_words(len(values), "answer"),
            f"lowest {number(min(values))}, highest {number(max(values))}" if values else "",
        ]
    )


class SeriesPanel(Vertical):
    """A question's answers in the conversations of one mentorship, oldest first."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="series-panel")

    def compose(self) -> ComposeResult:
        yield Static(classes="series-question", markup=False)
        yield Static(classes="series-about", markup=False)
        yield Sparkline([], classes="series-plot")
        yield Static(classes="series-values", markup=False)

    def show(self, series: Mapping[str, Any], script_title: str) -> None:
        """Plot `series` (a store Series) and write out each of its values."""
        # Every value as a float, leaving out any that is not a number an answer may hold:
        # the store already does, but a panel must not raise over a value from elsewhere.
        points = [
            (at, number)
            for at, value in series["points"]
            if (number := as_float(value)) is not None
        ]
        values = [value for _, value in points]
        self.query_one(".series-question", Static).update(Content(one_line(series["question"])))
        self.query_one(".series-about", Static).update(
            Content(about_text(script_title, series["mentorship"], values))
        )
        plot = self.query_one(Sparkline)
        plot.display = True
        # A few columns per answer: a handful of answers stretched over the whole width
        # would read as a few wide blocks rather than a line over time.
        plot.styles.width = len(values) * COLUMNS_PER_POINT
        plot.data = values
        self.query_one(".series-values", Static).update(Content(values_text(points)))

    def show_pending(self, question: Mapping[str, Any], script_title: str) -> None:
        """While `question`'s points are read: its text and where it was asked, no values
        (so the panel never shows one question's values under another's text)."""
        self.query_one(".series-question", Static).update(Content(one_line(question["question"])))
        self.query_one(".series-about", Static).update(
            Content(
                joined(
                    [
                        one_line(script_title),
                        one_line(mentorship_label(question["mentorship"])),
                        count_words(question["count"], "answer"),
                    ]
                )
            )
        )
        plot = self.query_one(Sparkline)
        plot.data = []
        plot.display = False
        self.query_one(".series-values", Static).update(Content("Reading its answers…"))

    def show_message(self, message: str) -> None:
        """No series: a sentence where the question would be (a problem, or nothing yet)."""
        self.query_one(".series-question", Static).update(plain(message))
        self.query_one(".series-about", Static).update("")
        plot = self.query_one(Sparkline)
        plot.data = []
        plot.display = False
        self.query_one(".series-values", Static).update("")
