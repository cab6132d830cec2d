"""Untrusted text (scripts, answers, names) as Textual Content: never markup, never controls."""

from __future__ import annotations

from textual.content import Content

from reflectcoach.core.text import clean


def plain(text: str | None) -> Content:
    """Text as inert Content: never parsed as markup, terminal controls made visible."""
    return Content(clean(text or ""))


def balanced(text: str, width: int) -> list[str]:
    """`text` wrapped in as few lines as at `width`, each as short as that allows: the
    narrowest width giving the same number of lines (so the last is never one lone word)."""
    import textwrap

    lines = textwrap.wrap(text, width)
    if len(lines) <= 1:
        return lines
    lo, hi = max(len(word) for word in text.split()), width
    while lo < hi:  # fewer-or-equal lines is monotonic in the width: halve
        mid = (lo + hi) // 2
        if len(textwrap.wrap(text, mid)) <= len(lines):
            hi = mid
        else:
            lo = mid + 1
    return textwrap.wrap(text, lo)
