"""A script file's problems as gcc-style `Diagnostic`s, and "did you mean" suggestions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from reflectcoach.core.text import clean
from reflectcoach.script.yamlsafe import Node

Severity: TypeAlias = Literal["error", "warning"]

MAX_STEP_SUGGESTIONS = 20


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    import difflib  # only when there is a mistake to explain

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Report:
    """Every problem found in one file, in the order found (the loader sorts them)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.has_errors = False
        self.suggestions_left = MAX_STEP_SUGGESTIONS

    def suggest_step(self, name: str, choices: Iterable[str]) -> str:
        """A "did you mean" among the steps, for the first few mistakes only: each costs a
        comparison with every step, and thousands of dangling names made validation quadratic
        (10,000 took minutes). Nobody reads the 50th suggestion."""
        if self.suggestions_left <= 0:
            return ""
        self.suggestions_left -= 1
        return suggest(name, choices)

    def error(self, line: int, col: int, message: str) -> None:
        self.has_errors = True
        self.diagnostics.append(Diagnostic(self.path, line, col, "error", clean(message)))

    def warn(self, line: int, col: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, col, "warning", clean(message)))

    def error_at(self, node: Node, message: str) -> None:
        self.error(node.line, node.col, message)
