"""A multi answer: options ticked in a list."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Key
from textual.message import Message
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from reflectcoach.app.widgets.answer_base import AnswerInput
from reflectcoach.app.widgets.content import plain
from reflectcoach.engine.answers import exclusive_values


class MultiList(SelectionList[str]):
    """Space toggles (as in SelectionList); Enter submits instead of toggling; digit n
    toggles option n. A ticked box shows an `x` and an unticked one a blank, so the choice
    reads without colour (SelectionList draws the same mark for both, in two colours)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Submit choices", id="submit-multi"),
    ]

    class Done(Message):
        pass

    def action_submit(self) -> None:
        self.post_message(self.Done())

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            n = int(event.character)
            if 1 <= n <= self.option_count:
                self.highlighted = n - 1
                self.toggle(self.get_option_at_index(n - 1))

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 2:
            return line
        index = (segments[1].style.meta if segments[1].style else {}).get("option")
        if index is None or segments[1].text != "X":  # SelectionList's one mark for both
            return line
        ticked = self.get_option_at_index(index).value in self._selected
        segments[1] = Segment("x" if ticked else " ", segments[1].style)
        return Strip(segments, line.cell_length)


class MultiAnswer(AnswerInput):
    def compose(self) -> ComposeResult:
        offered = set(self.question.offered or ())
        yield MultiList(
            *(
                Selection(plain(f"{n}. {label}"), value, value in offered)
                for n, (value, label) in enumerate(self.question.options, 1)
            ),
            classes="answer-control",
        )
        yield self.how_line()

    @property
    def how(self) -> str:
        count = len(self.question.options)
        digits = f" or 1-{count}" if count <= 9 else ""
        alone = [
            label for value, label in self.question.options if value in exclusive_values(self.step)
        ]
        goes = f" '{alone[0]}' goes alone." if len(alone) == 1 else ""
        return f"Pick one or more: space{digits} ticks or unticks, Enter submits.{goes}"

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        """An exclusive option ticked unticks the others; another ticked unticks it."""
        listing = self.query_one(MultiList)
        value = event.selection.value
        if value not in listing.selected:
            return
        alone = exclusive_values(self.step)
        for other in list(listing.selected):
            if other != value and (value in alone or other in alone):
                listing.deselect(other)

    def submit(self) -> None:
        # Said here in this widget's own keys: the engine's message is plain mode's
        # ("separated by commas"), for typed answers.
        if not self.value():
            skip = " Or ctrl+n to skip it." if self.step.optional else ""
            self.post_message(self.Problem(f"Tick at least one with space, then Enter.{skip}"))
            return
        super().submit()

    def value(self) -> list[str]:
        chosen = set(self.query_one(MultiList).selected)
        # In option order, whatever order they were ticked in.
        return [value for value, _ in self.question.options if value in chosen]

    @on(MultiList.Done)
    def _done(self, event: MultiList.Done) -> None:
        event.stop()
        self.submit()
