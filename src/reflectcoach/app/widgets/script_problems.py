"""Home's list of script files that could not be loaded, each with its first error.

Shown for as long as the problems exist (home reads the scripts again each time it comes
back into view), so a person editing a script sees where it went wrong without a toast that
has already gone. File names and messages come from files anyone can write: they are
cleaned and shown as Content, never markup. Textual and the standard library only, like
home itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.script.loader import Diagnostic


def first_errors(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """`path:line:col: message` for the first error of each file, in the order found."""
    seen: dict[str, str] = {}
    for problem in diagnostics:
        if problem.severity != "error" or problem.path in seen:
            continue
        where = f"{problem.path}:{problem.line}:{problem.col}"
        seen[problem.path] = " ".join(clean(f"{where}: {problem.message}").split())
    return list(seen.values())


class ScriptProblems(VerticalScroll):
    """Hidden while every script loads; focusable so a long list can be scrolled."""

    DEFAULT_CSS = """
    ScriptProblems {
        height: auto;
        max-height: 7;
        display: none;
    }
    ScriptProblems.-shown {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="script-problems-text", markup=False)

    def show(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.lines = first_errors(diagnostics)
        self.set_class(bool(self.lines), "-shown")
        if not self.lines:
            return
        count = len(self.lines)
        head = (
            f"{count} script file{'s' if count != 1 else ''} could not be loaded; "
            "fix and come back here (or run `reflectcoach validate FILE`):"
        )
        text = Content.assemble(
            (head, "bold $text-warning"),
            *(part for line in self.lines for part in ("\n", f"  {line}")),
        )
        self.query_one("#script-problems-text", Static).update(text)
