"""One numeric question over time: its text, a sparkline, and every value in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from reflectcoach.app.widgets.review_format import (
    count_words,
    day,
    joined,
    mentorship_label,
    one_line,
)

# Between a date and its value: a no-break space keeps "2026-01-05: 4" on one line when
# the list wraps.
NBSP = "\u00a0"
COLUMNS_PER_POINT = 6


def number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}"


def values_text(points: list[tuple[str, float]]) -> str:
    """Every point as `date: value`, oldest first, so nothing depends on reading the plot."""
    return "   ".join(f"{day(at)}:{NBSP}{number(value)}" for at, value in points)


class SeriesPanel(Vertical):
    """A question's answers in the conversations of one mentorship, oldest first."""

    def __init__(self, series: Mapping[str, Any], script_title: str) -> None:
        super().__init__(classes="series-panel")
        self.series = series
        self.script_title = script_title

    def compose(self) -> ComposeResult:
        points = [(at, value) for at, value in self.series["points"]]
        values = [float(value) for _, value in points]
        yield Static(Content(one_line(self.series["question"])), classes="series-question")
        yield Static(
            Content(
                joined(
                    [
                        one_line(self.script_title),
                        one_line(mentorship_label(self.series["mentorship"])),
                        count_words(len(points), "answer"),
                        f"lowest {number(min(values))}, highest {number(max(values))}",
                    ]
                )
            ),
            classes="series-about",
        )
        plot = Sparkline(values, classes="series-plot")
        # A few columns per answer: a handful of answers stretched over the whole width
        # would read as a few wide blocks rather than a line over time.
        plot.styles.width = len(values) * COLUMNS_PER_POINT
        yield plot
        yield Static(Content(values_text(points)), classes="series-values")
