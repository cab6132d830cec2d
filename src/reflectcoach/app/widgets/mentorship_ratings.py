"""The mentorship's rating series as a list: the question, how many ratings and the scale;
the highlighted one is plotted beside it (SeriesPanel). The list is made from the series
as listed (services/ratings.py `rating_list`): its points are read when it is plotted, and
whether its wording changed just after the list is shown (`reword`)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reflectcoach.app.widgets.review_format import count_words, joined, one_line
from reflectcoach.services.ratings import ListedSeries, RatingSeries, scale_text


def prompt(listed: ListedSeries, title: str) -> Content:
    series = listed.series
    about = joined(
        [
            one_line(title),
            count_words(listed.count, "rating"),
            scale_text(series),
            "wording changed" if series.reworded else "",
        ]
    )
    return Content.assemble((one_line(series.label), "bold"), "\n", (about, "$text-muted"))


class RatingList(OptionList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.listed: list[ListedSeries] = []

    @property
    def series(self) -> list[RatingSeries]:
        """The series listed, in order, without their points."""
        return [listed.series for listed in self.listed]

    def show(self, listed: Sequence[ListedSeries], titles: dict[str, str]) -> None:
        self.listed = list(listed)
        self.set_options(
            Option(prompt(s, titles.get(s.series.script_id, s.series.script_id)))
            for s in self.listed
        )
        if self.listed:
            self.highlighted = 0

    def reword(self, listed: Sequence[ListedSeries], titles: dict[str, str]) -> None:
        """The same series with their wordings read: the entries whose wording changed say
        so (the others are left as they are drawn)."""
        if [item.series.key for item in listed] != [item.series.key for item in self.listed]:
            return  # another list was shown since
        for index, (old, new) in enumerate(zip(self.listed, listed, strict=True)):
            if old.series.reworded != new.series.reworded:
                title = titles.get(new.series.script_id, new.series.script_id)
                self.replace_option_prompt_at_index(index, prompt(new, title))
        self.listed = list(listed)

    def chosen(self) -> ListedSeries | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.listed):
            return None
        return self.listed[index]
