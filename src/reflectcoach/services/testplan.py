"""Running test plans (script/testplan.py) through the engine and the store the app uses, and
the branch coverage they reach.

Each plan gets a database of its own, in memory: a copy of one migrated at the start (SQLite's
backup API, a fraction of a millisecond), so plans are independent and hundreds run a second.
Earlier conversations are run through the same sessions from their answers; open commitments
are made as a completed conversation makes them. The conversation under test is started with
`session.start`, answered question by question, and read back from the store: its record, its
share copy (the record without its just-for-me parts) and the mentorship seen whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from reflectcoach.core import clock
from reflectcoach.engine.conversation import DONE, AnswerError, Conversation
from reflectcoach.engine.followup import Made
from reflectcoach.engine.records import plain_text, share_text
from reflectcoach.script.loader import Diagnostic, load_file, suggest
from reflectcoach.script.model import QuestionType
from reflectcoach.script.testplan import Answer, Plan, TextCheck, Where, load_plans
from reflectcoach.services import mentorship_view, session

if TYPE_CHECKING:
    from reflectcoach.script.model import Script
    from reflectcoach.store import Store

# A plan whose answers keep a loop going stops here rather than running forever.
MAX_TURNS = 1000
END = "(end)"  # the edge out of an end step, in coverage


@dataclass(frozen=True, slots=True)
class Failure:
    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Result:
    plan: Plan
    failures: list[Failure] = field(default_factory=list)
    script: Script | None = None
    # Edges taken: (script source, step id, branch index), END's index being -1.
    edges: set[tuple[str, str, int]] = field(default_factory=set)
    steps: set[tuple[str, str]] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.failures


class PlanError(Exception):
    """The plan cannot go on; `where` points at what it was doing."""

    def __init__(self, where: Where, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@contextlib.contextmanager
def fixed_today(day: dt.date | None) -> Iterator[None]:
    """Today as the plan says, through the variable `core/clock.py` reads (as tests do)."""
    if day is None:
        yield
        return
    before = os.environ.get(clock.TODAY_ENV)
    os.environ[clock.TODAY_ENV] = day.isoformat()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(clock.TODAY_ENV, None)
        else:
            os.environ[clock.TODAY_ENV] = before


class Runner:
    """Runs plans against `scripts` (a catalog's scripts by id); a plan may also name a script
    file beside it, loaded once."""

    def __init__(self, scripts: Mapping[str, Script]) -> None:
        self.scripts = dict(scripts)
        self._files: dict[str, Script | list[Diagnostic]] = {}
        self._template = _migrated()
        self._schema: dict[Any, Any] = {}  # what sqlite-utils reads of the schema, read once

    def close(self) -> None:
        self._template.close()

    # -- scripts -----------------------------------------------------------------------------

    def script(self, name: str, plan: Plan, where: Where) -> Script:
        if name.endswith((".yaml", ".yml")) or "/" in name:
            path = (plan.folder / name).resolve()
            key = str(path)
            if key not in self._files:
                loaded = load_file(path)
                self._files[key] = loaded.script if loaded.script else loaded.errors
            found = self._files[key]
            if isinstance(found, list):
                first = found[0] if found else None
                raise PlanError(where, f"the script {name} has errors: {first}")
            return found
        script = self.scripts.get(name)
        if script is None:
            raise PlanError(where, f"no script '{name}'{suggest(name, self.scripts)}")
        return script

    # -- running -----------------------------------------------------------------------------

    def run(self, plan: Plan) -> Result:
        result = Result(plan)
        store = self._store()
        try:
            with fixed_today(plan.today):
                self._run(plan, store, result)
        except PlanError as err:
            result.failures.append(Failure(err.where, err.message))
        finally:
            store.db.close()
        return result

    def _store(self) -> Store:
        from reflectcoach.store import Store

        conn = sqlite3.connect(":memory:")
        self._template.backup(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        return Store(Path(":memory:"), _fixed_schema(conn, self._schema))

    def _run(self, plan: Plan, store: Store, result: Result) -> None:
        for earlier in plan.before:
            script = self.script(earlier.script, plan, earlier.where)
            running = session.start(store, script, plan.mentorship)
            _answer_all(running.conversation, earlier.answers, earlier.where, None)
            if not running.conversation.finished:
                step = running.conversation.state
                raise PlanError(
                    earlier.where, f"the earlier {script.id} stopped at '{step}': give its answer"
                )
        if plan.commitments:
            _promise(store, plan)
        script = self.script(plan.script, plan, plan.script_where)
        result.script = script
        running = session.start(store, script, plan.mentorship)
        conversation = running.conversation
        trace = _Tracer(conversation, result)
        trace()
        _answer_all(conversation, plan.answers, plan.where, trace)
        _check(plan, store, running.id, conversation, trace.shown, result, self.scripts)


class _Tracer:
    """What the conversation showed and which edges it took, read after every action."""

    def __init__(self, conversation: Conversation, result: Result) -> None:
        self.conversation = conversation
        self.result = result
        self.shown: dict[str, list[str]] = {}
        self.seen = 0  # entries of the path read so far

    def __call__(self) -> None:
        conversation, result = self.conversation, self.result
        path = conversation.path
        source = conversation.script.source
        for index in range(max(self.seen, 1), len(path)):
            before, after = path[index - 1], path[index]
            if before != DONE:
                result.edges.add((source, before, _taken(conversation, before, after)))
        result.steps.update((source, s) for s in path[self.seen :] if s != DONE)
        self.seen = len(path)
        turn = conversation.turn
        for say in turn.says:
            self.shown.setdefault(say.step_id, []).append(say.text)
        question = turn.question
        if question is not None:
            words = [question.text, question.hint or "", *(label for _, label in question.options)]
            self.shown.setdefault(question.step.id, []).append("\n".join(words))


def _taken(conversation: Conversation, source: str, dest: str) -> int:
    """Which of `source`'s branches led to `dest`: the first whose condition holds (the
    engine tries them in order, as here, on the same answers)."""
    step = conversation.script.steps[source]
    if dest == DONE and (step.end or not step.branches):
        return -1
    for index, branch in enumerate(step.branches):
        holds = branch.condition is None or branch.condition.evaluate(conversation.lookup_value)
        if holds and branch.go == dest:
            return index
    return next((i for i, b in enumerate(step.branches) if b.go == dest), -1)


def _answer_all(
    conversation: Conversation, answers: Sequence[Answer], where: Where, after: Any
) -> bool:
    """Give the answers, each step's in the order written; a step asked more often than it
    has answers gets its last one again; an optional question with none is skipped. Returns
    whether the conversation finished (False: a required question has no answer)."""
    queues: dict[str, list[Answer]] = {}
    for item in answers:
        queues.setdefault(item.step, []).append(item)
    steps = conversation.script.steps
    for step_id, queue in queues.items():
        step = steps.get(step_id)
        # A list for a question that is not a multi (or a list of lists for a multi): the
        # answers to give in turn, each time the step asks.
        multi = step is not None and step.type is QuestionType.MULTI
        queue[:] = [
            Answer(item.step, value, item.where)
            for item in queue
            for value in (
                item.raw
                if isinstance(item.raw, list)
                and (not multi or all(isinstance(v, list) for v in item.raw))
                else [item.raw]
            )
        ]
    last: dict[str, Answer] = {}
    turns = 0
    while conversation.turn.question is not None:
        turns += 1
        question = conversation.turn.question
        step_id = question.step.id
        queue = queues.get(step_id)
        if queue:
            item = queue.pop(0)
            last[step_id] = item
        elif step_id in last:
            item = last[step_id]
        elif question.step.optional:
            item = Answer(step_id, None, where)  # nothing given for an optional one: skipped
        else:
            return False
        if turns > MAX_TURNS:
            raise PlanError(item.where, f"still going after {MAX_TURNS} answers: a loop?")
        try:
            if item.raw is None:
                conversation.skip()
            else:
                conversation.answer(item.raw)
        except AnswerError as err:
            raise PlanError(item.where, f"the answer to '{step_id}' was refused: {err}") from None
        if after is not None:
            after()
    return conversation.finished


def _promise(store: Store, plan: Plan) -> None:
    """The plan's open commitments, made as a completed conversation makes them."""
    conversation_id = store.start(
        script_id="test_plan",
        script_version=1,
        script_sha256="",
        title="Commitments from a test plan",
        mentorship=plan.mentorship,
        current_step=DONE,
    )
    made = [
        Made(text=p.text, due=p.due, goal=p.goal, step_id="commitment", seq=n)
        for n, p in enumerate(plan.commitments)
    ]
    store.journal(conversation_id).completed(record=None, position=0, current_step=DONE, made=made)


def _check(
    plan: Plan,
    store: Store,
    conversation_id: str,
    conversation: Conversation,
    shown: dict[str, list[str]],
    result: Result,
    scripts: Mapping[str, Script],
) -> None:
    expect = plan.expect
    fail = result.failures.append
    if conversation.finished != expect.finished:
        where = expect.finished_where or plan.where
        state = conversation.state
        if expect.finished:
            fail(
                Failure(
                    where,
                    f"expected the conversation to finish; got it waiting at '{state}' "
                    f"(no answer given for '{state}')",
                )
            )
        else:
            fail(Failure(where, "expected the conversation to be unfinished; got it finished"))
    if expect.path is not None:
        taken = tuple(s for s in conversation.path if s != DONE)
        if taken != expect.path:
            fail(Failure(expect.path_where or plan.where, _path_message(expect.path, taken)))
    for step_id, check in expect.shows:
        texts = shown.get(step_id)
        if texts is None:
            asked = ", ".join(shown) or "nothing"
            fail(Failure(check.where, f"expected step '{step_id}' to be shown; got {asked}"))
            continue
        _text_check(check, "\n".join(texts), f"step '{step_id}' to show", fail)
    row = store.conversation(conversation_id)
    stored = (row or {}).get("record") or ""
    if expect.record:
        whole = plain_text(stored)
        for check in expect.record:
            _text_check(check, whole, "the record to", fail)
    if expect.share:
        shared = share_text(stored)
        for check in expect.share:
            _text_check(check, shared, "the share copy to", fail)
    if expect.mentorship:
        text = _mentorship_text(store, plan, scripts)
        for check in expect.mentorship:
            _text_check(check, text, "the mentorship to", fail)


def _mentorship_text(store: Store, plan: Plan, scripts: Mapping[str, Script]) -> str:
    if plan.mentorship is None:
        return ""
    view = mentorship_view.load(store, scripts, plan.mentorship, clock.today())
    titles = {k: s.title for k, s in scripts.items()}
    return "\n".join(mentorship_view.plain_lines(view, titles))


def _text_check(check: TextCheck, text: str, what: str, fail: Any) -> None:
    folded = " ".join(text.split())
    wanted = " ".join(check.text.split())
    if (wanted in folded) == check.present:
        return
    verb = "contain" if check.present else "not contain"
    fail(Failure(check.where, f"expected {what} {verb} {wanted!r}; got {_excerpt(folded, wanted)}"))


def _excerpt(text: str, wanted: str, limit: int = 300) -> str:
    if not text:
        return "nothing"
    at = text.find(wanted)
    if at < 0:
        return repr(text if len(text) <= limit else text[:limit] + "...")
    start = max(0, at - 60)
    piece = text[start : at + len(wanted) + 60]
    return repr(("..." if start else "") + piece + "...")


def _path_message(expected: Sequence[str], got: Sequence[str]) -> str:
    index = next(
        (i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
        min(len(expected), len(got)),
    )
    want = " > ".join(expected[index:]) or END
    got_here = " > ".join(got[index:]) or END
    return f"expected path (from step {index + 1}) {want}; got {got_here}"


def _fixed_schema(conn: sqlite3.Connection, cache: dict[Any, Any]) -> Any:
    """sqlite-utils' Database over `conn`, reading the schema (table names, columns) once per
    Runner rather than before every insert: every plan's database is a copy of one migrated
    file, so its schema never changes. The Store's SQL is exactly the app's; this takes away
    about half of what a plan costs (sqlite-utils asks SQLite for the schema on each write)."""
    from sqlite_utils.db import Table

    class _Table(Table):
        @property
        def columns(self) -> Any:
            key = ("columns", self.name)
            if key not in cache:
                cache[key] = Table.columns.fget(self)  # type: ignore[attr-defined]
            return cache[key]

    class _Database(Database):
        def table_names(self, fts4: bool = False, fts5: bool = False) -> list[str]:
            key = ("tables", fts4, fts5)
            if key not in cache:
                cache[key] = super().table_names(fts4=fts4, fts5=fts5)
            return list(cache[key])

        def view_names(self) -> list[str]:
            if "views" not in cache:
                cache["views"] = super().view_names()
            return list(cache["views"])

        def table(self, table_name: str, **kwargs: Any) -> Any:
            kwargs.setdefault("strict", self.strict)
            return _Table(self, table_name, **kwargs)

    return _Database(conn, execute_plugins=False)


def _migrated() -> sqlite3.Connection:
    from reflectcoach.store import Store
    from reflectcoach.store.migrations import upgrade

    conn = sqlite3.connect(":memory:")
    store = Store(Path(":memory:"), Database(conn, execute_plugins=False))
    with store.transaction():
        upgrade(store.db, store.path)
    return conn


# -- many plans, and coverage ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Missed:
    """A step no plan reached, or a branch no plan took."""

    where: str  # script.yaml:line:col
    what: str


@dataclass
class Coverage:
    script: Script
    edges: int
    taken: int
    missed: list[Missed]

    @property
    def percent(self) -> float:
        return 100.0 if not self.edges else 100.0 * self.taken / self.edges


def edges_of(script: Script) -> list[tuple[str, int, str, str]]:
    """Every way out of every step: (step, branch index or -1 for an end, target, where)."""
    result = []
    for step in script.steps.values():
        if step.end or not step.branches:
            result.append((step.id, -1, END, f"{step.pos.line}:{step.pos.col}"))
            continue
        for index, branch in enumerate(step.branches):
            pos = branch.pos or step.pos
            result.append((step.id, index, branch.go, f"{pos.line}:{pos.col}"))
    return result


def coverage(scripts: Sequence[Script], results: Sequence[Result]) -> list[Coverage]:
    taken: set[tuple[str, str, int]] = set()
    reached: set[tuple[str, str]] = set()
    for result in results:
        taken |= result.edges
        reached |= result.steps
    # A step included from a part file (script/includes.py) is one step wherever it is
    # included: reached when any script reached it, and listed once.
    reached_parts = {
        (step.pos.path, step.pos.line, step.pos.col)
        for script in scripts
        for step in script.steps.values()
        if step.pos.path is not None and (script.source, step.id) in reached
    }
    listed: set[str] = set()
    report = []
    for script in scripts:
        shown = _shown(script.source)
        missed: list[Missed] = []
        for step in script.steps.values():
            pos = step.pos
            if (script.source, step.id) in reached or (
                pos.path,
                pos.line,
                pos.col,
            ) in reached_parts:
                continue
            where = f"{_shown(pos.path or script.source)}:{pos.line}:{pos.col}"
            if where not in listed:
                listed.add(where)
                missed.append(Missed(where, f"step '{step.id}' is never reached"))
        edges = edges_of(script)
        count = 0
        for step_id, index, target, pos in edges:
            if (script.source, step_id, index) in taken:
                count += 1
                continue
            step = script.steps[step_id]
            if (script.source, step_id) not in reached:
                continue  # said once, as the step
            condition = ""
            if index >= 0 and step.branches[index].condition is not None:
                condition = f" if {step.branches[index].condition.source}"
            what = (
                f"'{step_id}' never ends the conversation"
                if target == END
                else f"branch '{step_id}' -> '{target}'{condition} is never taken"
            )
            part = step.branches[index].pos if index >= 0 else step.pos
            file = _shown(part.path) if part is not None and part.path else shown
            missed.append(Missed(f"{file}:{pos}", what))
        report.append(Coverage(script, len(edges), count, missed))
    return report


def _shown(source: str) -> str:
    """A script's path as an author reads it: relative to here when it is below here."""
    try:
        return str(Path(source).relative_to(Path.cwd()))
    except ValueError:
        return source


def run_files(
    paths: Sequence[Path], scripts: Mapping[str, Script]
) -> tuple[list[Result], list[Diagnostic]]:
    """Every plan in `paths` (files, or folders of *.yaml), run; and the mistakes in plan files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.suffix in (".yaml", ".yml")
                and not p.name.startswith(".")
                and not p.name.endswith(".part.yaml")
            )
        else:
            files.append(path)
    runner = Runner(scripts)
    results: list[Result] = []
    problems: list[Diagnostic] = []
    try:
        for file in files:
            plans, found = load_plans(file)
            problems += found
            results += [runner.run(plan) for plan in plans]
    finally:
        runner.close()
    return results, problems
