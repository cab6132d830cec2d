"""The commitments section of the mentorship screen: open ones first (overdue, due soon,
later), then finished ones, one line each in the words `mentorship show` prints
(mentorship_view.commitment_text): status and "overdue" in words, colour only as a help.

The first OPEN_SHOWN open ones and the latest finished ones (as `mentorship show`) are
shown, each with a line saying how many more there are and where they all are (k,
`reflectcoach commitments`): the section is one Static, wrapped whole at every layout, and
years of weekly commitments left open (hundreds of lines) cost the screen more than
everything else on it together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from reflectcoach.core.text import clean
from reflectcoach.services.mentorship_view import commitment_text, more_finished_text

if TYPE_CHECKING:
    from reflectcoach.services.mentorship_view import CommitmentLine, MentorshipPage

NONE_YET = "None recorded yet."
OPEN_SHOWN = 30


def more_open_text(left: int) -> str:
    return (
        f"and {left:,} more open one{'s' if left != 1 else ''} "
        "(all of them: k here, or reflectcoach commitments)"
    )


class MentorshipCommitments(Static):
    DEFAULT_CSS = """
    MentorshipCommitments { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(NONE_YET, id=id, markup=False)
        self.lines: list[CommitmentLine] = []  # those shown

    def show(self, page: MentorshipPage) -> None:
        """The page's open ones and finished ones, with how many more of each there are."""
        self.lines = [*page.open_ones, *page.finished]
        if not page.open_count and not page.finished_count:
            self.update(Content(NONE_YET))
            return
        rows = [_row(line) for line in page.open_ones]
        if page.open_count > len(page.open_ones):
            left = page.open_count - len(page.open_ones)
            rows.append(Content.styled(more_open_text(left), "$text-muted"))
        rows += [_row(line) for line in page.finished]
        if page.finished_count > len(page.finished):
            left = page.finished_count - len(page.finished)
            rows.append(Content.styled(more_finished_text(left), "$text-muted"))
        self.update(Content("\n").join(rows))


def _row(line: CommitmentLine) -> Content:
    style = "$text-error" if line.overdue else "$text-muted" if line.finished else ""
    return Content.styled(clean(commitment_text(line)), style)
