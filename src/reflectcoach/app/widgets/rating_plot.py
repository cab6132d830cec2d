"""A rating over time drawn with textual-plotext, on the scale the script declared.

The y axis is fixed to the scale (1-10 is drawn 1-10, whatever the answers were), so 4 -> 5
and 6 -> 8 no longer look the same; a `number` question has no declared range, so it is
drawn from zero (or from its lowest value when that is below zero) to its highest. Dates are
on the x axis, and every point (a baseline and its re-ratings too) is on one line. Only
numbers and dates reach plotext: no answer or question text is drawn through it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from textual_plotext import PlotextPlot

# Days from the first point: plotext spaces x values evenly by their number.
Point = tuple[str, float]  # (UTC ISO time or YYYY-MM-DD, value)


def axis_limits(
    values: Sequence[float], low: float | None, high: float | None
) -> tuple[float, float]:
    """The y axis: the declared scale when there is one, else zero (or the lowest value
    below it) to the highest value, never an empty range."""
    if low is not None and high is not None:
        return low, high
    bottom = min(0.0, *values) if values else 0.0
    top = max(values) if values else 1.0
    return bottom, top if top > bottom else bottom + 1


def _day(at: str) -> dt.date:
    return dt.date.fromisoformat(at[:10])


class RatingPlot(PlotextPlot):
    """`show(points, low, high)`; `y_limits` and `x_labels` are what was drawn, for tests
    and for the text beside it."""

    DEFAULT_CSS = """
    RatingPlot {
        /* A row per point of the widest scale (11) plus frame and dates: two ticks on one
           row would be drawn as whichever plotext's set gives first, not the same each run. */
        height: 14;
        width: 1fr;
        min-width: 30;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.y_limits: tuple[float, float] | None = None
        self.x_labels: list[str] = []
        self.values: list[float] = []

    def show(self, points: Sequence[Point], low: float | None, high: float | None) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        values = [value for _, value in points]
        self.values = values
        self.y_limits = axis_limits(values, low, high)
        if points:
            first = _day(points[0][0])
            xs = [(_day(at) - first).days for at, _ in points]
            # The same day twice (a baseline and its re-rating in one sitting) stays apart.
            for index in range(1, len(xs)):
                xs[index] = max(xs[index], xs[index - 1])
            plt.plot(xs, values, marker="braille")
            plt.scatter(xs, values, marker="●")
            self.x_labels = [_day(at).isoformat() for at, _ in points]
            ticks = _spread(xs)
            plt.xticks([xs[i] for i in ticks], [self.x_labels[i] for i in ticks])
            span = max(xs[-1] - xs[0], 1)
            plt.xlim(xs[0] - span * 0.05, xs[-1] + span * 0.05)
        else:
            self.x_labels = []
        bottom, top = self.y_limits
        plt.ylim(bottom, top)
        if low is not None and high is not None and high - low <= 10:
            plt.yticks(list(range(int(low), int(high) + 1)))
        plt.frame(True)
        self.refresh()


def _spread(xs: Sequence[int], most: int = 3) -> list[int]:
    """Which points get a date under them: the first, the last and a few between, so labels
    (10 columns each) never overlap on a narrow plot."""
    if len(xs) <= most:
        return list(range(len(xs)))
    step = (len(xs) - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})
