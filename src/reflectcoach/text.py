"""Make untrusted text (scripts, answers, names) safe to show on a terminal."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls: any of these could start an
# escape sequence that drives the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0D:
        return ""  # CR from Windows line endings carries no meaning here
    return f"\\x{code:02x}"


def clean(text: str) -> str:
    """Replace terminal control characters with a visible, inert `\\xNN`."""
    return _CONTROL.sub(_visible, text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def markdown_escape(text: str) -> str:
    """Escape text so Markdown shows it literally (used for answers inside script Markdown)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))
