"""The pieces of the conversation's chat transcript: the coach's words and each exchange."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static

from reflectcoach.app.widgets.answer_inputs import plain
from reflectcoach.text import clean


class CoachSays(Markdown):
    """Say text from the script: Markdown by design (answers inside are already escaped)."""

    DEFAULT_CSS = """
    CoachSays { margin: 0 0 1 0; padding: 0 1; background: $surface; }
    """

    def __init__(self, markdown: str) -> None:
        # Links in script Markdown open nothing: a script cannot make the app launch URLs.
        super().__init__(clean(markdown), open_links=False, classes="say")


class Exchange(Vertical):
    """One question and the answer given to it (or that it was skipped)."""

    DEFAULT_CSS = """
    Exchange { height: auto; margin: 0 0 1 0; }
    Exchange .asked { color: $text-muted; padding: 0 1; }
    Exchange .answer {
        margin: 0 0 0 4; padding: 0 1; border-left: wide $primary; background: $boost;
    }
    Exchange .skipped { color: $text-muted; text-style: italic; }
    """

    def __init__(self, seq: int, question: str, answer: str, *, skipped: bool = False) -> None:
        super().__init__(classes="exchange")
        self.seq = seq
        self.asked = question
        self.answered = answer
        self.skipped = skipped

    def compose(self) -> ComposeResult:
        yield Static(plain(f"Q: {self.asked}"), classes="asked", markup=False)
        if self.skipped:
            yield Static(plain("(skipped)"), classes="answer skipped", markup=False)
        else:
            yield Static(plain(self.answered), classes="answer", markup=False)


class Note(Static):
    """A line from the app itself (not the script), such as "picking up where you left off"."""

    DEFAULT_CSS = """
    Note { color: $text-muted; text-style: italic; margin: 0 0 1 0; padding: 0 1; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(plain(text), markup=False, classes="note")
