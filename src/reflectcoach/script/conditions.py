"""The branch condition language: a hand-written tokenizer and recursive-descent parser.

Grammar (lowest precedence first):

    condition  := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := operand [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") operand]
    operand    := STRING | NUMBER | "true" | "false" | "today" | "days_until" "(" NAME ")"
                | NAME | "(" condition ")"

Evaluation never raises: an unanswered step (None) or a comparison between different kinds of
value is simply false. Nothing is ever passed to eval.

Dates: a date answer is its ISO text ("2026-12-04"), and `today` is today's, so `<`, `==` and
the rest order them as the calendar does; `days_until(step)` is the whole number of days from
today to that date answer (negative when past), None (so false) when there is none.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reflectcoach.core import clock
from reflectcoach.script.dates import from_iso
from reflectcoach.script.model import name_problem

MAX_LENGTH = 1000
MAX_DEPTH = 20
TODAY = "today"
DAYS_UNTIL = "days_until"
KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", TODAY, DAYS_UNTIL})
# What `today` looks up while a condition is evaluated: no step id can be written so.
_TODAY_KEY = "$today"
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")

Lookup = Callable[[str], Any]


class ConditionError(ValueError):
    """A condition that does not parse; `offset` is 0-based into the condition text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# Kinds of value: comparisons only hold between values of the same kind.
def _kind(value: object) -> str | None:
    kind = type(value)
    if kind is bool:
        return "bool"
    if kind is int or kind is float:
        return "number"
    if kind is str:
        return "str"
    if kind is list or kind is tuple:
        return "list"
    return None


_SCALARS = ("bool", "number", "str")


def _same(a: object, b: object) -> bool:
    kind = _kind(a)
    if kind is None or kind != _kind(b):
        return False
    if kind == "list":
        # Element-wise on scalars only, so a list that contains itself cannot recurse.
        return len(a) == len(b) and all(  # type: ignore[arg-type]
            _kind(x) in _SCALARS and _kind(x) == _kind(y) and x == y
            for x, y in zip(a, b, strict=True)  # type: ignore[call-overload]
        )
    return a == b


_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def compare(op: str, left: object, right: object) -> bool:
    """The value of `left op right` (op one of COMPARISONS) under the rules above."""
    if op in ("in", "not in"):
        kind, hay_kind = _kind(left), _kind(right)
        if hay_kind == "list" and kind in _SCALARS:
            found = any(_same(left, item) for item in right)  # type: ignore[union-attr]
        elif hay_kind == "str" and kind == "str":
            found = left.casefold() in right.casefold()  # type: ignore[union-attr]
        else:
            return False
        return found if op == "in" else not found
    kind = _kind(left)
    if kind is None or kind != _kind(right):
        return False
    if op == "==":
        return _same(left, right)
    if op == "!=":
        return not _same(left, right)
    if kind not in ("number", "str"):
        return False
    return bool(_ORDER[op](left, right))


def truthy(value: object) -> bool:
    """A bare operand as a condition: answered and not false, zero, empty text or empty list."""
    kind = _kind(value)
    if kind == "bool":
        return value is True
    if kind == "number":
        return value != 0
    if kind in ("str", "list"):
        return len(value) > 0  # type: ignore[arg-type]
    return False


# The syntax tree. Plain classes with __slots__ (cheap to define at import, cheap to create);
# nothing changes them after parsing.
class Literal:
    __slots__ = ("offset", "value")

    def __init__(self, value: str | float | bool, offset: int) -> None:
        self.value, self.offset = value, offset

    def value_of(self, lookup: Lookup) -> object:
        return self.value

    def test(self, lookup: Lookup) -> bool:
        return truthy(self.value)


class Name:
    __slots__ = ("name", "offset")

    def __init__(self, name: str, offset: int) -> None:
        self.name, self.offset = name, offset  # name: a step id or recall.script.step

    def value_of(self, lookup: Lookup) -> object:
        return lookup(self.name)

    def test(self, lookup: Lookup) -> bool:
        return truthy(lookup(self.name))


class Today:
    """`today`: today's date as ISO text, the form date answers are stored in."""

    __slots__ = ("offset",)

    def __init__(self, offset: int) -> None:
        self.offset = offset

    def value_of(self, lookup: Lookup) -> object:
        return lookup(_TODAY_KEY)

    def test(self, lookup: Lookup) -> bool:
        return truthy(self.value_of(lookup))


class DaysUntil:
    """`days_until(step)`: days from today to that step's date answer; None without one."""

    __slots__ = ("name", "offset")

    def __init__(self, name: str, offset: int) -> None:
        self.name, self.offset = name, offset  # offset: of `days_until`

    def value_of(self, lookup: Lookup) -> object:
        day, today = from_iso(lookup(self.name)), from_iso(lookup(_TODAY_KEY))
        return None if day is None or today is None else (day - today).days

    def test(self, lookup: Lookup) -> bool:
        return truthy(self.value_of(lookup))


Operand = Literal | Name | Today | DaysUntil


class Compare:
    __slots__ = ("left", "offset", "op", "right")

    def __init__(self, op: str, left: Operand, right: Operand, offset: int) -> None:
        self.op, self.left, self.right = op, left, right
        self.offset = offset  # of the operator

    def test(self, lookup: Lookup) -> bool:
        return compare(self.op, self.left.value_of(lookup), self.right.value_of(lookup))


class Not:
    __slots__ = ("operand",)

    def __init__(self, operand: Node) -> None:
        self.operand = operand

    def test(self, lookup: Lookup) -> bool:
        return not self.operand.test(lookup)


class And:
    __slots__ = ("operands",)

    def __init__(self, operands: tuple[Node, ...]) -> None:
        self.operands = operands

    def test(self, lookup: Lookup) -> bool:
        return all(o.test(lookup) for o in self.operands)


class Or:
    __slots__ = ("operands",)

    def __init__(self, operands: tuple[Node, ...]) -> None:
        self.operands = operands

    def test(self, lookup: Lookup) -> bool:
        return any(o.test(lookup) for o in self.operands)


Node = Literal | Name | Today | DaysUntil | Compare | Not | And | Or


@dataclass(frozen=True, slots=True)
class Condition:
    source: str
    root: Node
    names: tuple[tuple[str, int], ...]  # (name, offset) per reference, in order

    def evaluate(self, lookup: Lookup, today: dt.date | None = None) -> bool:
        """True when the condition holds; `lookup(name)` gives an answer or None. `today`
        (default `clock.today()`) is what `today` and `days_until` count from."""
        day = (today or clock.today()).isoformat()

        def look(name: str) -> Any:
            return day if name == _TODAY_KEY else lookup(name)

        return self.root.test(look)

    def references(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.names)

    def references_at(self) -> tuple[tuple[str, int], ...]:
        return self.names

    def days_until(self) -> tuple[DaysUntil, ...]:
        """Every `days_until(step)`, for the loader's check that the step is a date."""
        found: list[DaysUntil] = []
        stack: list[Node] = [self.root]
        while stack:
            node = stack.pop()
            if isinstance(node, DaysUntil):
                found.append(node)
            elif isinstance(node, Compare):
                stack.extend((node.right, node.left))
            elif isinstance(node, Not):
                stack.append(node.operand)
            elif isinstance(node, And | Or):
                stack.extend(reversed(node.operands))
        return tuple(found)

    def comparisons(self) -> tuple[Compare, ...]:
        """Every comparison in the condition, for the loader's type checks."""
        found: list[Compare] = []
        stack: list[Node] = [self.root]
        while stack:
            node = stack.pop()
            if isinstance(node, Compare):
                found.append(node)
            elif isinstance(node, Not):
                stack.append(node.operand)
            elif isinstance(node, And | Or):
                stack.extend(reversed(node.operands))
        return tuple(found)


# Tokens are (kind, text, offset). Values have kind "str", "num" or "name"; an operator,
# parenthesis or keyword (and, or, not, in) is its own kind, so the parser compares kinds only.
_TOKEN = re.compile(
    r"""(?P<str>"[^"]*"|'[^']*')
    |(?P<num>[0-9]+(?:\.[0-9]+)?(?![\w.]))
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)*)
    |(?P<op>==|!=|<=|>=|<|>|\(|\)|-)
    |(?P<space>\s+)
    |(?P<bad>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_WORDS = frozenset({"and", "or", "not", "in"})
_MISTAKES = {
    "=": "use '==' to compare",
    "!": "use 'not'",
    "&": "use 'and'",
    "|": "use 'or'",
    '"': "this string is never closed",
    "'": "this string is never closed",
}


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            continue
        char, pos = match.group(), match.start()
        if kind == "bad":
            hint = _MISTAKES.get(char, "not allowed in a condition")
            if char in "0123456789":
                hint = "not a number; write digits with an optional .fraction"
            raise ConditionError(f"unexpected {char!r}: {hint}", pos)
        if kind == "op" or (kind == "name" and char in _WORDS):
            kind = char
        tokens.append((kind, char, pos))  # type: ignore[arg-type]
    # Padding: looking past the end keeps finding "end", so no bounds checks are needed.
    tokens.extend([("end", "", len(text))] * 3)
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0
        self.names: list[tuple[str, int]] = []

    # The parser reads at most one token past the first "end", and two are padding.
    def peek(self, ahead: int = 0) -> tuple[str, str, int]:
        return self.tokens[self.at + ahead]

    def kind(self, ahead: int = 0) -> str:
        return self.tokens[self.at + ahead][0]

    def take(self) -> tuple[str, str, int]:
        self.at += 1
        return self.tokens[self.at - 1]

    def nest(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"nested more than {MAX_DEPTH} deep", offset)

    def condition(self) -> Node:
        operands = [self.conjunction()]
        while self.kind() == "or":
            self.take()
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conjunction(self) -> Node:
        operands = [self.negation()]
        while self.kind() == "and":
            self.take()
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def negation(self) -> Node:
        if self.kind() != "not":
            return self.comparison()
        _, _, offset = self.take()
        self.nest(offset)
        node = Not(self.negation())
        self.depth -= 1
        return node

    def operator(self) -> tuple[str, int] | None:
        kind, _, offset = self.peek()
        if kind in COMPARISONS:
            self.at += 1
            return kind, offset
        if kind == "not" and self.kind(1) == "in":
            self.at += 2
            return "not in", offset
        return None

    def comparison(self) -> Node:
        left = self.operand()
        found = self.operator()
        if found is None:
            return left
        if not isinstance(left, Operand):
            raise ConditionError("compare a value, not a condition in parentheses", found[1])
        op, offset = found
        right = self.operand()
        if not isinstance(right, Operand):
            raise ConditionError("compare with a value, not a condition in parentheses", offset)
        again = self.operator()
        if again is not None:
            raise ConditionError("comparisons cannot be chained; join them with 'and'", again[1])
        return Compare(op, left, right, offset)

    def operand(self) -> Node:
        kind, text, offset = self.take()
        if kind == "(":
            self.nest(offset)
            inner = self.condition()
            closing = self.take()
            if closing[0] != ")":
                raise ConditionError("'(' is never closed", offset)
            self.depth -= 1
            return inner
        if kind == "-" and self.kind() == "num":
            return Literal(-_number(self.take()[1]), offset)
        if kind == "str":
            return Literal(text[1:-1], offset)
        if kind == "num":
            return Literal(_number(text), offset)
        if kind == "name":
            return self.name(text, offset)
        if kind == "end":
            raise ConditionError("the condition ends too early: expected a value", offset)
        raise ConditionError(f"expected a value, found {text!r}", offset)

    def name(self, text: str, offset: int) -> Node:
        if text in ("true", "false"):
            return Literal(text == "true", offset)
        if text == TODAY:
            return Today(offset)
        if text == DAYS_UNTIL:
            return self.days_until(offset)
        if text.lower() in KEYWORDS:
            raise ConditionError(f"write '{text.lower()}' in lowercase", offset)
        problem = name_problem(text)
        if problem is not None:
            raise ConditionError(problem, offset)
        self.names.append((text, offset))
        return Name(text, offset)

    def days_until(self, offset: int) -> DaysUntil:
        if self.kind() != "(":
            raise ConditionError("write days_until(STEP): the date question in parentheses", offset)
        self.take()
        kind, text, at = self.take()
        if kind != "name" or text.lower() in KEYWORDS:
            shown = text or "the end"
            raise ConditionError(f"days_until takes a date question's id, not {shown!r}", at)
        problem = name_problem(text)
        if problem is not None:
            raise ConditionError(problem, at)
        if self.kind() != ")":
            raise ConditionError("days_until( is never closed: write days_until(STEP)", offset)
        self.take()
        self.names.append((text, at))
        return DaysUntil(text, offset)


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def parse(text: str) -> Condition:
    """Parse a condition; raises ConditionError at the first problem."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"a condition is limited to {MAX_LENGTH} characters", MAX_LENGTH)
    parser = _Parser(text)
    if parser.peek()[0] == "end":
        raise ConditionError("the condition is empty", 0)
    root = parser.condition()
    kind, token, offset = parser.peek()
    if kind != "end":
        if kind == ")":
            raise ConditionError("')' has no matching '('", offset)
        if token.lower() in KEYWORDS and token not in KEYWORDS:
            raise ConditionError(f"write '{token.lower()}' in lowercase", offset)
        raise ConditionError(f"unexpected {token!r}: expected 'and', 'or' or the end", offset)
    return Condition(text, root, tuple(parser.names))
