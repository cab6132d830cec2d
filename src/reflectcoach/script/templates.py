"""Text with `{step_id}` and `{recall.script.step}` holes, as in say/ask/hint/labels/record.

`{{` and `}}` are literal braces; any other brace is an error with its offset. Parsing splits the
text once into literal parts and hole names so that rendering is a single join.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reflectcoach.script.model import name_problem
from reflectcoach.script.urls import holes_in_urls

_BRACE = re.compile(r"\{\{|\}\}|[{}]")
# An answer ending a sentence, then the template's own full stop after a closing quote or
# emphasis: `"{hopes}".` would read `"what I want.".`, so that full stop is dropped.
_ENDS_SENTENCE = re.compile(r"[.!?\u2026](?:\\?[\"'\u201d\u2019)*_])*\s*$")
_STOP_AFTER = re.compile(r"[\"'\u201d\u2019)*_]*(\.)(?!\.)")
_LITERAL_HINT = "write '{{' and '}}' for literal braces"


class TemplateError(ValueError):
    """A template that does not parse; `offset` is 0-based into the template text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Template:
    source: str
    # Literal text at even indices, hole names at odd ones: render replaces the odd ones.
    parts: tuple[str, ...]
    # (name, offset of the name in source) per hole, in order.
    holes: tuple[tuple[str, int], ...] = ()

    def render(self, lookup: Callable[[str], str]) -> str:
        """The text with each hole replaced by `lookup(name)` (None counts as empty)."""
        if not self.holes:
            return self.parts[0]
        out = list(self.parts)
        for i in range(1, len(out), 2):
            out[i] = lookup(out[i]) or ""
            out[i + 1] = _no_second_stop(out[i], out[i + 1])
        return "".join(out)

    def render_filled(self, lookup: Callable[[str], str]) -> str:
        """Like `render`, leaving out each line whose holes all came out empty, so a record
        has no bare "Goal:" line when the goal was skipped, and each line whose holes outside
        `**bold**` all did ("**For {other}:** {want_them}" without `want_them`). Lines
        without holes stay."""
        return self.render_placed(lambda name, _before: lookup(name), drop_empty_lines=True)

    def render_placed(
        self, fill: Callable[[str, str], str], *, drop_empty_lines: bool = False
    ) -> str:
        """The text with each hole replaced by `fill(name, before)`, `before` being what is
        already rendered on the hole's line: Markdown escaping depends on where a value lands
        (a list item, a heading, the start of a line). With `drop_empty_lines`, as in
        `render_filled`.

        A hole whose place is inside a URL (a link or image destination, an autolink, an HTML
        tag, a bare URL) is left empty: whatever it held would leave the machine when the
        Markdown is viewed. The loader refuses such templates; this holds without it."""
        in_urls = {offset for _name, offset in holes_in_urls(self)} if self.holes else set()
        lines: list[str] = []
        line: list[str] = []
        # Per line: holes, and those of them filled; the same for holes outside `**bold**`,
        # where the answer is (a label like "**For {other}:** {want_them}" keeps its name).
        holes = filled = outside = outside_filled = 0
        value = ""

        def keep() -> bool:
            if not drop_empty_lines or not holes:
                return True
            return bool(filled) and (not outside or bool(outside_filled))

        for i, part in enumerate(self.parts):
            if i % 2:
                inert = self.holes[i // 2][1] in in_urls
                before = "".join(line)
                value = "" if inert else fill(part, before) or ""
                holes += 1
                filled += bool(value.strip())
                if before.count("**") % 2 == 0:
                    outside += 1
                    outside_filled += bool(value.strip())
                line.append(value)
                continue
            if i:
                part = _no_second_stop(value, part)
            for j, piece in enumerate(part.split("\n")):
                if j:
                    if keep():
                        lines.append("".join(line))
                    line, holes, filled, outside, outside_filled = [], 0, 0, 0, 0
                line.append(piece)
        if keep():
            lines.append("".join(line))
        return "\n".join(lines)

    def references(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.holes)

    def references_at(self) -> tuple[tuple[str, int], ...]:
        return self.holes

    @property
    def is_literal(self) -> bool:
        return not self.holes


def _no_second_stop(value: str, following: str) -> str:
    """`following` (the literal after a hole) without its leading full stop when `value`
    already ends a sentence."""
    if not value or not _ENDS_SENTENCE.search(value):
        return following
    stop = _STOP_AFTER.match(following)
    if stop is None:
        return following
    return following[: stop.start(1)] + following[stop.end(1) :]


def join(parts: list[Template]) -> Template:
    """One template from several, as if their sources were written one after another."""
    sources: list[str] = []
    pieces: list[str] = [""]
    holes: list[tuple[str, int]] = []
    shift = 0
    for part in parts:
        pieces[-1] += part.parts[0]
        pieces.extend(part.parts[1:])
        holes.extend((name, offset + shift) for name, offset in part.holes)
        sources.append(part.source)
        shift += len(part.source)
    return Template("".join(sources), tuple(pieces), tuple(holes))


def literal(text: str) -> Template:
    """A template that renders `text` exactly, braces included."""
    return Template(text.replace("{", "{{").replace("}", "}}"), (text,))


def parse(text: str) -> Template:
    """Parse template text; raises TemplateError at the first problem."""
    if "{" not in text and "}" not in text:
        return Template(text, (text,))  # most text has no holes: skip the scan
    parts: list[str] = []
    holes: list[tuple[str, int]] = []
    pending: list[str] = []  # literal pieces since the last hole
    pos = 0
    while (match := _BRACE.search(text, pos)) is not None:
        start, token = match.start(), match.group()
        pending.append(text[pos:start])
        pos = match.end()
        if token in ("{{", "}}"):
            pending.append(token[0])
            continue
        if token == "}":
            raise TemplateError(f"single '}}' ({_LITERAL_HINT})", start)
        close = text.find("}", pos)
        stray = text.find("{", pos, close if close >= 0 else len(text))
        if close < 0 or stray >= 0 or "\n" in text[pos:close]:
            raise TemplateError(f"'{{' is never closed ({_LITERAL_HINT})", start)
        name = text[pos:close]
        if not name:
            raise TemplateError(f"empty '{{}}' ({_LITERAL_HINT})", start)
        problem = name_problem(name)
        if problem is not None:
            raise TemplateError(f"{problem} ({_LITERAL_HINT})", pos)
        parts.append("".join(pending))
        parts.append(name)
        holes.append((name, pos))
        pending = []
        pos = close + 1
    pending.append(text[pos:])
    parts.append("".join(pending))
    return Template(text, tuple(parts), tuple(holes))
