"""The mentorship's rating series as a list: the question, how many ratings and the scale;
the highlighted one is plotted beside it (SeriesPanel)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reflectcoach.app.widgets.review_format import count_words, joined, one_line
from reflectcoach.services.ratings import RatingSeries, scale_text


def prompt(series: RatingSeries, title: str) -> Content:
    about = joined(
        [
            one_line(title),
            count_words(len(series.points), "rating"),
            scale_text(series),
            "wording changed" if series.reworded else "",
        ]
    )
    return Content.assemble((one_line(series.label), "bold"), "\n", (about, "$text-muted"))


class RatingList(OptionList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.series: list[RatingSeries] = []

    def show(self, series: Sequence[RatingSeries], titles: dict[str, str]) -> None:
        self.series = list(series)
        self.set_options(
            Option(prompt(s, titles.get(s.script_id, s.script_id))) for s in self.series
        )
        if self.series:
            self.highlighted = 0

    def chosen(self) -> RatingSeries | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.series):
            return None
        return self.series[index]
