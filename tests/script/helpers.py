"""Shared helpers for the script tests."""

from __future__ import annotations

from textwrap import dedent

from reflectcoach.script.loader import Diagnostic, LoadResult, load_text

# A valid script header: cases append their steps to it, so steps start on line 6.
HEAD = "id: demo\ntitle: Demo\nsummary: A demo\naudience: anyone\nsteps:\n"


def script(steps: str) -> str:
    """HEAD plus `steps` (dedented, then indented under `steps:`)."""
    body = dedent(steps).strip("\n")
    return HEAD + "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))


def load(text: str | bytes) -> LoadResult:
    return load_text(text, "t.yaml")


def find(result: LoadResult, line: int, col: int, fragment: str, severity: str) -> Diagnostic:
    for d in result.diagnostics:
        if (d.line, d.col, d.severity) == (line, col, severity) and fragment in d.message:
            return d
    shown = "\n".join(map(str, result.diagnostics)) or "(no diagnostics)"
    raise AssertionError(f"no {severity} at {line}:{col} with {fragment!r}; got:\n{shown}")
