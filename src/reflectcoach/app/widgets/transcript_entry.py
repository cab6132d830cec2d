"""One question of a stored conversation, as it was asked, with the answer given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.core.text import clean

SKIPPED = "(skipped)"


class TranscriptEntry(Vertical):
    """The stored question text (not today's script) and the answer beneath it."""

    def __init__(self, answer: Mapping[str, Any], number: int) -> None:
        super().__init__(classes="transcript-entry")
        self.answer = answer
        self.number = number

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(
                (f"{self.number}. ", "bold"), (clean(self.answer["question"]), "bold")
            ),
            classes="transcript-question",
        )
        if self.answer["skipped"]:
            yield Static(Content(SKIPPED), classes="transcript-answer -skipped")
        else:
            yield Static(plain(self.answer["answer_text"] or ""), classes="transcript-answer")
