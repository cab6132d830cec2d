"""Home's due list: open commitments overdue or due within a week, per mentorship, read by
home's full read in the same store visit as its other lists (Commitments.due_soon). Hidden
when none is: nothing nags, and there is no toast at start.

Imports only Textual and `reflectcoach.core.text` at module level, like home: the first frame
must not wait for the store or the engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.services.due import DueLine

HEADING = "Due (f follows up, k marks)"


class DueList(Vertical):
    DEFAULT_CSS = """
    DueList { height: auto; }
    DueList > OptionList { height: auto; max-height: 5; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[DueLine] = []
        self.display = False

    def compose(self) -> ComposeResult:
        yield Label(HEADING, classes="section", markup=False)
        yield OptionList(id="due-list", markup=False)

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def show(self, lines: list[DueLine]) -> None:
        self.lines = lines
        listing = self.query_one(OptionList)
        listing.set_options(
            Option(
                Content.styled(clean(line.text), "$text-error" if line.overdue else ""),
                id=line.commitment_id or None,  # "and N more" lines have no id
            )
            for line in lines
        )
        if lines:
            listing.highlighted = 0
        self.display = bool(lines)
        self.screen.refresh_bindings()

    def chosen(self) -> DueLine | None:
        """The highlighted line, or the first (the most pressing) when none is."""
        if not self.lines:
            return None
        index = self.query_one(OptionList).highlighted
        return self.lines[index if index is not None and index < len(self.lines) else 0]
