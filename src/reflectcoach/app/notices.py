"""Notices (Textual's notifications) that hide nothing and say things in words.

Toasts float over the bottom right of the screen: on a conversation that is the answer
being typed. So a screen with a `NoticeLine` takes notices into that line instead (the
app's `notify` asks the screen first), and when such a screen comes up it takes over the
warnings still showing as toasts; information left over from the screen before (such as
"Conversation kept") is dropped there rather than shown out of place.

Messages are plain words: a command written `like this` (Markdown) loses its backticks
wherever it comes from, since no notice renders Markdown.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from textual.timer import Timer
from textual.widgets import Static

from reflectcoach.app.widgets.content import plain

_CODE = re.compile(r"`([^`\n]+)`")


def in_words(text: str) -> str:
    """`reflectcoach resume` -> "reflectcoach resume": quoted words, not Markdown."""
    return _CODE.sub(r'"\1"', text).replace("`", "")


@dataclass(frozen=True, slots=True)
class Notice:
    message: str
    title: str
    severity: str  # information, warning, error (Textual's SeverityLevel)
    until: float  # time.monotonic() when it should be gone
    markup: bool = False  # as asked of notify (a NoticeLine never renders markup)

    @property
    def left(self) -> float:
        return self.until - time.monotonic()


class NoticeLine(Static):
    """One notice at a time, in the screen's own layout; hidden when there is none."""

    DEFAULT_CSS = """
    NoticeLine { height: auto; color: $text-success; display: none; }
    NoticeLine.-warning { color: $text-warning; }
    NoticeLine.-error { color: $text-error; }
    """

    def __init__(self, *, id: str | None = "notice") -> None:
        super().__init__(id=id, markup=False)
        self._timer: Timer | None = None
        self.notice: Notice | None = None

    def show(self, notice: Notice) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.notice = notice
        words = f"{notice.title}: {notice.message}" if notice.title else notice.message
        self.update(plain(words))
        self.set_classes(f"-{notice.severity}")
        self.display = True
        self._timer = self.set_timer(max(notice.left, 0.1), self.clear)

    def clear(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.notice = None
        self.update("")
        self.display = False


def take_warnings(screen: object) -> None:
    """A screen with a NoticeLine coming up: warnings still showing as toasts move into its
    line; information is about the screen before and is dropped (its words were seen)."""
    lines = screen.query(NoticeLine)  # type: ignore[attr-defined]
    if not lines:
        return
    for notice in screen.app.take_notices():  # type: ignore[attr-defined]
        if notice.severity != "information":
            lines.first().show(notice)
