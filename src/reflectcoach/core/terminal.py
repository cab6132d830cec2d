"""Streams bound for a terminal: nothing written there may carry a control character.

Commands print people's words through `text.clean` already; data formats (JSON, CSV) are
written as exact bytes, which is right for a file or a pipe but not for a terminal, where an
answer holding `ESC ] 52 ; ...` would write the clipboard. `for_terminal` wraps such a stream
when it is a terminal, so every format from every command is safe to show.
"""

from __future__ import annotations

import io
from typing import TextIO

from reflectcoach.core.text import clean


class CleanWriter(io.TextIOBase):
    """A text stream that writes everything through `text.clean` to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(clean(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return True


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def for_terminal(stream: TextIO) -> TextIO:
    """`stream` itself, or a cleaning wrapper when it is a terminal."""
    return CleanWriter(stream) if is_terminal(stream) else stream  # type: ignore[return-value]
