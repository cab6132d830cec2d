"""The commitments section of the mentorship screen: open ones first, then finished ones,
each with its due date and status in words. Empty until commitments are merged (fed by
mentorship_view.commitments_for)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from reflectcoach.app.widgets.review_format import one_line

if TYPE_CHECKING:
    from reflectcoach.mentorship_view import CommitmentLine

NONE_YET = "None recorded yet."


class MentorshipCommitments(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(NONE_YET, id=id, markup=False)

    def show(self, commitments: Sequence[CommitmentLine]) -> None:
        if not commitments:
            self.update(Content(NONE_YET))
            return
        ordered = sorted(commitments, key=lambda c: (c.status != "open", c.due or ""))
        self.update(
            Content(
                "\n".join(
                    f"[{c.status}] {one_line(c.text)}" + (f" · by {c.due}" if c.due else "")
                    for c in ordered
                )
            )
        )
