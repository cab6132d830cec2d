"""Script files -> `Script`, with every problem as a gcc-style `Diagnostic`.

The loader never raises for bad input: whatever the bytes, the result is a LoadResult whose
script is None when there is any error. All problems of a file are found in one run: the
nodes are read (script/parse.py), then the names they use (references.py, rules.py) and the
graph of steps (flow.py) are checked, and only then is the model built.
"""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from reflectcoach.script import flow, includes, privacy, references
from reflectcoach.script.model import Pos, Script
from reflectcoach.script.parse import RESERVED, STEP_KEYS, TOP_KEYS, TOP_REQUIRED, Parser
from reflectcoach.script.reading import build
from reflectcoach.script.references import re_rate_problem
from reflectcoach.script.report import MAX_STEP_SUGGESTIONS, Diagnostic, Report, Severity, suggest
from reflectcoach.script.yamlsafe import MAX_BYTES
from reflectcoach.script.yamlsafe import too_big as _too_big

__all__ = [
    "MAX_STEP_SUGGESTIONS",
    "RESERVED",
    "STEP_KEYS",
    "TOP_KEYS",
    "TOP_REQUIRED",
    "Diagnostic",
    "LoadResult",
    "Severity",
    "load_file",
    "load_text",
    "re_rate_problem",
    "suggest",
]


@dataclass
class LoadResult:
    script: Script | None
    diagnostics: list[Diagnostic]
    # The id the file declares, when it is readable even though the script has errors.
    script_id: str | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.script is not None


def load_text(text: str | bytes, source: str = "<string>") -> LoadResult:
    """Load a script from text or bytes; `source` names it in diagnostics."""
    # surrogatepass: a lone surrogate in a str then fails the UTF-8 check with a position.
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return _load(data, source)


def load_file(path: Path) -> LoadResult:
    """Load one script file; `Script.source` is `str(path)`."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            size = max(len(data), os.fstat(handle.fileno()).st_size)
    except OSError as err:
        message = f"cannot read the file: {err.strerror or err}"
        return LoadResult(None, [Diagnostic(source, 1, 1, "error", message)])
    if len(data) > MAX_BYTES:
        problem = _too_big(size)
        return LoadResult(None, [Diagnostic(source, 1, 1, "error", problem.message)])
    return _load(data, source)


def _load(data: bytes, source: str) -> LoadResult:
    report = Report(source)
    parser = Parser(report)
    # Loading allocates many small, acyclic objects; the cycle collector would rescan them
    # again and again for nothing (it doubled the time to validate 100 large scripts).
    collecting = gc.isenabled()
    gc.disable()
    try:
        script = _check(parser, data)
    except Exception as err:  # a bug here must still come out as a diagnostic, not a crash
        message = f"internal error while loading (please report it): {type(err).__name__}: {err}"
        report.error(1, 1, message)
        script = None
    finally:
        if collecting:
            gc.enable()
    included = parser.included
    if included.parts:  # what was said about a part's lines, said of the part
        report.diagnostics = [_in_part(d, included) for d in report.diagnostics]
        if script is not None:
            script = includes.placed(script, included)
    report.diagnostics.sort(key=lambda d: (d.path != source, d.path, d.line, d.col))
    if report.has_errors:
        script = None
    return LoadResult(script, report.diagnostics, parser.script_id)


def _in_part(d: Diagnostic, included: includes.Included) -> Diagnostic:
    path, line, col = included.place(d.line, d.col, d.path)
    return d if path == d.path else Diagnostic(path, line, col, d.severity, d.message)


def _check(parser: Parser, data: bytes) -> Script | None:
    header = parser.read(data)
    if header is None:
        return None
    references.check(parser)
    flow.check(parser)
    if parser.report.has_errors:
        return None
    assert header.id and header.title and header.summary and header.audience
    assert header.id_node is not None
    return Script(
        id=header.id,
        title=header.title,
        summary=header.summary,
        audience=header.audience,
        steps={d.id: build(d) for d in parser.steps.values()},
        version=header.version,
        record=header.record,
        record_parts=parser.record_parts,
        source=parser.report.path,
        sha256=hashlib.sha256(data + parser.included.data).hexdigest(),
        id_pos=Pos(header.id_node.line, header.id_node.col),
        recalls=tuple(sorted(parser.recalls, key=lambda r: (r.pos.line, r.pos.col))),
        closes_mentorship=header.closes_mentorship,
        delivers=header.delivers,
        private_steps=privacy.private_steps(parser.record_parts),
    )
