"""Turning what a person types into a safe FTS5 query."""

from __future__ import annotations


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
