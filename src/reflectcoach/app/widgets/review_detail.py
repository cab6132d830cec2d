"""Beneath the review table: the highlighted conversation, and where the search matched."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.content import Content
from textual.widgets import Static

from reflectcoach.app.widgets.review_format import (
    count_words,
    joined,
    mentorship_label,
    one_line,
    status_word,
    when,
)

# Private-use characters mark the matches in Store.search snippets: unlike the default
# "[" and "]", nobody types them, so an answer's own brackets are never mistaken for one.
MATCH_START = "\ue000"
MATCH_END = "\ue001"
MATCH_STYLE = "bold underline"  # not colour alone: readable in any theme and in monochrome
HITS_SHOWN = 2


def highlighted(snippet: str) -> Content:
    """A search snippet with its matches styled; the rest stays plain text."""
    parts: list[str | tuple[str, str]] = []
    for index, piece in enumerate(one_line(snippet).split(MATCH_START)):
        if index == 0:
            parts.append(piece)
            continue
        match, _, rest = piece.partition(MATCH_END)
        parts.extend([(match, MATCH_STYLE), rest])
    return Content.assemble(*parts)


def _unmarked(snippet: str) -> str:
    return one_line(snippet.replace(MATCH_START, "").replace(MATCH_END, "")).strip("…").strip()


def hit_lines(hit: Mapping[str, Any]) -> tuple[Content, Content]:
    """("Q: ...", "A: ...") for one search hit, the match highlighted where it was found."""
    question = one_line(hit.get("question"))
    answer = one_line(hit.get("answer_text"))
    snippet = hit.get("snippet") or ""
    found_in_question = _unmarked(snippet) in question and _unmarked(snippet) not in answer
    q = highlighted(snippet) if found_in_question else Content(question)
    a = Content(answer) if found_in_question else highlighted(snippet)
    return (
        Content.assemble(("Q: ", "bold"), q),
        Content.assemble(("A: ", "bold"), a),
    )


class ReviewDetail(Static):
    """Two to six lines about the row under the cursor."""

    _shown: tuple[object, ...] | None = None

    def show(
        self,
        row: Mapping[str, Any] | None,
        hits: Sequence[Mapping[str, Any]] = (),
        *,
        searching: bool = False,
    ) -> None:
        # The table announces the row its cursor lands on after the screen has shown it
        # already: the same lines again would cost a layout and a frame.
        shown = (None if row is None else dict(row), list(hits), searching)
        if shown == self._shown:
            return
        self._shown = shown
        if row is None:
            self.update("")
            return
        lines = [
            Content.assemble(
                (one_line(row["title"]), "bold"),
                " with ",
                one_line(mentorship_label(row["mentorship"])),
            ),
            Content(
                joined(
                    [
                        f"started {when(row['started_at'])}",
                        status_word(row["status"]),
                        count_words(row.get("answer_count", 0), "answer"),
                        f"id {row['id']}",
                    ]
                )
            ),
        ]
        if searching:
            for hit in hits[:HITS_SHOWN]:
                lines.extend(hit_lines(hit))
            if len(hits) > HITS_SHOWN:
                lines.append(Content(f"… and {len(hits) - HITS_SHOWN} more matches inside."))
            if not hits:
                lines.append(Content("Your search matches this one: press Enter to read it."))
        elif row["status"] == "in_progress":
            lines.append(Content("In progress: press c to continue where you left off."))
        self.update(Content("\n").join(lines))
