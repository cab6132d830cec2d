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

    return json_safe(json.dumps(value, ensure_ascii=False, **options))


def json_safe(text: str) -> str:
    """JSON text (SQLite's json_object() too) with C1 and bidirectional controls written as
    `\\uXXXX`: the same text once decoded (see `_JSON_UNSAFE`)."""
    if text.isascii() and "\x7f" not in text:
        return text  # the common case, checked fifty times faster than the pattern scans
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Where an answer lands decides what must be escaped. The Markdown before it on its line can
# open containers (quotes, list items: continuation lines repeat or indent to them), or make the
# line a heading or a table row, where a value must stay on one line.
_CONTAINERS = re.compile(r"(?:[ ]{0,3}>[ ]?|[ ]{0,3}(?:[-+*]|\d{1,9}[.)])[ ]+)*")
_HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]|$)")
_TABLE_ROW = re.compile(r"[ ]{0,3}\|")

# What a line of text could start at the beginning of a block: a heading, quote, bullet or
# numbered item, thematic break, setext underline, fence. Groups: 1 = the character that gets a
# backslash in front; 2 = the number whose following "." or ")" gets it instead.
_BLOCK_START = re.compile(
    r"(#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|[-*_](?=(?:[ \t]*[-*_]){2,}[ \t]*$)"
    r"|=(?==*[ \t]*$)|-(?=-*[ \t]*$)|`{3}|~{3})|(\d{1,9})(?=[.)](?:[ \t]|$))"
)
# Inline constructs. `` ` `` `[` `]` `|` are escaped wherever they are (code spans, links and
# GFM table cells can pair them with anything later); the others only where they could act.
_ALWAYS = frozenset("`[]|")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY_AHEAD = re.compile(r"#?[A-Za-z0-9]+;|#?[A-Za-z0-9]*\Z")
_CLOSING_HASHES = re.compile(r"(?:(?<=[ \t])|^)#+(?=[ \t]*\Z)")
_CONTAINER_PART = re.compile(r"[ ]{0,3}>[ ]?|[ ]{0,3}(?:[-+*]|\d{1,9}[.)])[ ]+")
_SPACE = frozenset((" ", "\t", "\n"))
# What GFM viewers (and markdown-it's linkify) turn into links by themselves, with no Markdown
# around it: `https://...`, `//host`, `www.example.com`, `example.com`, `a@b.co`. A backslash
# before the ":" of "://", the first "/" of any other "//" and a domain's dots splits the text
# where the matcher looks, and shows nothing: a typed address stays text and never becomes a
# link a mentor might click.
_LABEL_AHEAD = re.compile(r"[^\W_]{2,}")
_MAILTO = re.compile(r"(?<![^\W_])mailto\Z", re.IGNORECASE)
# An e-mail address GitHub's renderer links whatever its escapes: cmark-gfm's autolink
# extension looks for `local@domain` in the text once escapes and entities are resolved
# (`a@b\.co`, `a\@b.co`, `a&#64;b.co` are all linked). An empty HTML comment between the
# local part and the "@" splits that text in two and shows as nothing (GitHub, Textual's
# Markdown, markdown-it); `records.plain_text` drops it from plain text.
NO_AUTOLINK = "<!---->"
_LOCAL_PART = frozenset("._+-")
# Every character `_escape_inline` may put a backslash (or NO_AUTOLINK) before.
_INLINE_CANDIDATE = re.compile(r"[*_~`\[\]|\\<&:/.@$-]")
# pandoc's default Markdown reader (not CommonMark) acts on more: `$...$` is TeX math, `@name`
# a citation, `--` an en dash (smart), `\ ` a non-breaking space. A backslash before each is a
# CommonMark escape too (ASCII punctuation), so every reader shows the text as typed.
_PANDOC = frozenset("$")


def markdown_escape(text: str, before: str = "") -> str:
    """Answer text for Markdown that shows exactly what was typed, escaping only what would
    change its meaning. `before` is the Markdown already on the line where the text goes
    (`"- **Goal:** "`, `"## "`, `"> "`): it decides whether the first line starts a block,
    how continuation lines stay inside a list item or quote, and whether the text must stay on
    one line (headings, table rows).

    Lines stay lines (a backslash hard break); a blank line starts a new paragraph in the same
    container. Leading spaces are kept where Markdown reads them as part of a paragraph and
    dropped where they would start a code block (the first line of a block). Control
    characters are made visible first (`clean`).
    """
    line_start = before.split("\n")[0]
    container = _container(line_start)
    inner = line_start[len(container) :]
    lines = clean(text).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()

    if _HEADING.match(inner) or _TABLE_ROW.match(inner):
        escaped = _escape_inline(" ".join(line.strip() for line in lines), None, None)
        if _HEADING.match(inner):  # a trailing "#" run would be read as the closing sequence
            escaped = _CLOSING_HASHES.sub(lambda m: "\\" + m.group(), escaped)
        return escaped

    # Continuation lines repeat the quote markers and indent past the list markers.
    continuation = "".join(
        part if part.lstrip(" ").startswith(">") else " " * len(part)
        for part in _CONTAINER_PART.findall(container)
    )
    at_block_start = "\n" not in before and not inner.strip(" \t")
    # An answer that is a block of its own keeps its paragraphs. Anywhere else (after
    # "**Goal:** ", in a list item, inside "**...**") a paragraph break would end what the
    # template opened, so a blank line is an empty line: two hard breaks.
    own_block = at_block_start and all(">" in part for part in _CONTAINER_PART.findall(container))
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        # White space at the ends of a line shows as nothing, and next to template Markdown
        # ("**{name}**") it would stop the emphasis around the answer.
        line = line.rstrip()
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])

    out: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        if number and own_block:
            out.append(continuation.rstrip(" "))  # the quote markers, so the quote goes on
        elif number:
            out[-1] += "\\"
            out.append(continuation + "\\")
        for index, line in enumerate(paragraph):
            first = not number and not index
            body = line.lstrip()
            if first and not at_block_start:
                escaped = _escape_inline(body, None, None)  # mid-line: inline only
            elif first or (own_block and not index):
                # The first line of a block loses its indentation (four spaces would make it
                # code) and must not start a heading, list, quote...
                escaped = _escape_line_start(body)
            else:
                # Inside a paragraph the indentation is harmless and kept as typed.
                indent = line[: len(line) - len(line.lstrip(" \t"))]
                escaped = indent + _escape_line_start(line[len(indent) :].lstrip())
            if index:
                out[-1] += "\\"  # a hard line break: the next line stays a line of its own
            out.append(escaped if first else continuation + escaped)
    return "\n".join(out)


def _container(line: str) -> str:
    match = _CONTAINERS.match(line)
    return match.group() if match else ""


def _escape_line_start(line: str) -> str:
    """A line's text, escaped inline, with a backslash before whatever would make it start a
    block when it comes first on a line."""
    match = _BLOCK_START.match(line)
    if match is not None and match.group(2) is not None:
        end = match.end()  # "1." / "1)": the punctuation after the number gets it
        return line[:end] + "\\" + _escape_inline(line[end:], line[end - 1], None)
    escaped = _escape_inline(line, "\n", None)
    if match is None or escaped.startswith("\\"):
        return escaped  # nothing to do, or already escaped as an inline character
    return "\\" + escaped


def _escape_inline(text: str, previous: str | None, following: str | None) -> str:
    """Backslashes before the characters of `text` that could start or end an inline
    construct. `previous` and `following` are the characters around `text` ("\\n" at a line
    break); None means template text we cannot see, where anything may stand."""
    # Only the characters that may need a backslash are visited (a regex finds them); the
    # text between is copied in one slice. Prose has few of them, so an export of long
    # answers does not walk every character in Python.
    out: list[str] = []
    n = len(text)
    copied = 0  # text[copied:i] still to copy as it is
    found = _INLINE_CANDIDATE.search(text)
    while found is not None:
        i = found.start()
        char = text[i]
        if char in "*_~":
            end = i
            while end < n and text[end] == char:
                end += 1
            left = text[i - 1] if i else previous
            right = text[end] if end < n else following
            if char == "_":
                # "_" between letters or digits can neither open nor close emphasis.
                inert = bool(left and left.isalnum() and right and right.isalnum())
            else:
                # "*" and "~" with white space on both sides can neither open nor close.
                inert = left in _SPACE and right in _SPACE
            if not inert:
                out.append(text[copied:i])
                out.append("".join("\\" + c for c in text[i:end]))
                copied = end
            found = _INLINE_CANDIDATE.search(text, end)
            continue
        right = text[i + 1] if i + 1 < n else following
        if char == "@":
            left = text[i - 1] if i else previous
            if (left is None or left.isalnum() or left in _LOCAL_PART) and (
                right is None or right.isalnum()
            ):
                out.append(text[copied:i])
                out.append(NO_AUTOLINK)
                copied = i
                if left is None:  # template text before it: may be a word start (pandoc)
                    out.append("\\@")
                    copied = i + 1
            else:  # `@name` at a word's start: a citation to pandoc's default reader
                out.append(text[copied:i])
                out.append("\\@")
                copied = i + 1
            found = _INLINE_CANDIDATE.search(text, i + 1)
            continue
        if (
            char in _ALWAYS
            or char in _PANDOC
            or (char == "-" and right == "-")
            or (char == "\\" and (right is None or right in "\n \t" or right in _ASCII_PUNCTUATION))
            or (char == "<" and right not in _SPACE)
            or (char == "&" and _ENTITY_AHEAD.match(text, i + 1))
            or (char == ":" and (text.startswith("//", i + 1) or _MAILTO.search(text, 0, i)))
            or (char == "/" and right == "/" and (text[i - 1] if i else previous) != ":")
            or (char == "." and _links_domain(text, i))
        ):
            out.append(text[copied:i])
            out.append("\\" + char)
            copied = i + 1
        found = _INLINE_CANDIDATE.search(text, i + 1)
    out.append(text[copied:])
    return "".join(out)


def typed(text: str) -> str:
    """Text a person typed, as Python read it from a terminal, a pipe or the command line:
    bytes that are not UTF-8 arrive as lone surrogates, which no database or terminal takes.
    They become U+FFFD, as a terminal shows them."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _links_domain(text: str, dot: int) -> bool:
    """Whether the "." at `dot` joins two labels of what a linkifier could take for a domain
    ("example.com", "www.x.org", "b.co" in "a@b.co"): a letter or digit before it, and after
    it a run of two or more letters or digits with a letter among them ("v1.2", "e.g." and
    "3.50" are left alone)."""
    if dot == 0 or not text[dot - 1].isalnum():
        return False
    label = _LABEL_AHEAD.match(text, dot + 1)
    return label is not None and any(c.isalpha() for c in label.group())


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
