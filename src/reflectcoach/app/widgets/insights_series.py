"""One numeric question over time: its text, a plot on its declared scale (RatingPlot), and
every value in words (the newest SHOWN_POINTS of a longer series, said so; a series read
with only its newest points carries the count, lowest and highest of all of them).

The panel is composed once and shows whichever question is chosen (`show`), or a message
while there is none to show (`show_message`): choosing another question changes four
widgets' content and mounts nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.rating_plot import RatingPlot
from reflectcoach.app.widgets.review_format import (
    count_words,
    day,
    joined,
    mentorship_label,
    one_line,
)
from reflectcoach.core.numbers import as_float
from reflectcoach.services.ratings import scale_text

if TYPE_CHECKING:
    from reflectcoach.services.ratings import RatingSeries

# Between a date and its value: a no-break space keeps "2026-01-05: 4" on one line when
# the list wraps.
NBSP = "\u00a0"
RE_RATED = " (re-rated)"
# The newest this many are plotted and written out, and the panel says so: fifty years of
# weekly ratings are thousands of points, which a terminal plot cannot tell apart and
# which cost Textual and plotext time that grows with the history.
SHOWN_POINTS = 200


def number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}"


def values_text(points: Sequence[tuple[str, float]], re_rated: Sequence[bool] = ()) -> str:
    """Every point as `date: value`, oldest first, so nothing depends on reading the plot; a
    re-rating of the question says so."""
    marks = list(re_rated) + [False] * (len(points) - len(re_rated))
    return "   ".join(
        f"{day(at)}:{NBSP}{number(value)}{RE_RATED if mark else ''}"
        for (at, value), mark in zip(points, marks, strict=True)
    )


def wording_text(series: RatingSeries) -> str:
    """When the question was asked in other words before: which, so two wordings are never
    read as one without saying so."""
    if not series.reworded:
        return ""
    earlier = " / ".join(f"“{one_line(w)}”" for w in series.wordings[:-1])
    return f"The wording changed: first asked as {earlier}."


def about_text(
    script_title: str,
    mentorship: str | None,
    values: Sequence[float],
    series: RatingSeries | None = None,
) -> str:
    """`Weekly check-in · Ada · 3 answers · lowest 3, highest 5 · scale 1-10` (plain): of
    every point, also where `values` are only the newest (`series.whole`)."""
    whole = None if series is None else series.whole
    if whole is not None:
        count, lowest, highest = whole.count, whole.lowest, whole.highest
    elif values:
        count, lowest, highest = len(values), min(values), max(values)
    else:
        count, lowest, highest = 0, None, None
    return joined(
        [
            one_line(script_title),
            one_line(mentorship_label(mentorship)),
            count_words(count, "answer"),
            ""
            if lowest is None or highest is None
            else f"lowest {number(lowest)}, highest {number(highest)}",
            scale_text(series) if series is not None else "",
        ]
    )


class SeriesPanel(Vertical):
    """A question's answers in the conversations of one mentorship, oldest first."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="series-panel")
        self.series: RatingSeries | None = None  # the one shown, once its points are read

    def compose(self) -> ComposeResult:
        yield Static(classes="series-question", markup=False)
        yield Static(classes="series-about", markup=False)
        yield Static(classes="series-wording", markup=False)
        yield RatingPlot(classes="series-plot")
        yield Static(classes="series-values", markup=False)

    def show(self, series: RatingSeries, script_title: str) -> None:
        """Plot `series` on its scale and write out each of its values."""
        self.series = series
        # Every value as a float, leaving out any that is not a number an answer may hold:
        # the store already does, but a panel must not raise over a value from elsewhere.
        kept = [
            (point, number)
            for point in series.points
            if (number := as_float(point.value)) is not None
        ]
        points = [(point.at, value) for point, value in kept]
        values = [value for _, value in points]
        self.query_one(".series-question", Static).update(Content(one_line(series.label)))
        self.query_one(".series-about", Static).update(
            Content(about_text(script_title, series.mentorship, values, series))
        )
        wording = self.query_one(".series-wording", Static)
        wording.update(Content(wording_text(series)))
        wording.display = series.reworded
        newest = kept[-SHOWN_POINTS:]
        plot = self.query_one(RatingPlot)
        plot.display = True
        plot.show(points[-SHOWN_POINTS:], series.low, series.high)
        text = values_text(points[-SHOWN_POINTS:], [series.is_re_rating(p) for p, _ in newest])
        # The series may hold only its newest points already (`whole`: read that way).
        total = len(kept) if series.whole is None else series.whole.count
        if len(newest) < total:
            text = f"The newest {len(newest):,} of {total:,}:   {text}"
        self.query_one(".series-values", Static).update(Content(text))

    def show_pending(self, question: Mapping[str, Any], script_title: str) -> None:
        """While `question`'s points are read: its text and where it was asked, no values
        (so the panel never shows one question's values under another's text)."""
        self.series = None
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
        self.query_one(".series-wording", Static).display = False
        plot = self.query_one(RatingPlot)
        plot.display = False
        self.query_one(".series-values", Static).update(Content("Reading its answers…"))

    def show_message(self, message: str) -> None:
        """No series: a sentence where the question would be (a problem, or nothing yet)."""
        self.series = None
        self.query_one(".series-question", Static).update(plain(message))
        self.query_one(".series-about", Static).update("")
        self.query_one(".series-wording", Static).display = False
        plot = self.query_one(RatingPlot)
        plot.display = False
        self.query_one(".series-values", Static).update("")
