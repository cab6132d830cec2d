"""The commitments section of the mentorship screen: open ones first (overdue, due soon,
later), then finished ones, one line each in the words `mentorship show` prints
(mentorship_view.commitment_text): status and "overdue" in words, colour only as a help."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from reflectcoach.core.text import clean
from reflectcoach.services.mentorship_view import commitment_text, shown_commitments

if TYPE_CHECKING:
    from reflectcoach.services.mentorship_view import CommitmentLine

NONE_YET = "None recorded yet."


class MentorshipCommitments(Static):
    DEFAULT_CSS = """
    MentorshipCommitments { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(NONE_YET, id=id, markup=False)
        self.lines: list[CommitmentLine] = []

    def show(self, commitments: Sequence[CommitmentLine]) -> None:
        self.lines = list(commitments)
        if not commitments:
            self.update(Content(NONE_YET))
            return
        rows = []
        shown, more = shown_commitments(list(commitments))
        for line in shown:
            style = "$text-error" if line.overdue else "$text-muted" if line.finished else ""
            rows.append(Content.styled(clean(commitment_text(line)), style))
        if more:
            rows.append(Content.styled(more, "$text-muted"))
        self.update(Content("\n").join(rows))
