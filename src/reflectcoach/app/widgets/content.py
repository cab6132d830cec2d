"""Untrusted text (scripts, answers, names) as Textual Content: never markup, never controls."""

from __future__ import annotations

from textual.content import Content

from reflectcoach.core.text import clean


def plain(text: str | None) -> Content:
    """Text as inert Content: never parsed as markup, terminal controls made visible."""
    return Content(clean(text or ""))
