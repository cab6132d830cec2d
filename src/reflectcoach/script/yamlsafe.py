"""Bounded, safe YAML: bytes in, a small tree of positioned nodes (or problems) out.

Why not `yaml.safe_load`: it keeps the last of duplicate keys without a word, expands aliases
(the billion laughs), and libyaml's composer recurses in C, so a file of deeply nested `[`
crashes the process. Instead one loop over the parser's events (iterative, libyaml when
available) refuses tags, aliases and deep nesting as they appear and builds the tree itself.
Nothing is ever constructed from a tag.
"""

from __future__ import annotations

import functools
import re
from typing import Any

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20

# What YAML refuses as text: the complement of PyYAML's printable set, written out as ranges
# because the negated class over all of Unicode takes milliseconds to compile at import.
_NOT_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_MISSING = object()
_NO_AUTHORING = "scripts never need them, so write the value out in full"


# Plain classes with __slots__ rather than dataclasses: a loaded file makes thousands of these,
# and dataclass creation at import costs more than the CLI can spare.
class Problem:
    """Something wrong with the YAML itself, at a 1-based line and column."""

    __slots__ = ("col", "line", "message")

    def __init__(self, line: int, col: int, message: str) -> None:
        self.line, self.col, self.message = line, col, message

    def __repr__(self) -> str:
        return f"Problem({self.line}:{self.col}, {self.message!r})"


class _Lines:
    """The decoded text, split into lines only when a diagnostic needs a column."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None

    def line(self, number: int) -> str:
        if self._lines is None:
            # After the printable check, splitlines breaks exactly where YAML does.
            self._lines = self.text.splitlines()
        return self._lines[number - 1] if 0 < number <= len(self._lines) else ""


class Node:
    """A YAML node and where it starts (1-based line and column)."""

    __slots__ = ("col", "line")

    def __init__(self, line: int, col: int) -> None:
        self.line, self.col = line, col

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.line}:{self.col})"


class Scalar(Node):
    __slots__ = ("lines", "style", "text", "value")

    def __init__(
        self, line: int, col: int, text: str, value: Any, style: str, lines: _Lines
    ) -> None:
        self.line, self.col = line, col
        self.text = text  # the value as written, after YAML quoting and escapes
        self.value = value  # resolved like YAML does for plain scalars: None, bool, int, ...
        self.style = style  # "" plain, "'" or '"' quoted, "|" literal, ">" folded
        self.lines = lines

    def __repr__(self) -> str:
        return f"Scalar({self.line}:{self.col}, {self.text!r})"

    def locate(self, offset: int) -> tuple[int, int]:
        """Line and column of character `offset` of `text`, or the node's start if unsure.

        Exact when the text stands verbatim in the source: on the scalar's one line (plain or
        quoted without escapes), or line by line in a `|` block.
        """
        if self.style in ("", "'", '"'):
            start = self.col - (1 if self.style == "" else 0)
            if self.lines.line(self.line)[start : start + len(self.text)] == self.text:
                return self.line, start + offset + 1
        elif self.style == "|":
            first = self.text.rfind("\n", 0, offset) + 1
            end = self.text.find("\n", offset)
            piece = self.text[first : end if end >= 0 else len(self.text)]
            line = self.line + 1 + self.text.count("\n", 0, first)
            source = self.lines.line(line)
            indent = len(source) - len(piece)
            if source.endswith(piece) and not source[:indent].strip(" "):
                return line, indent + offset - first + 1
        return self.line, self.col


class Seq(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, col: int) -> None:
        self.line, self.col = line, col
        self.items: list[Node] = []


class Map(Node):
    __slots__ = ("pairs",)

    def __init__(self, line: int, col: int) -> None:
        self.line, self.col = line, col
        # Keys are scalars; a duplicate key is reported and dropped, keeping the first.
        self.pairs: list[tuple[Scalar, Node]] = []


def describe(node: Node) -> str:
    """A short phrase for messages: 'a list', 'text 'maybe'', 'the number 3'."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    assert isinstance(node, Scalar)
    value = node.value
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return node.text
    if isinstance(value, int | float):
        return f"the number {node.text}"
    shown = node.text if len(node.text) <= 40 else node.text[:37] + "..."
    return f"text '{shown}'"


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `text[index]`, counting line breaks as YAML does."""
    pieces = _BREAK.split(text[:index])
    return len(pieces), len(pieces[-1]) + 1


def too_big(size: int) -> Problem:
    return Problem(1, 1, f"the file is {size / MAX_BYTES:.1f} MiB; scripts are limited to 1 MiB")


def decode(data: bytes) -> tuple[str | None, list[Problem]]:
    """Check size and encoding; the text without a byte-order mark, or the problem."""
    if len(data) > MAX_BYTES:
        return None, [too_big(len(data))]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        prefix = data[: err.start].decode("utf-8")
        line, col = position(prefix, len(prefix))
        bad = data[err.start]
        message = f"the file is not UTF-8: byte 0x{bad:02x} cannot be decoded; save it as UTF-8"
        return None, [Problem(line, col, message)]
    text = text.removeprefix("\ufeff")
    bad_char = _NOT_PRINTABLE.search(text)
    if bad_char is not None:
        line, col = position(text, bad_char.start())
        code = ord(bad_char.group())
        return None, [Problem(line, col, f"control character U+{code:04X} is not allowed")]
    return text, []


def compose(data: bytes) -> tuple[Node | None, list[Problem]]:
    """The document's root node, or None; problems found on the way either way."""
    text, problems = decode(data)
    if text is None:
        return None, problems
    return _Builder(text).build()


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


class _Stop(Exception):
    """Raised inside the event loop when going on would be unsafe or pointless."""


class _Builder:
    def __init__(self, text: str) -> None:
        self.lines = _Lines(text)
        self.text = text
        self.problems: list[Problem] = []
        self.root: Node | None = None
        # One frame per open collection: [node, pending key or None, keys seen so far].
        self.stack: list[list[Any]] = []
        self.resolved: dict[str, Any] = {}

    def problem(self, mark: Any, message: str) -> None:
        self.problems.append(Problem(mark.line + 1, mark.column + 1, message))

    def build(self) -> tuple[Node | None, list[Problem]]:
        import yaml  # imported on first load, so importing the registry stays cheap

        loader = (getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader)(self.text)
        try:
            self.events(loader)
        except _Stop:
            return None, self.problems
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            where = f" ({err.context})" if err.context else ""
            message = f"invalid YAML: {err.problem or 'cannot parse'}{where}"
            if mark is None:
                self.problems.append(Problem(1, 1, message))
            else:
                self.problem(mark, message)
            return None, self.problems
        except yaml.YAMLError as err:
            self.problems.append(Problem(1, 1, f"invalid YAML: {err}"))
            return None, self.problems
        finally:
            loader.dispose()
        if self.root is None:
            self.problems.append(Problem(1, 1, "the file is empty"))
        return self.root, self.problems

    def events(self, loader: Any) -> None:
        # The hot loop of loading: one pass, locals bound up front, no call per event.
        from yaml import events as ev

        scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
        map_start, seq_start = ev.MappingStartEvent, ev.SequenceStartEvent
        ends = (ev.MappingEndEvent, ev.SequenceEndEvent)
        get, stack, lines, resolved = loader.get_event, self.stack, self.lines, self.resolved
        documents = 0
        while True:
            event = get()
            kind = type(event)
            node: Node
            if kind is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    self.refuse(event)
                text = value = event.value
                style = event.style or ""
                if not style and event.tag is None:
                    # Scripts repeat the same few plain words (text, true, 1): resolve each once.
                    value = resolved.get(text, _MISSING)
                    if value is _MISSING:
                        value = resolved[text] = _resolve(text)
                mark = event.start_mark
                node = Scalar(mark.line + 1, mark.column + 1, text, value, style, lines)
            elif kind is map_start or kind is seq_start:
                if event.anchor is not None or event.tag is not None:
                    self.refuse(event)
                mark = event.start_mark
                if len(stack) >= MAX_DEPTH:
                    message = f"nesting deeper than {MAX_DEPTH} levels; scripts never need that"
                    self.problem(mark, message)
                    raise _Stop
                node = (Map if kind is map_start else Seq)(mark.line + 1, mark.column + 1)
            elif kind in ends:
                stack.pop()
                continue
            elif kind is alias_event:
                message = f"aliases are not allowed (found '*{event.anchor}'): {_NO_AUTHORING}"
                self.problem(event.start_mark, message)
                raise _Stop
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    message = "a script is a single YAML document: remove the second '---'"
                    self.problem(event.start_mark, message)
                    raise _Stop
                continue
            elif kind is ev.StreamEndEvent:
                return
            else:
                continue
            # Attach the node: to a list, as a mapping's pending key, or as that key's value.
            if not stack:
                self.root = node
            else:
                frame = stack[-1]
                if type(frame[0]) is Seq:
                    frame[0].items.append(node)
                elif frame[1] is None:
                    frame[1] = node
                else:
                    self.pair(frame, node)
            if kind is not scalar_event:
                stack.append([node, None, {}])

    def refuse(self, event: Any) -> None:
        if event.anchor is not None:
            message = f"anchors are not allowed (found '&{event.anchor}'): {_NO_AUTHORING}"
            self.problem(event.start_mark, message)
        # Only a tag the author wrote is set here: quoting and block styles leave it None.
        if event.tag is not None:
            message = (
                f"tags are not allowed (found '{_tag_name(event.tag)}'); "
                "a script holds only text, numbers, true/false, lists and mappings"
            )
            self.problem(event.start_mark, message)

    def pair(self, frame: list[Any], node: Node) -> None:
        parent, key = frame[0], frame[1]
        frame[1] = None
        if type(key) is not Scalar:
            message = f"a key must be plain text, not {describe(key)}"
            self.problems.append(Problem(key.line, key.col, message))
            return
        # Keys compare by resolved value, so `1` and `"1"` differ but `a` and `"a"` do not.
        value = key.value
        ident = value if type(value) is str else (type(value), value)
        first = frame[2].get(ident)
        if first is not None:
            message = f"duplicate key '{key.text}' (first at {first.line}:{first.col})"
            self.problems.append(Problem(key.line, key.col, message))
            return
        frame[2][ident] = key
        parent.pairs.append((key, node))


# No number a script needs is longer than this; a longer one stays text (and the validator
# says what it expected), so no file can make int() or float() work on a megabyte of digits.
MAX_NUMBER_CHARS = 40
_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_INT_PREFIXES = {"0b": 2, "0x": 16}


@functools.cache
def _yaml_types() -> tuple[Any, Any]:
    import yaml

    return yaml.resolver.Resolver(), yaml.nodes.ScalarNode


def _resolve(text: str) -> Any:
    """The value yaml.safe_load gives a plain scalar (YAML 1.1 null, bool, int, float, text),
    converted by our own bounded rules: PyYAML's constructors turn a base-60 number such as
    `1:1:1:...` into an int in quadratic time (a 1 MiB file took 50 s). Base-60 is dropped, as
    YAML 1.2 did: `1:30` is text."""
    resolver, scalar_node = _yaml_types()
    kind = resolver.resolve(scalar_node, text, (True, False)).rpartition(":")[2]
    if kind == "null":
        return None
    if kind == "bool":
        return _BOOLS[text.lower()]
    if kind not in ("int", "float") or ":" in text or len(text) > MAX_NUMBER_CHARS:
        return text
    try:
        return _number(kind, text.replace("_", ""))
    except ValueError:  # matched YAML's pattern but holds no digits (`0b_`): text, as before
        return text


def _number(kind: str, digits: str) -> int | float:
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    if kind == "float":
        lowered = digits.lower()
        if lowered == ".inf":
            return sign * float("inf")
        return float("nan") if lowered == ".nan" else sign * float(digits)
    base = _INT_PREFIXES.get(digits[:2], 0)
    if base:
        return sign * int(digits[2:], base)
    if len(digits) > 1 and digits.startswith("0"):
        return sign * int(digits, 8)  # YAML 1.1 octal, as safe_load reads it
    return sign * int(digits)
