"""Parts of a record marked "just for me": kept and shown to the person, left out of the copy
they share (the clipboard and plain-text copy, `export --share`).

A script marks them (`record:` as a list of parts, `{text: ..., private: true}`); the loader
wraps each such part between two HTML comments on lines of their own, and the record is stored
with them. Markdown viewers show an HTML comment as nothing, so the person's own backups read
as the record did; the share copy drops everything from one marker to the other. An answer
can never forge a marker: `markdown_escape` puts a backslash before a `<` at a line's start.
"""

from __future__ import annotations

OPEN = "<!-- just for me -->"
CLOSE = "<!-- end of just for me -->"
# What a part that may be shared shows where another conversation's just-for-me answer would
# be (recalled or offered by a prefill; script/privacy.py). In the record as stored, so no
# copy, export or screen can show more.
KEPT_PRIVATE = "(kept private)"


def mark(text: str) -> str:
    """`text` (Markdown) as a just-for-me part."""
    return f"{OPEN}\n{text.strip(chr(10))}\n{CLOSE}"


def is_marker(line: str) -> bool:
    return line.strip() in (OPEN, CLOSE)


def shared(markdown: str) -> str:
    """The record without its just-for-me parts (an unclosed one runs to the end)."""
    out: list[str] = []
    inside = False
    for line in markdown.split("\n"):
        if line.strip() == OPEN:
            inside = True
        elif line.strip() == CLOSE:
            inside = False
        elif not inside:
            out.append(line)
    return _tidy(out)


def unmarked(markdown: str) -> str:
    """The whole record, markers left out: for plain text, where a comment would show."""
    return _tidy([line for line in markdown.split("\n") if not is_marker(line)])


def has_private(markdown: str) -> bool:
    return any(line.strip() == OPEN for line in markdown.split("\n"))


def _tidy(lines: list[str]) -> str:
    """Runs of blank lines left where a part was taken out, as one."""
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + ("\n" if out else "")
