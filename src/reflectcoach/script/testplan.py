"""Test plan files -> `Plan`s, with every mistake as a gcc-style `Diagnostic`.

A plan names a script, where the mentorship stands before it runs (earlier conversations,
open commitments, today's date), the answers to give, and what to expect: the path taken,
what a question showed, and what the record, the share copy and the mentorship hold after.
Read with the same bounded, safe YAML reader as scripts (yamlsafe.py), so every expectation
keeps its line and column for the failure that names it. Running plans is
services/testplan.py; this module only reads them.

A file is one plan, or shared settings with a list of plans:

    script: check_in          # a script id, or a file beside the plan (x.yaml)
    mentorship: Sam
    today: 2026-12-04
    plans:
      - name: partly done
        commitments: [{text: Call Ana, due: 2026-12-01}]
        answers:                      # step: answer; ~ skips
          last_time: [partly, the write-up]   # a list: in turn, each time the step asks
        expect:
          path: [intro, last_time, ...]
          shows: {last_time: Call Ana}
          record: {contains: [Call Ana], not_contains: [Just for me]}
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reflectcoach.script.loader import Diagnostic, suggest
from reflectcoach.script.yamlsafe import MAX_BYTES, Map, Node, Scalar, Seq, compose, describe

# One table of what each mapping may hold; the parser checks against it.
FILE_KEYS = ("script", "mentorship", "today", "before", "commitments", "answers", "plans")
PLAN_KEYS = ("name", "script", "mentorship", "today", "before", "commitments", "answers", "expect")
EARLIER_KEYS = ("script", "answers")
COMMITMENT_KEYS = ("text", "due", "goal")
EXPECT_KEYS = ("path", "shows", "record", "share", "mentorship", "finished")
TEXT_CHECK_KEYS = ("contains", "not_contains")
SKIP = None  # an answer of `~` (or nothing): skip the question


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a plan file, printed `path:line:col`."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Answer:
    step: str
    raw: Any  # text as written, a list of texts (multi), or None to skip
    where: Where


@dataclass(frozen=True, slots=True)
class Earlier:
    """A completed conversation before the one under test, run from its answers."""

    script: str
    answers: tuple[Answer, ...]
    where: Where


@dataclass(frozen=True, slots=True)
class Promise:
    """An open commitment the mentorship already has."""

    text: str
    due: str | None
    goal: str | None
    where: Where


@dataclass(frozen=True, slots=True)
class TextCheck:
    """`contains` (or with `present` False, `not_contains`) one phrase."""

    text: str
    present: bool
    where: Where


@dataclass(frozen=True, slots=True)
class Expect:
    path: tuple[str, ...] | None = None
    path_where: Where | None = None
    shows: tuple[tuple[str, TextCheck], ...] = ()
    record: tuple[TextCheck, ...] = ()
    share: tuple[TextCheck, ...] = ()
    mentorship: tuple[TextCheck, ...] = ()
    finished: bool = True
    finished_where: Where | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    source: str  # the plan file
    where: Where
    script: str  # a script id, or a path to a script file (relative to the plan's folder)
    script_where: Where
    mentorship: str | None = None
    today: dt.date | None = None
    before: tuple[Earlier, ...] = ()
    commitments: tuple[Promise, ...] = ()
    answers: tuple[Answer, ...] = ()
    expect: Expect = field(default_factory=Expect)

    @property
    def folder(self) -> Path:
        return Path(self.source).parent


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def where(self, node: Node) -> Where:
        return Where(self.path, node.line, node.col)

    def error(self, node: Node, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, node.line, node.col, "error", message))

    def fields(self, node: Node, known: tuple[str, ...], what: str) -> dict[str, Node]:
        if not isinstance(node, Map):
            self.error(node, f"{what} must be a mapping, not {describe(node)}")
            return {}
        found: dict[str, Node] = {}
        for key, value in node.pairs:
            if key.text in known:
                found[key.text] = value
            else:
                hint = suggest(key.text, known) or f" (expected one of: {', '.join(known)})"
                self.error(key, f"unknown key '{key.text[:40]}'{hint}")
        return found

    def text(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node, Scalar) or node.value is None or not node.text.strip():
            self.error(node, f"{what} must be text, not {describe(node)}")
            return None
        return node.text

    def texts(self, node: Node, what: str) -> list[tuple[str, Node]]:
        items = node.items if isinstance(node, Seq) else [node]
        found = []
        for item in items:
            text = self.text(item, what)
            if text is not None:
                found.append((text, item))
        return found

    def day(self, node: Node | None) -> dt.date | None:
        if node is None:
            return None
        value = node.value if isinstance(node, Scalar) else None
        try:
            return dt.date.fromisoformat(str(value)) if value is not None else None
        except ValueError:
            pass
        self.error(node, f"'today' must be a date written YYYY-MM-DD, not {describe(node)}")
        return None

    # -- the parts of a plan -----------------------------------------------------------------

    def answers(self, node: Node) -> tuple[Answer, ...]:
        """`{step: answer}`, or a list of one-step mappings given in the order asked."""
        maps = node.items if isinstance(node, Seq) else [node]
        result = []
        for item in maps:
            if not isinstance(item, Map):
                self.error(item, f"answers are `step: answer` pairs, not {describe(item)}")
                continue
            for key, value in item.pairs:
                result.append(Answer(key.text, self.raw(value), self.where(value)))
        return tuple(result)

    def raw(self, node: Node, depth: int = 0) -> Any:
        """Text as written, None for `~` (skip), or a list: a multi question's answer, or
        the answers to give in turn when the step is asked again (a list of lists for a
        multi question asked again)."""
        if isinstance(node, Scalar):
            return None if node.value is None and node.style == "" else node.text
        if isinstance(node, Seq) and depth < 2:
            return [self.raw(item, depth + 1) for item in node.items]
        self.error(node, f"an answer is text, a list or ~ (skip), not {describe(node)}")
        return None

    def before(self, node: Node) -> tuple[Earlier, ...]:
        if not isinstance(node, Seq):
            self.error(node, f"'before' must be a list of conversations, not {describe(node)}")
            return ()
        result = []
        for item in node.items:
            found = self.fields(item, EARLIER_KEYS, "an earlier conversation")
            script = self.text(found.get("script"), "'script'")
            if script is None:
                if "script" not in found and isinstance(item, Map):
                    self.error(item, "an earlier conversation is missing 'script'")
                continue
            answers = self.answers(found["answers"]) if "answers" in found else ()
            result.append(Earlier(script, answers, self.where(item)))
        return tuple(result)

    def commitments(self, node: Node) -> tuple[Promise, ...]:
        if not isinstance(node, Seq):
            self.error(node, f"'commitments' must be a list, not {describe(node)}")
            return ()
        result = []
        for item in node.items:
            found = self.fields(item, COMMITMENT_KEYS, "a commitment")
            text = self.text(found.get("text"), "'text'")
            if text is None:
                if "text" not in found and isinstance(item, Map):
                    self.error(item, "a commitment is missing 'text'")
                continue
            due = self.day(found.get("due"))
            goal = self.text(found.get("goal"), "'goal'")
            result.append(Promise(text, due.isoformat() if due else None, goal, self.where(item)))
        return tuple(result)

    def checks(self, node: Node, what: str) -> tuple[TextCheck, ...]:
        """`phrase`, `[phrases]` (all contained), or `{contains: ..., not_contains: ...}`."""
        if not isinstance(node, Map):
            return tuple(TextCheck(t, True, self.where(n)) for t, n in self.texts(node, what))
        found = self.fields(node, TEXT_CHECK_KEYS, what)
        result = []
        for key, present in (("contains", True), ("not_contains", False)):
            if key in found:
                result += [
                    TextCheck(t, present, self.where(n)) for t, n in self.texts(found[key], key)
                ]
        return tuple(result)

    def expect(self, node: Node) -> Expect:
        found = self.fields(node, EXPECT_KEYS, "'expect'")
        path: tuple[str, ...] | None = None
        if "path" in found:
            path = tuple(t for t, _ in self.texts(found["path"], "a step in 'path'"))
        shows: list[tuple[str, TextCheck]] = []
        if "shows" in found:
            if isinstance(found["shows"], Map):
                for key, value in found["shows"].pairs:
                    shows += [(key.text, check) for check in self.checks(value, "'shows'")]
            else:
                self.error(found["shows"], "'shows' is a mapping of step id to text it contains")
        finished = True
        if "finished" in found:
            value = found["finished"]
            if isinstance(value, Scalar) and isinstance(value.value, bool):
                finished = value.value
            else:
                self.error(value, f"'finished' must be true or false, not {describe(value)}")
        return Expect(
            path=path,
            path_where=self.where(found["path"]) if "path" in found else None,
            shows=tuple(shows),
            record=self.checks(found["record"], "'record'") if "record" in found else (),
            share=self.checks(found["share"], "'share'") if "share" in found else (),
            mentorship=(
                self.checks(found["mentorship"], "'mentorship'") if "mentorship" in found else ()
            ),
            finished=finished,
            finished_where=self.where(found["finished"]) if "finished" in found else None,
        )

    def shared(self, found: dict[str, Node], base: dict[str, Any]) -> dict[str, Any]:
        values = dict(base)
        if "script" in found:
            values["script"] = self.text(found["script"], "'script'")
            values["script_where"] = self.where(found["script"])
        if "mentorship" in found:
            values["mentorship"] = self.text(found["mentorship"], "'mentorship'")
        if "today" in found:
            values["today"] = self.day(found["today"])
        if "before" in found:
            values["before"] = self.before(found["before"])
        if "commitments" in found:
            values["commitments"] = self.commitments(found["commitments"])
        if "answers" in found:
            # A plan's answers replace the file's for the steps they name (all of a step's).
            given = self.answers(found["answers"])
            named = {a.step for a in given}
            kept = tuple(a for a in values.get("answers", ()) if a.step not in named)
            values["answers"] = kept + given
        return values

    def plan(self, node: Node, base: dict[str, Any], number: int) -> Plan | None:
        found = self.fields(node, PLAN_KEYS, "a plan")
        if not isinstance(node, Map):
            return None
        values = self.shared(found, base)
        name = self.text(found.get("name"), "'name'") or f"plan {number}"
        if not values.get("script"):
            if "script" not in found:
                self.error(node, "the plan names no 'script' (here or at the top of the file)")
            return None
        return Plan(
            name=name,
            source=self.path,
            where=self.where(node),
            expect=self.expect(found["expect"]) if "expect" in found else Expect(),
            **values,
        )

    def file(self, root: Node) -> list[Plan]:
        if not isinstance(root, Map):
            self.error(root, f"a plan file is a mapping, not {describe(root)}")
            return []
        if not any(key.text == "plans" for key, _ in root.pairs):  # one plan
            plan = self.plan(root, {}, 1)
            return [plan] if plan is not None else []
        found = self.fields(root, FILE_KEYS, "a plan file")
        base = self.shared(found, {})
        plans_node = found["plans"]
        if not isinstance(plans_node, Seq) or not plans_node.items:
            self.error(plans_node, f"'plans' must be a list of plans, not {describe(plans_node)}")
            return []
        plans = [self.plan(item, base, n) for n, item in enumerate(plans_node.items, 1)]
        return [p for p in plans if p is not None]


def load_answers(path: Path) -> tuple[tuple[Answer, ...], list[Diagnostic]]:
    """A file of answers (`step: answer`, as a plan's `answers:`), for `reflectcoach try
    --given`."""
    source = str(path)
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as err:
        return (), [Diagnostic(source, 1, 1, "error", f"cannot read the answers: {err.strerror}")]
    reader = _Reader(source)
    root, problems = compose(data)
    for problem in problems:
        reader.diagnostics.append(
            Diagnostic(source, problem.line, problem.col, "error", problem.message)
        )
    if root is None or (isinstance(root, Scalar) and root.value is None):
        return (), reader.diagnostics
    answers = reader.answers(root)
    return answers, reader.diagnostics


def load_plans(path: Path) -> tuple[list[Plan], list[Diagnostic]]:
    """The plans in one file, and every mistake in it (no plan runs from a file with one)."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            os.fstat(handle.fileno())
    except OSError as err:
        return [], [Diagnostic(source, 1, 1, "error", f"cannot read the plan: {err.strerror}")]
    reader = _Reader(source)
    if len(data) > MAX_BYTES:
        reader.diagnostics.append(
            Diagnostic(source, 1, 1, "error", "the plan is over 1 MiB; split it into files")
        )
        return [], reader.diagnostics
    root, problems = compose(data)
    for problem in problems:
        reader.diagnostics.append(
            Diagnostic(source, problem.line, problem.col, "error", problem.message)
        )
    if root is None or (isinstance(root, Scalar) and root.value is None):
        if not problems:
            reader.diagnostics.append(Diagnostic(source, 1, 1, "error", "the plan file is empty"))
        return [], reader.diagnostics
    plans = reader.file(root)
    return ([] if reader.diagnostics else plans), reader.diagnostics
