"""Turning what a person types into a safe FTS5 query, and FTS5's highlights into offsets."""

from __future__ import annotations

import re


def match_expression(text: str) -> str | None:
    """Each whitespace-separated word becomes a quoted FTS5 phrase (all must match).

    Quotes are doubled and NUL separates words, so no input is FTS syntax: `AND`, `-`, `(`,
    `"`, `[/` are plain text. A trailing `*` is kept as a prefix search (`refl*`). Words
    without a letter or digit are dropped; None means nothing searchable was typed.
    """
    terms = []
    for word in text.replace("\x00", " ").split():  # FTS5 would stop reading at a NUL
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if not any(ch.isalnum() for ch in word):
            continue
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms) if terms else None


Span = tuple[int, int]  # [start, end) offsets of matched words in a stored text
# highlight() marks: private-use characters, which people do not type (`search` checks, and
# asks again with others for a text that holds them).
MARKS = ("\ue000", "\ue001")
_PRIVATE_USE = range(0xE000, 0xF900)


def unused_marks(text: str) -> tuple[str, str] | None:
    """Two private-use characters that `text` does not contain (None if it holds them all)."""
    free = (chr(code) for code in _PRIVATE_USE if chr(code) not in text)
    start, end = next(free, None), next(free, None)
    return (start, end) if start is not None and end is not None else None


def unmark(marked: str, marks: tuple[str, str]) -> tuple[str, list[Span]]:
    """A text marked by FTS5 highlight() -> (the text without its marks, where they were)."""
    start, end = marks
    text: list[str] = []
    spans: list[Span] = []
    length = 0
    opened: int | None = None
    for piece in re.split(f"({re.escape(start)}|{re.escape(end)})", marked):
        if piece == start:
            opened = length
        elif piece == end:
            if opened is not None and opened < length:
                spans.append((opened, length))
            opened = None
        else:
            text.append(piece)
            length += len(piece)
    return "".join(text), spans
