"""A stored record (Markdown from the script, answers escaped) placed in a document, or turned
into plain text to paste where Markdown is not rendered.

Records are short documents in the Markdown that scripts use: headings, paragraphs, lists,
emphasis, a table, a thematic break. Placing them (demoting headings, dropping empty sections)
works on their lines; reading them as plain text walks markdown-it-py's syntax tree (CommonMark
with GFM tables and strikethrough), so escapes, entities and emphasis resolve as any renderer
resolves them, records stored before escaping became minimal (`on\\-call`) included.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reflectcoach.core.sharing import CLOSE, OPEN, has_private, is_marker, shared, unmarked
from reflectcoach.core.text import NO_AUTOLINK

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"([ ]{0,3})(#{1,6})(?=[ \t]|$)")
_QUOTE_MARKER = re.compile(r"[ ]{0,3}>[ ]?")
_ITEM = re.compile(r"([ \t]*)([-+*]|\d{1,9}[.)])(?:[ \t]+|$)(.*)")


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
    source = unmarked(markdown)
    writer = _Writer(source.split("\n"))
    writer.blocks(_tree(source).children)
    text = "\n".join(part.rstrip() for part in writer.out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


@functools.cache
def _parser() -> MarkdownIt:
    # CommonMark with GFM tables and strikethrough: the Markdown records are written in.
    from markdown_it import MarkdownIt  # about 50 ms: only records turned into plain text need it

    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _tree(markdown: str) -> SyntaxTreeNode:
    from markdown_it.tree import SyntaxTreeNode  # with _parser(): not at start-up

    return SyntaxTreeNode(_parser().parse(markdown))


class _Writer:
    """Block nodes -> lines. Each nesting level (a quote, a list item) adds its lead to the
    lines inside it: "> " on each, or "- " on an item's first line and spaces after it."""

    def __init__(self, lines: list[str]) -> None:
        self.source = lines
        self.out: list[str] = []
        self.leads: list[list[str]] = []  # per level: [first line's lead, later lines' lead]
        self.last = 0  # the source line after the last block written
        self.gapped = False  # whether the last line written is a gap

    def line(self, text: str) -> None:
        lead = ""
        for level in self.leads:
            lead += level[0]
            level[0] = level[1]
        self.out.append(lead + text)
        self.gapped = False

    def gap(self) -> None:
        """A blank line; inside a quote, a line with only its marker keeps the quote whole."""
        self.out.append("".join(level[1] for level in self.leads).rstrip())
        self.gapped = True

    def blank(self) -> None:
        """A gap, unless the last line is one already (or nothing is written yet)."""
        if self.out and not self.gapped:
            self.gap()

    def start(self, node: SyntaxTreeNode) -> None:
        """A blank line before a block where the source has one (a new paragraph, a loose
        list's next item)."""
        if node.map is None:
            return
        begin, end = node.map
        if any(not _unquoted(line).strip() for line in self.source[self.last : begin]):
            self.blank()
        self.last = end

    def blocks(self, nodes: Sequence[SyntaxTreeNode]) -> None:
        for node in nodes:
            self.block(node)

    def block(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "blockquote":
            self.inside(node, "> ", "> ")
        elif kind in ("bullet_list", "ordered_list"):
            for item in node.children:
                marker = "-" if kind == "bullet_list" else f"{item.info}{item.markup}"
                self.inside(item, marker + " ", " " * (len(marker) + 1))
        else:
            self.start(node)
            self.leaf(node)

    def inside(self, node: SyntaxTreeNode, first: str, later: str) -> None:
        """A quote's or a list item's blocks, each line led by `first`, then by `later`."""
        self.leads.append([first, later])
        self.blocks(node.children)
        if self.leads[-1][0] != later:
            self.line("")  # an empty item: its marker alone
        self.leads.pop()

    def leaf(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "paragraph":
            self.paragraph(node)
        elif kind in ("heading", "hr"):
            self.blank()
            if kind == "heading":
                title = _inline(node.children[0]).replace("\n", " ")
                self.line(title)
                self.line(("=" if node.tag == "h1" else "-") * max(3, _width(title)))
            else:
                self.line("-" * 20)
            self.gap()
        elif kind == "table":
            for text in _table_lines(node):
                self.line(text)
        elif kind in ("fence", "code_block", "html_block"):
            for text in node.content.removesuffix("\n").split("\n"):
                self.line(text)

    def paragraph(self, node: SyntaxTreeNode) -> None:
        """A paragraph's lines, each indented as it was typed: markdown-it drops the spaces
        before a paragraph's lines, and a person's indented sub-point should stay indented."""
        texts = _inline(node.children[0]).split("\n")
        begin, end = node.map or (0, 0)
        # A line break inside a code span is a space: then the lines no longer match up.
        typed = self.source[begin:end] if end - begin == len(texts) else [""] * len(texts)
        for text, source in zip(texts, typed, strict=True):
            opening = any(first != later for first, later in self.leads)  # an item's marker
            self.line(text if opening else self.indent(source) + text)

    def indent(self, source: str) -> str:
        """The spaces a source line has beyond the lead its quotes and list items give it."""
        for first, _later in self.leads:
            if first == "> ":
                source = _QUOTE_MARKER.sub("", source, count=1)
        spaces = source[: len(source) - len(source.lstrip(" \t"))]
        return spaces[sum(len(later) for _first, later in self.leads if later != "> ") :]


def _unquoted(line: str) -> str:
    """A source line without its quote markers: `>` alone is a blank line inside a quote."""
    return line.lstrip(" >")


def _inline(node: SyntaxTreeNode) -> str:
    """Inline nodes as the text a reader sees."""
    kind = node.type
    if kind == "html_inline" and node.content == NO_AUTOLINK:
        return ""  # splits an address so nothing links it; a reader sees nothing
    if kind in ("text", "code_inline", "html_inline"):
        return node.content
    if kind in ("softbreak", "hardbreak"):
        return "\n"
    if kind == "image":
        return "".join(_inline(child) for child in node.children)
    label = "".join(_inline(child) for child in node.children)
    if kind == "link":
        url = _parser().normalizeLinkText(str(node.attrs.get("href", "")))
        return label if not url or url == label or node.markup == "autolink" else f"{label} ({url})"
    return label


def _table_lines(node: SyntaxTreeNode) -> list[str]:
    rows = [row for part in node.children for row in part.children]
    cells = [
        [_inline(cell.children[0]).strip() if cell.children else "" for cell in row.children]
        for row in rows
    ]
    columns = max(len(row) for row in cells)
    for row in cells:
        row.extend([""] * (columns - len(row)))
    widths = [max(_width(row[c]) for row in cells) for c in range(columns)]
    lines = []
    for row in cells:
        padded = [cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row)]
        lines.append("  ".join(padded).rstrip())
    return lines


def _width(text: str) -> int:
    """Columns on a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
