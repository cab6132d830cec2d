"""A stored record (Markdown from the script, answers escaped) placed in a document, or turned
into plain text to paste where Markdown is not rendered.

Records are short documents in the Markdown that scripts use: headings, paragraphs, lists,
emphasis, a table, a thematic break. This reads that subset line by line; it needs no Markdown
library (markdown-it-py checks it in the tests). It also reads records stored before escaping
became minimal (`on\\-call`): a backslash escape is a backslash escape.
"""

from __future__ import annotations

import html
import re
import unicodedata

from reflectcoach.core.sharing import CLOSE, OPEN, has_private, is_marker, shared, unmarked
from reflectcoach.core.text import NO_AUTOLINK

_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"([ ]{0,3})(#{1,6})(?=[ \t]|$)")
_ATX_PARTS = re.compile(r"[ ]{0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_THEMATIC = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"[ ]{0,3}(=+|-+)[ \t]*$")
_ITEM = re.compile(r"([ \t]*)([-+*]|\d{1,9}[.)])(?:[ \t]+|$)(.*)")
_QUOTE = re.compile(r"[ ]{0,3}>[ ]?(.*)")
_TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_INLINE_LINK = re.compile(r"!?\[([^\]\\]*(?:\\.[^\]\\]*)*)\]\(([^()\s]*)\)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")


def demote_headings(markdown: str, levels: int) -> str:
    """`markdown` with every ATX heading `levels` deeper (at most level 6), so a record sits
    under the heading of the conversation it belongs to. Fenced code is left alone."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1).startswith(fence):
                fence = None
        elif opened:
            fence = opened.group(1)[0] * 3
        else:
            heading = _ATX.match(line)
            if heading:
                indent, hashes = heading.groups()
                deeper = "#" * min(6, len(hashes) + levels)
                line = indent + deeper + line[heading.end() :]
        out.append(line)
    return "\n".join(out)


def join_parts(parts: list[str]) -> str:
    """A record's parts, one after another: a blank line between two parts, except where a
    list runs on from one part into the next (both sides list items), so it stays one list."""
    out = ""
    for part in parts:
        part = part.strip("\n")
        if not part:
            continue
        if out:
            last = unmarked(out).rstrip("\n").rsplit("\n", 1)[-1]
            first = unmarked(part).lstrip("\n").split("\n", 1)[0]
            runs_on = bool(_ITEM.match(last) and _ITEM.match(first))
            out += "\n" if runs_on else "\n\n"
        out += part
    return out + "\n" if out else ""


def drop_empty_sections(markdown: str) -> str:
    """`markdown` without the headings whose section came out empty (every line under it, up
    to the next heading of its level or above, skipped or on another branch), and without
    just-for-me parts left with nothing in them. Fenced code is left alone."""
    lines = markdown.split("\n")
    levels: list[int | None] = []  # per line: its heading level, if it is a heading
    fence: str | None = None
    for line in lines:
        opened = _FENCE.match(line)
        heading = None
        if fence is not None:
            if opened and opened.group(1).startswith(fence):
                fence = None
        elif opened:
            fence = opened.group(1)[0] * 3
        elif match := _ATX.match(line):
            heading = len(match.group(2))
        levels.append(heading)
    keep = [True] * len(lines)
    # From the last heading up, so a section holding only emptied subsections empties too.
    for i in range(len(lines) - 1, -1, -1):
        level = levels[i]
        if level is None:
            continue
        j = i + 1
        empty = True
        while j < len(lines) and not (levels[j] is not None and levels[j] <= level):
            if keep[j] and lines[j].strip() and not is_marker(lines[j]):
                empty = False
                break
            j += 1
        if empty:
            keep[i] = False
    kept = [line for line, wanted in zip(lines, keep, strict=True) if wanted]
    return _drop_empty_private(kept)


def _drop_empty_private(lines: list[str]) -> str:
    out: list[str] = []
    opened = -1
    for line in lines:
        if line.strip() == OPEN:
            opened = len(out)
        elif line.strip() == CLOSE and opened >= 0:
            if not any(part.strip() for part in out[opened + 1 :]):
                del out[opened:]
                opened = -1
                continue
            opened = -1
        out.append(line)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text)


def copied_message(markdown: str, where: str = "") -> str:
    """What to tell the person once the share copy of this record is on the clipboard;
    `where` says which one (" to tmux's paste buffer"), empty for the terminal's own."""
    if has_private(markdown):
        return f"Record copied{where} as plain text, without the parts marked just for you."
    return f"Record copied{where} as plain text."


def share_text(markdown: str) -> str:
    """The copy to send: plain text without the record's just-for-me parts."""
    return plain_text(shared(markdown))


def plain_text(markdown: str) -> str:
    """The record as a reader sees it, without Markdown syntax: headings underlined (`=` for
    the first level, `-` below), bullets as "- ", numbered items kept, emphasis, escapes and
    entities resolved, a table as aligned columns, line breaks as line breaks. Just-for-me
    parts are kept (`share_text` leaves them out); their markers are not shown."""
    lines = unmarked(markdown).split("\n")
    out: list[str] = []
    # The block the previous line belongs to: a "---" under paragraph text makes it a heading,
    # under a list item it is a thematic break.
    block = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        fence = _FENCE.match(line)
        if fence:
            closing = fence.group(1)[0] * 3
            while index < len(lines) and not lines[index].lstrip(" ").startswith(closing):
                out.append(lines[index])
                index += 1
            index += 1
            block = ""
            continue
        if not line.strip():
            out.append("")
            block = ""
            continue
        setext = _SETEXT.match(line)
        if setext and block == "paragraph":
            title = out.pop()
            _heading(out, title.strip(), 1 if setext.group(1)[0] == "=" else 2)
            block = ""
            continue
        if _THEMATIC.match(line):
            _blank_before(out)
            out.extend(["-" * 20, ""])
            block = ""
            continue
        heading = _ATX_PARTS.match(line) if _ATX.match(line) else None
        if heading:
            _heading(out, inline_text(heading.group(2) or ""), len(heading.group(1)))
            block = ""
            continue
        if "|" in line and index < len(lines) and _TABLE_DELIMITER.match(lines[index]):
            rows = [line]
            index += 1
            while index < len(lines) and lines[index].strip() and "|" in lines[index]:
                rows.append(lines[index])
                index += 1
            out.extend(_table(rows))
            block = ""
            continue
        quote = _QUOTE.match(line)
        item = None if quote else _ITEM.match(line)
        if quote:
            first, lead, block = quote.group(1), "> ", "quote"
        elif item:
            indent, marker, rest = item.groups()
            first, lead, block = rest, f"{indent}{'-' if marker in '-+*' else marker} ", "item"
        else:
            first, lead, block = line, "", block or "paragraph"
        # Inline Markdown (emphasis above all) may run over the lines of its paragraph.
        gathered = [first]
        while index < len(lines) and lines[index].strip():
            following = lines[index]
            if quote:
                inside = _QUOTE.match(following)
                if inside is None:
                    break
                following = inside.group(1)
            elif _starts_block(following, lines[index + 1 : index + 2]):
                break
            gathered.append(following)
            index += 1
        texts = _paragraph(gathered)
        out.append((lead + texts[0]).rstrip())
        out.extend((("> " if quote else "") + text).rstrip() for text in texts[1:])
    text = "\n".join(part.rstrip() for part in out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _blank_before(out: list[str]) -> None:
    if out and out[-1].strip():
        out.append("")


def _heading(out: list[str], title: str, level: int) -> None:
    _blank_before(out)
    out.extend([title, ("=" if level == 1 else "-") * max(3, _width(title)), ""])


def _width(text: str) -> int:
    """Columns on a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _starts_block(line: str, following: list[str]) -> bool:
    """Whether `line` starts a block of its own rather than going on with a paragraph."""
    if "|" in line and following and _TABLE_DELIMITER.match(following[0]):
        return True
    return any(pattern.match(line) for pattern in (_FENCE, _ATX, _THEMATIC, _SETEXT, _ITEM, _QUOTE))


def _paragraph(lines: list[str]) -> list[str]:
    """A paragraph's lines as text: hard breaks (a trailing backslash or two spaces) dropped,
    as each line stays a line here; leading spaces (a list item's continuation) kept."""
    bodies: list[str] = []
    for line in lines:
        body = line.rstrip(" \t")
        trailing = len(body) - len(body.rstrip("\\"))
        if trailing % 2:  # an odd run: the last backslash is the break, not an escaped one
            body = body[:-1].rstrip(" \t")
        bodies.append(body)
    return inline_text("\n".join(bodies)).split("\n")


def _table(rows: list[str]) -> list[str]:
    cells = [[inline_text(cell.strip()) for cell in _cells(row)] for row in rows]
    columns = max(len(row) for row in cells)
    for row in cells:
        row.extend([""] * (columns - len(row)))
    widths = [max(_width(row[c]) for row in cells) for c in range(columns)]
    lines = []
    for row in cells:
        padded = [cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row)]
        lines.append("  ".join(padded).rstrip())
    return lines


def _cells(row: str) -> list[str]:
    """A table row split at its unescaped pipes, outer pipes dropped."""
    row = row.strip()
    cells: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(row):
        if row[i] == "\\" and i + 1 < len(row) and row[i + 1] == "|":
            current.append("\\|")
            i += 2
            continue
        if row[i] == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(row[i])
        i += 1
    cells.append("".join(current))
    if row.startswith("|"):
        cells = cells[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        cells = cells[:-1]
    return cells


def inline_text(text: str) -> str:
    """Inline Markdown as the text a reader sees: escapes and entities resolved, code spans
    and emphasis markers dropped, `[text](url)` as "text (url)"."""
    # Pieces: (text, literal). Escaped characters, code and entities are literal: they can
    # never be emphasis markers.
    pieces: list[tuple[str, bool]] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in _ASCII_PUNCTUATION:
            pieces.append((text[i + 1], True))
            i += 2
            continue
        if char == "`":
            end = i
            while end < n and text[end] == "`":
                end += 1
            ticks = text[i:end]
            close = text.find(ticks, end)
            while close >= 0 and close + len(ticks) < n and text[close + len(ticks)] == "`":
                close = text.find(ticks, close + len(ticks) + 1)
            if close >= 0:
                pieces.append((text[end:close], True))
                i = close + len(ticks)
            else:
                pieces.append((ticks, True))
                i = end
            continue
        if char == "&":
            entity = _ENTITY.match(text, i)
            if entity:
                pieces.append((html.unescape(entity.group()), True))
                i = entity.end()
                continue
        if char in "[!":
            link = _INLINE_LINK.match(text, i)
            if link:
                label, url = inline_text(link.group(1)), link.group(2)
                shown = label if char == "!" or not url or url == label else f"{label} ({url})"
                pieces.append((shown, True))
                i = link.end()
                continue
        if char == "<":
            if text.startswith(NO_AUTOLINK, i):  # shows as nothing (text.NO_AUTOLINK)
                i += len(NO_AUTOLINK)
                continue
            autolink = _AUTOLINK.match(text, i)
            if autolink:
                pieces.append((autolink.group(1), True))
                i = autolink.end()
                continue
        pieces.append((char, False))
        i += 1
    return _drop_emphasis(pieces)


def _drop_emphasis(pieces: list[tuple[str, bool]]) -> str:
    """Remove the `*`, `_` and `~~` runs that pair up as emphasis (CommonMark's flanking
    rules, without the rule of three: enough for the Markdown records are written in)."""
    chars = [c for c, _ in pieces]
    literal = [lit for _, lit in pieces]
    runs: list[list[int]] = []  # [start, length, can_open, can_close]
    i = 0
    while i < len(chars):
        if literal[i] or chars[i] not in "*_~":
            i += 1
            continue
        end = i
        while end < len(chars) and chars[end] == chars[i] and not literal[end]:
            end += 1
        left = chars[i - 1][-1:] if i else " "
        right = chars[end][:1] if end < len(chars) else " "
        left, right = left or " ", right or " "
        left_flanking = not right.isspace() and (
            not _punctuation(right) or left.isspace() or _punctuation(left)
        )
        right_flanking = not left.isspace() and (
            not _punctuation(left) or right.isspace() or _punctuation(right)
        )
        if chars[i] == "_":
            can_open = left_flanking and (not right_flanking or _punctuation(left))
            can_close = right_flanking and (not left_flanking or _punctuation(right))
        else:
            can_open, can_close = left_flanking, right_flanking
        if chars[i] != "~" or end - i == 2:
            runs.append([i, end - i, can_open, can_close])
        i = end
    drop = [False] * len(chars)
    openers: list[list[int]] = []
    for run in runs:
        start, length, can_open, can_close = run
        if can_close:
            for k in range(len(openers) - 1, -1, -1):
                opener = openers[k]
                if chars[opener[0]] == chars[start] and opener[1] > 0:
                    used = min(opener[1], length)
                    for j in range(opener[0] + opener[1] - used, opener[0] + opener[1]):
                        drop[j] = True
                    for j in range(start, start + used):
                        drop[j] = True
                    opener[1] -= used
                    start, length = start + used, length - used
                    del openers[k + 1 :]
                    if opener[1] == 0:
                        openers.pop()
                    break
        if can_open and length > 0:
            openers.append([start, length])
    return "".join(c for c, gone in zip(chars, drop, strict=True) if not gone)


def _punctuation(char: str) -> bool:
    return char in _ASCII_PUNCTUATION or unicodedata.category(char)[0] in "PS"
