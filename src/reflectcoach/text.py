"""Make untrusted text (scripts, answers, names) safe to show on a terminal."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

# C0 controls except tab and newline, DEL, and C1 controls: any of these could start an
# escape sequence that drives the terminal. And the bidirectional embeddings, overrides and
# isolates, which reorder what is shown so that it reads other than it is ("Trojan Source").
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{CONTROLS}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0D:
        return ""  # CR from Windows line endings carries no meaning here
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Replace terminal control characters with a visible, inert `\\xNN` (`\\uNNNN` for the
    bidirectional controls)."""
    return _CONTROL.sub(_visible, text)


# JSON escapes C0 controls but writes C1 and bidirectional controls as they are; as `\uXXXX`
# they decode to the same text and cannot act on a terminal or an editor that shows the file.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(value: Any, **options: Any) -> str:
    """`json.dumps` keeping Unicode as written, with every control character escaped."""
    import json  # here, so importing text costs the CLI nothing

    text = json.dumps(value, ensure_ascii=False, **options)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def markdown_escape(text: str) -> str:
    """Escape text so Markdown shows it literally (used for answers inside script Markdown)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))


def clean_line(
    text: str,
    spans: Sequence[tuple[int, int]] = (),
    mark: Callable[[str], str] | None = None,
) -> str:
    """`text` on one line (each run of whitespace one space, as `" ".join(text.split())`),
    cleaned, with the characters in `spans` ([start, end) offsets into `text`) passed
    through `mark`, after cleaning, so that `mark` can add escapes the text cannot."""
    inside = [False] * len(text)
    for start, end in spans:
        for index in range(max(start, 0), min(end, len(text))):
            inside[index] = True
    # Collapse whitespace first, as the line did before matches were marked: \x1c-\x1f are
    # whitespace to str.split, so they go rather than becoming a visible \xNN.
    chars: list[tuple[str, bool]] = []
    gap: bool | None = None  # a run of whitespace is pending: is all of it inside a span?
    for char, matched in zip(text, inside, strict=True):
        if char.isspace():
            gap = matched if gap is None else gap and matched
            continue
        if gap is not None and chars:
            chars.append((" ", gap))
        gap = None
        chars.append((char, matched))
    pieces = []
    for matched, group in itertools.groupby(chars, key=lambda pair: pair[1]):
        piece = clean("".join(char for char, _ in group))
        pieces.append(mark(piece) if matched and mark is not None else piece)
    return "".join(pieces)
