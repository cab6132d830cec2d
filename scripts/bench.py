"""reflectcoach's performance budgets, measured on this machine against floors measured in the
same run: `make bench` (or `.venv/bin/python scripts/bench.py`).

Every figure is the median of several runs (min and max shown) next to its floor: the same
work done by the simplest thing that can do it here (a bare Textual app, `import click`, a raw
SQL query, the YAML parser alone...). Floors and figures are sampled alternately, so a busy
machine slows both. docs/performance.md says which floor each row uses and why.

    --quick       fewer runs and a 10x smaller history: a smoke run (does not write the doc)
    --only NAME   one group: pty, startup, memory, step, scripts, history, export, peer,
                  lifetime
    --write/--no-write   write the table into docs/performance.md (default: a full run only)

The workloads come from the repo: tests/store/history.py (`make_history`) and
tests/script/bigscript.py (`make_big_script`), plus a linear 40-question script made here.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import faulthandler
import gc
import importlib.metadata
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
for _path in (ROOT, SCRIPTS):  # tests/... generators and the bench_* helpers
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from reflectcoach.store import Store

GROUPS = (
    *("pty", "startup", "memory", "step", "scripts", "history", "export", "peer"),
    *("lifetime", "encryption"),
)
DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench:begin (written by scripts/bench.py; edit outside these markers) -->"
END = "<!-- bench:end -->"
MB = 1024 * 1024
GROUP_TIMEOUT_S = 30 * 60


# -- statistics and the table ----------------------------------------------------------------


@dataclass
class Stat:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


@dataclass
class Budget:
    """`ratio`: median <= limit x floor median; `below`: median < limit; `at_least`:
    median >= limit; `info`: no budget."""

    kind: str
    limit: float = 0.0

    def check(self, row: Row) -> bool | None:
        if self.kind == "ratio":
            ratio = row.ratio
            return None if ratio is None else ratio <= self.limit
        if self.kind == "below":
            return row.stat.median < self.limit
        if self.kind == "at_least":
            return row.stat.median >= self.limit
        return None

    def describe(self, unit: str) -> str:
        if self.kind == "ratio":
            return f"≤ {self.limit:g}× floor"
        if self.kind == "below":
            return f"< {self.limit:,g} {unit}"
        if self.kind == "at_least":
            return f"≥ {self.limit:,g} {unit}"
        return "info"


INFO = Budget("info")


@dataclass
class Row:
    group: str
    name: str
    unit: str  # "ms", "MB", "answers/s"
    stat: Stat
    floor_name: str
    floor: Stat | None
    budget: Budget
    note: str = ""

    @property
    def higher_is_better(self) -> bool:
        return self.unit.endswith("/s")

    @property
    def ratio(self) -> float | None:
        """How many times the floor's cost (for rates: floor rate / rate)."""
        if self.floor is None or not self.floor.median or not self.stat.median:
            return None
        if self.higher_is_better:
            return self.floor.median / self.stat.median
        return self.stat.median / self.floor.median

    @property
    def passed(self) -> bool | None:
        return self.budget.check(self)

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "**MISS**", None: "—"}[self.passed]


def fmt(value: float, unit: str) -> str:
    if unit.endswith("/s"):
        return f"{value:,.0f}"
    if unit == "MB":
        return f"{value:,.1f}"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| group | measurement | median | min | max | floor | floor median | ratio | budget "
        "| result |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        u = r.unit
        ratio = r.ratio
        lines.append(
            f"| {r.group} | {r.name} | {fmt(r.stat.median, u)} {u} | {fmt(r.stat.low, u)} | "
            f"{fmt(r.stat.high, u)} | {r.floor_name} | "
            f"{fmt(r.floor.median, u) + ' ' + u if r.floor else '—'} | "
            f"{f'{ratio:.2f}×' if ratio is not None else '—'} | {r.budget.describe(u)} | "
            f"{r.verdict} |"
        )
    return "\n".join(lines)


# -- the run's context: options, temp dir, environment for child processes -------------------


@dataclass
class Context:
    quick: bool
    tmp: Path
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    history: dict[str, Any] | None = None

    @property
    def process_runs(self) -> int:
        return 5 if self.quick else 11

    @property
    def query_runs(self) -> int:
        return 5 if self.quick else 15

    @property
    def export_runs(self) -> int:
        return 5

    @property
    def conversations(self) -> int:
        return 1_000 if self.quick else 10_000

    @property
    def questions(self) -> int:
        return 12 if self.quick else 40

    def add(self, row: Row) -> None:
        self.rows.append(row)
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        floor = fmt(row.floor.median, row.unit) if row.floor else "-"
        print(
            f"  {row.name:<58} {fmt(row.stat.median, row.unit):>10} {row.unit:<9} "
            f"floor {floor:>9}  {ratio:>7}  {row.budget.describe(row.unit):<16} {row.verdict}",
            flush=True,
        )

    def env(self, **extra: str) -> dict[str, str]:
        """The environment for child processes: no user scripts, no user database, no
        Textual dev settings from the caller's shell."""
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("REFLECTCOACH_", "TEXTUAL"))
        }
        env["XDG_CONFIG_HOME"] = str(self.tmp / "xdg-config")
        env["XDG_DATA_HOME"] = str(self.tmp / "xdg-data")
        env["REFLECTCOACH_DB"] = str(self.tmp / "cli.db")
        env.update(extra)
        return env


PYTHON = sys.executable
REFLECTCOACH = str(Path(sys.executable).parent / "reflectcoach")


# -- child processes: wall time and peak RSS of exactly that child ----------------------------


@dataclass
class Child:
    wall_ms: float
    rss_mb: float
    code: int
    stdout: str
    stderr: str
    started: float  # perf_counter() just before the spawn


def run_child(
    argv: Sequence[str],
    env: dict[str, str],
    stdin: Path | None = None,
    *,
    measure_rss: bool = False,
    timeout: float = 300,
    check: bool = True,
) -> Child:
    """Run argv; wall time from spawn to reaped. With `measure_rss`, start it through
    scripts/bench_rss.py, whose fork gives the peak RSS of that command alone (see there);
    the launcher adds its own start to the wall time, so memory runs are not timed."""
    rss_file: Path | None = None
    if measure_rss:
        handle, name = tempfile.mkstemp(prefix="rss-")
        os.close(handle)
        rss_file = Path(name)
        argv = [PYTHON, "-S", str(SCRIPTS / "bench_rss.py"), name, *argv]
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        open(stdin or os.devnull, "rb") as source,
    ):
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=source, stdout=out, stderr=err, env=env, cwd=ROOT)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, _ = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        child = Child(
            wall * 1000,
            float("nan"),
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            started,
        )
    if rss_file is not None:
        text = rss_file.read_text().strip()
        rss_file.unlink()
        child.rss_mb = int(text) / 1024 if text else float("nan")  # KiB on Linux
    if check and child.code != 0:
        raise RuntimeError(
            f"{' '.join(argv)} exited {child.code}:\n{child.stderr[-3000:]}{child.stdout[-1000:]}"
        )
    return child


def interleaved(
    commands: dict[str, Callable[[], Child]], runs: int, warmup: int = 1
) -> dict[str, list[Child]]:
    """Run each command `runs` times, round robin, after `warmup` untimed rounds (which also
    write the .pyc files and fill the page cache)."""
    results: dict[str, list[Child]] = {name: [] for name in commands}
    for _ in range(warmup):
        for command in commands.values():
            command()
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(command())
    return results


def wall(children: list[Child]) -> Stat:
    return Stat([c.wall_ms for c in children])


def spawn_to_paint(children: list[Child]) -> Stat:
    """From just before the spawn to the paint, as the child noted it (`painted_at`, the same
    monotonic clock as perf_counter here on Linux)."""
    return Stat([(json.loads(c.stdout)["painted_at"] - c.started) * 1000 for c in children])


def rss(children: list[Child]) -> Stat:
    return Stat([c.rss_mb for c in children])


# -- in-process timing ----------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def sample_pair(
    real: Callable[[], object], floor: Callable[[], object], runs: int, warmup: int = 1
) -> tuple[Stat, Stat]:
    """Time `real` and `floor` alternately (ms)."""
    for _ in range(warmup):
        floor()
        real()
    reals: list[float] = []
    floors: list[float] = []
    for _ in range(runs):
        floors.append(timed(floor))
        reals.append(timed(real))
    return Stat(reals), Stat(floors)


# -- workloads --------------------------------------------------------------------------------

QUESTION_TYPES = ("text", "choice", "long_text", "scale", "multi", "yes_no", "number")
PLAIN_ANSWERS = {
    "text": "An answer about the team and the week\n",
    "choice": "2\n",
    "long_text": "A longer answer about the team.\nOn a second line.\n\n",
    "scale": "4\n",
    "multi": "1,3\n",
    "yes_no": "yes\n",
    "number": "6\n",
}


def linear_script(questions: int, script_id: str = "bench_linear") -> tuple[str, list[str]]:
    """YAML of a script with `questions` questions in a row, every type in turn, a say (with
    an earlier answer in it) before every eighth; and the question types in order."""
    out = [
        f"id: {script_id}",
        "title: Benchmark conversation",
        "summary: Every question type in a row, for scripts/bench.py",
        "audience: anyone",
        "version: 1",
        "record: |",
        "  # Benchmark record",
        "  First answer: {q0}",
        "  Last answer: {q" + str(questions - 1) + "}",
        "steps:",
    ]
    kinds: list[str] = []
    for i in range(questions):
        kind = QUESTION_TYPES[i % len(QUESTION_TYPES)]
        kinds.append(kind)
        if i % 8 == 7:
            out += [
                f"  pause{i}:",
                "    say: |",
                f"      A **short pause** before question {i + 1}.",
                f"      Earlier you said: {{q{i - 1}}}",
            ]
        out += [
            f"  q{i}:",
            f"    ask: Question {i + 1}, what stood out about the team this week?",
            f"    type: {kind}",
        ]
        if i % 3 == 0:
            out.append(f"    hint: A hint for question {i + 1}.")
        if kind in ("choice", "multi"):
            out += [
                "    options:",
                "      - calm",
                "      - busy",
                "      - {value: mixed, label: A bit of both}",
            ]
        elif kind == "scale":
            out += ["    min: 1", "    max: 5", "    labels: {1: low, 5: high}"]
        elif kind == "number":
            out.append("    min: 0")
    out += ["  done:", "    say: That is all. Thank you.", "    end: true"]
    return "\n".join(out) + "\n", kinds


def write_script(folder: Path, questions: int) -> tuple[Path, list[str]]:
    from reflectcoach.script.loader import load_text

    folder.mkdir(parents=True, exist_ok=True)
    text, kinds = linear_script(questions)
    result = load_text(text, "bench_linear.yaml")
    if not result.ok or result.errors:
        raise RuntimeError(
            "the generated script does not load:\n" + "\n".join(map(str, result.diagnostics))
        )
    path = folder / "bench_linear.yaml"
    path.write_text(text, encoding="utf-8")
    return path, kinds


def ensure_history(ctx: Context) -> dict[str, Any]:
    """The big history (and a 10x smaller one for the export memory check), made once."""
    if ctx.history is not None:
        return ctx.history
    from tests.store.history import make_history

    big = ctx.tmp / "history" / "big.db"
    small = ctx.tmp / "history" / "small.db"
    big.parent.mkdir(parents=True, exist_ok=True)
    print(f"  generating the history: {ctx.conversations:,} conversations ...", flush=True)
    start = time.perf_counter()
    summary = make_history(
        big, conversations=ctx.conversations, answers_per=30, seed=0, commitments=True
    )
    took = (time.perf_counter() - start) * 1000
    ctx.history = {"big": big, "small": small, "summary": summary, "generation_ms": took}
    ctx.notes.append(
        f"History: {summary['conversations']:,} conversations, {summary['answers']:,} answers "
        f"(make_history, seed 0, with commitments), generated in {took / 1000:.1f} s; common word "
        f"'{summary['common_word']}', rare word '{summary['rare_word']}'."
    )
    return ctx.history


def db_files_size(path: Path) -> int:
    return sum(
        p.stat().st_size
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
        if p.exists()
    )


# -- groups -----------------------------------------------------------------------------------


def group_startup(ctx: Context) -> None:
    env = ctx.env()
    db = ctx.tmp / "app.db"
    floor_app = [PYTHON, str(SCRIPTS / "bench_floor_app.py")]
    probe = [PYTHON, str(SCRIPTS / "bench_app_probe.py"), "--db", str(db)]
    results = interleaved(
        {
            "floor": lambda: run_child(floor_app, env),
            "paint": lambda: run_child([*probe, "--until", "paint"], env),
            "loaded": lambda: run_child([*probe, "--until", "loaded"], env),
        },
        ctx.process_runs,
    )
    floor = wall(results["floor"])
    floor_name = "bare Textual app (Header, Label, Footer)"
    ctx.add(
        Row(
            "startup",
            "app, headless: cold start to first paint of home (whole process)",
            "ms",
            wall(results["paint"]),
            floor_name,
            floor,
            Budget("ratio", 1.25),
        )
    )
    ctx.add(
        Row(
            "startup",
            "app, headless: spawn to first paint of home (without the exit)",
            "ms",
            spawn_to_paint(results["paint"]),
            floor_name,
            spawn_to_paint(results["floor"]),
            INFO,
        )
    )
    ctx.add(
        Row(
            "startup",
            "app, headless: cold start to home filled (scripts + store loaded, painted)",
            "ms",
            wall(results["loaded"]),
            floor_name,
            floor,
            INFO,
        )
    )

    cli = ctx.env()
    results = interleaved(
        {
            "pass": lambda: run_child([PYTHON, "-c", "pass"], cli),
            "click": lambda: run_child([PYTHON, "-c", "import click"], cli),
            "version": lambda: run_child([REFLECTCOACH, "--version"], cli),
            "scripts": lambda: run_child([REFLECTCOACH, "scripts"], cli),
        },
        ctx.process_runs,
    )
    click_floor = wall(results["click"])
    ctx.add(
        Row(
            "startup",
            "python -c 'import click'",
            "ms",
            click_floor,
            "python -c pass",
            wall(results["pass"]),
            INFO,
        )
    )
    for name, label in (("version", "reflectcoach --version"), ("scripts", "reflectcoach scripts")):
        ctx.add(
            Row(
                "startup",
                f"cli: {label}",
                "ms",
                wall(results[name]),
                "python -c 'import click'",
                click_floor,
                Budget("ratio", 1.5),
            )
        )


# The first built-ins in the list: nine no longer fit a 100x30 screen beside the resume
# list (the list scrolls), so "listed" means those the screen shows.
BUILTIN_TITLES = (
    "Find a mentor",
    "Get ready to mentor",
    "Prepare for a first mentoring meeting",
    "Set a goal worth chasing",
)


def _home_usable(text: str) -> bool:
    """The built-in scripts listed (the first, that the screen shows) and the resume list
    drawn (its entries or its "nothing")."""
    return all(t in text for t in BUILTIN_TITLES) and (
        "Nothing in progress." in text or "so far · updated" in text
    )


def group_pty(ctx: Context) -> None:
    """The real `reflectcoach` and the bare Textual app in a 100x30 pseudo-terminal
    (scripts/bench_pty.py): ms from the fork until given text is on the screen."""
    from bench_pty import Mark, contains
    from bench_pty import run as pty_run

    from tests.store.history import make_history

    conversations = 100 if ctx.quick else 500
    env = ctx.env(XDG_CACHE_HOME=str(ctx.tmp / "xdg-cache-pty"))
    del env["REFLECTCOACH_DB"]  # the normal data folder, holding a year of reflections
    data = Path(env["XDG_DATA_HOME"]) / "reflectcoach" / "reflections.db"
    data.parent.mkdir(parents=True, exist_ok=True)
    if not data.exists():
        make_history(data, conversations=conversations, answers_per=30, seed=2)
    floor_marks = [
        Mark("frame", contains("FloorApp")),
        Mark("footer", contains("^p palette")),
    ]
    app_marks = [
        Mark("frame", contains("reflectcoach —")),
        Mark("footer", contains("Quit", "^p palette")),
        Mark("home", _home_usable),
    ]
    floor_argv = [PYTHON, str(SCRIPTS / "bench_floor_app.py"), "--terminal"]
    app_argv = [REFLECTCOACH]
    runs = ctx.process_runs + (0 if ctx.quick else 4)
    floor_runs: list[dict[str, float]] = []
    app_runs: list[dict[str, float]] = []
    floor_cpu: list[dict[str, float]] = []
    app_cpu: list[dict[str, float]] = []
    for round_ in range(runs + 1):  # the first round is a warm-up
        floor = pty_run(floor_argv, env, floor_marks, cwd=str(ROOT))
        app = pty_run(app_argv, env, app_marks, cwd=str(ROOT))
        if round_:
            floor_runs.append(floor.times)
            app_runs.append(app.times)
            floor_cpu.append(floor.cpu)
            app_cpu.append(app.cpu)
    floor_name = "bare Textual app (Header, Label, Footer) in the same pty"

    def stat(found: list[dict[str, float]], mark: str) -> Stat:
        return Stat([r[mark] for r in found])

    def pairs(mark: str, floor_mark: str) -> str:
        ratios = [a[mark] / f[floor_mark] for a, f in zip(app_runs, floor_runs, strict=True)]
        return (
            f"per-pair ratio median {statistics.median(ratios):.2f}x "
            f"(min {min(ratios):.2f}, max {max(ratios):.2f}, {len(ratios)} pairs)"
        )

    # CPU the child had used by the mark (all its threads, /proc schedstat): what a busy
    # machine stretches least, shown beside each wall-clock row.
    for mark, floor_mark, label in (
        ("footer", "footer", "footer's keys"),
        ("home", "footer", "home usable (floor: its footer)"),
    ):
        ctx.add(
            Row(
                "pty",
                f"pty 100x30, CPU used by {label}",
                "ms",
                stat(app_cpu, mark),
                floor_name,
                stat(floor_cpu, floor_mark),
                INFO,
            )
        )

    for mark, floor_mark, label, budget in (
        ("frame", "frame", "first frame (header drawn)", INFO),
        ("footer", "footer", "footer's keys drawn", INFO),
        (
            "home",
            "footer",
            f"home usable: the built-in titles on screen and the resume list drawn "
            f"({conversations} conversations in the data folder)",
            Budget("ratio", 1.25),
        ),
    ):
        ctx.add(
            Row(
                "pty",
                f"pty 100x30, spawn to {label}",
                "ms",
                stat(app_runs, mark),
                floor_name + (" (its footer)" if mark == "home" else ""),
                stat(floor_runs, floor_mark),
                budget,
                pairs(mark, floor_mark),
            )
        )


def group_memory(ctx: Context) -> None:
    env = ctx.env()
    db = ctx.tmp / "app.db"
    probe = [PYTHON, str(SCRIPTS / "bench_app_probe.py"), "--db", str(db)]
    floor_app = [PYTHON, str(SCRIPTS / "bench_floor_app.py")]
    results = interleaved(
        {
            "floor": lambda: run_child(floor_app, env, measure_rss=True),
            "paint": lambda: run_child([*probe, "--until", "paint"], env, measure_rss=True),
            "loaded": lambda: run_child([*probe, "--until", "loaded"], env, measure_rss=True),
        },
        ctx.process_runs,
    )
    floor = rss(results["floor"])
    floor_name = "bare Textual app (Header, Label, Footer)"
    ctx.add(
        Row(
            "memory",
            "app: peak RSS, home filled (scripts + store loaded)",
            "MB",
            rss(results["loaded"]),
            floor_name,
            floor,
            Budget("ratio", 1.5),
        )
    )
    ctx.add(
        Row(
            "memory",
            "app: peak RSS at first paint of home",
            "MB",
            rss(results["paint"]),
            floor_name,
            floor,
            INFO,
        )
    )


class PaintWatch:
    """Notes the moment a frame that satisfies `expect(...)` is painted.

    Wraps the app's `_display` (every compositor refresh goes through it). Headless, Textual
    skips turning the frame into terminal bytes; this does it, so a paint costs what it costs
    in a terminal.
    """

    def __init__(self, app: App[Any]) -> None:
        from textual._compositor import CompositorUpdate

        self.app = app
        self.ready: Callable[[], bool] | None = None
        self.at = 0.0
        self.event = asyncio.Event()
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
            if self.ready is not None and self.ready():
                self.at = time.perf_counter()
                self.ready = None
                self.event.set()

        app._display = display  # type: ignore[method-assign]

    def expect(self, ready: Callable[[], bool]) -> None:
        self.event.clear()
        self.ready = ready

    async def wait(self, timeout: float = 10.0) -> float:
        await asyncio.wait_for(self.event.wait(), timeout)
        return self.at


def _composited(screen: Any, widget: Any) -> bool:
    """Whether `widget` was placed by the screen's latest layout (so it is in this frame)."""
    from textual.errors import NoWidget

    try:
        screen.find_widget(widget)
    except NoWidget:
        return False
    return True


async def _until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    raise RuntimeError(f"timed out waiting for {what}")


async def _app_steps(db: Path, folder: Path, questions: int) -> tuple[list[tuple[str, float]], int]:
    """Answer every question of the linear script through the widgets; time each submit to
    the next question painted. Returns [(question type, ms)] and the answers stored."""
    from textual.widgets import Input, TextArea

    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.app.screens.conversation import ConversationScreen
    from reflectcoach.app.screens.finished import FinishedScreen
    from reflectcoach.app.widgets.answer_inputs import AnswerInput
    from reflectcoach.store import Store

    app = ReflectCoachApp(db_path=db, script_dirs=[folder], start="bench_linear")
    times: list[tuple[str, float]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        watch = PaintWatch(app)

        def screen() -> ConversationScreen:
            current = app.screen
            assert isinstance(current, ConversationScreen)
            return current

        await _until(
            pilot,
            lambda: (
                isinstance(app.screen, ConversationScreen) and bool(app.screen.query(AnswerInput))
            ),
            "the conversation screen",
        )
        conversation_id = screen().session.id
        for index in range(questions):
            await pilot.pause()
            question = screen().question
            assert question is not None
            kind = str(question.step.type.value if question.step.type else "text")
            widget = screen().query_one(AnswerInput)
            keys: tuple[str, ...]
            if kind in ("text", "number"):
                widget.query_one(Input).value = "6" if kind == "number" else "About the team"
                keys = ("enter",)
            elif kind == "long_text":
                widget.query_one(TextArea).text = "A longer answer.\nOn two lines."
                keys = ("ctrl+s",)
            elif kind == "multi":
                await pilot.press("space")
                keys = ("enter",)
            elif kind == "yes_no":
                keys = ("y",)
            else:  # choice, scale: a digit picks and submits
                keys = ("2",)
            await pilot.pause()
            if index == questions - 1:
                await pilot.press(*keys)
                await _until(pilot, lambda: isinstance(app.screen, FinishedScreen), "the end")
                break
            asked = question.step.id

            def next_question_shown(asked: str = asked) -> bool:
                current = app.screen
                if not isinstance(current, ConversationScreen):
                    return False
                shown = current.question
                if shown is None or shown.step.id == asked:
                    return False
                found = current.query(AnswerInput)
                if not found or found.first().question is not shown:
                    return False
                control = found.first().query(".answer-control")
                return bool(control) and _composited(current, control.first())

            watch.expect(next_question_shown)
            start = time.perf_counter()
            await pilot.press(*keys)
            painted = await watch.wait()
            times.append((kind, (painted - start) * 1000))
        await pilot.pause()
    with Store.open(db) as store:
        stored = len(store.answers(conversation_id))
    return times, stored


async def _floor_steps(db: Path, questions: int) -> list[float]:
    from bench_floor_step import StepFloorApp
    from textual.widgets import Input

    app = StepFloorApp(db)
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        watch = PaintWatch(app)
        await _until(pilot, lambda: bool(app.query("#answer-slot Input")), "the floor's input")
        for _ in range(questions - 1):
            await pilot.pause()
            app.query_one("#answer-slot Input", Input).value = "About the team"
            await pilot.pause()
            asked = app.number

            def next_shown(asked: int = asked) -> bool:
                found = app.query("#answer-slot Input")
                return app.number > asked and bool(found) and _composited(app.screen, found.first())

            watch.expect(next_shown)
            start = time.perf_counter()
            await pilot.press("enter")
            painted = await watch.wait()
            times.append((painted - start) * 1000)
    return times


def group_step(ctx: Context) -> None:
    folder = ctx.tmp / "step-scripts"
    _, kinds = write_script(folder, ctx.questions)
    app_times: list[tuple[str, float]] = []
    floor_times: list[float] = []
    rounds = 1 if ctx.quick else 2
    for round_ in range(rounds):  # alternated, so a busier minute hits both
        times, stored = asyncio.run(
            _app_steps(ctx.tmp / f"step-app-{round_}.db", folder, ctx.questions)
        )
        if stored != ctx.questions:
            raise RuntimeError(f"the app stored {stored} answers for {ctx.questions} questions")
        app_times += times
        floor_times += asyncio.run(_floor_steps(ctx.tmp / f"step-floor-{round_}.db", ctx.questions))
    values = [ms for _, ms in app_times]
    by_kind: dict[str, list[float]] = {}
    for kind, ms in app_times:
        by_kind.setdefault(kind, []).append(ms)
    steps = ctx.questions - 1
    quarter = max(1, steps // 4)
    early = [ms for i, ms in enumerate(values) if i % steps < quarter]
    late = [ms for i, ms in enumerate(values) if i % steps >= steps - quarter]
    early_floor = [ms for i, ms in enumerate(floor_times) if i % steps < quarter]
    late_floor = [ms for i, ms in enumerate(floor_times) if i % steps >= steps - quarter]
    note = "by the type of the question answered (median ms): " + ", ".join(
        f"{k} {statistics.median(v):.1f}" for k, v in sorted(by_kind.items())
    )
    floor_name = "bare Textual screen: commit 1 row, mount 1 line + 1 Input"
    ctx.add(
        Row(
            "step",
            f"app: answer submitted -> next question painted ({rounds}x{steps} steps)",
            "ms",
            Stat(values),
            floor_name,
            Stat(floor_times),
            Budget("below", 30),
            note,
        )
    )
    for label, real, floor in (
        (f"first {quarter}", early, early_floor),
        (f"last {quarter}", late, late_floor),
    ):
        ctx.add(
            Row(
                "step",
                f"app: the same, {label} steps of the conversation",
                "ms",
                Stat(real),
                floor_name,
                Stat(floor),
                INFO,
            )
        )
    ctx.notes.append(f"App step ({ctx.questions}-question linear script): {note}.")

    answers = ctx.tmp / "plain-answers.txt"
    answers.write_text("".join(PLAIN_ANSWERS[k] for k in kinds), encoding="utf-8")
    db = ctx.tmp / "plain.db"
    env = ctx.env()
    command = [
        REFLECTCOACH,
        "--db",
        str(db),
        "--scripts",
        str(folder),
        "start",
        "bench_linear",
        "--plain",
    ]

    def plain() -> Child:
        child = run_child(command, env, stdin=answers)
        if "Saved as conversation" not in child.stdout:
            raise RuntimeError(
                "plain mode did not finish the conversation:\n" + child.stdout[-2000:]
            )
        return child

    empty = ctx.tmp / "plain-empty.txt"
    empty.write_text("", encoding="utf-8")

    def plain_start() -> Child:
        # The process start of plain mode: the conversation begins, its first question is
        # asked, input ends at once (exit status 3: left in progress).
        return run_child(command, env, stdin=empty, check=False)

    results = interleaved(
        {
            "version": lambda: run_child([REFLECTCOACH, "--version"], env),
            "start": plain_start,
            "plain": plain,
        },
        ctx.process_runs if ctx.quick else 7,
    )
    ctx.add(
        Row(
            "step",
            f"plain: whole {ctx.questions}-question conversation piped in",
            "ms",
            wall(results["plain"]),
            "plain mode's process start (first question, then EOF)",
            wall(results["start"]),
            Budget("ratio", 2.0),
        )
    )
    ctx.add(
        Row(
            "step",
            f"plain: whole {ctx.questions}-question conversation, against --version (info)",
            "ms",
            wall(results["plain"]),
            "reflectcoach --version",
            wall(results["version"]),
            INFO,
        )
    )


def group_scripts(ctx: Context) -> None:
    import yaml

    from reflectcoach.engine.conversation import Conversation
    from reflectcoach.script.loader import load_file
    from reflectcoach.script.registry import builtin_dir, load_catalog, script_files
    from tests.script.bigscript import make_big_script

    fast_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builtin = builtin_dir()
    files = script_files(builtin)

    def catalog() -> None:
        loaded = load_catalog([builtin])
        if loaded.errors or len(loaded.scripts) != len(files):
            raise RuntimeError(f"built-in scripts do not load: {loaded.diagnostics}")

    def parse_builtin(loader: Any) -> Callable[[], None]:
        def run() -> None:
            for f in files:
                yaml.load(f.read_bytes(), Loader=loader)

        return run

    real, floor = sample_pair(catalog, parse_builtin(fast_loader), ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            f"load + validate the {len(files)} built-in scripts (load_catalog)",
            "ms",
            real,
            "yaml.load(CSafeLoader) of the same files",
            floor,
            INFO,
        )
    )

    big = ctx.tmp / "big500.yaml"
    text = make_big_script(500, seed=1)
    big.write_text(text, encoding="utf-8")

    def load_and_build() -> None:
        result = load_file(big)
        if result.script is None:
            raise RuntimeError("the 500-step script does not load: " + str(result.diagnostics[:3]))
        Conversation(result.script)

    def floor_fast() -> None:
        yaml.load(big.read_bytes(), Loader=fast_loader)

    def floor_safe_load() -> None:
        yaml.safe_load(big.read_bytes())

    real, floor = sample_pair(load_and_build, floor_fast, ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            "500-step script: load + validate + engine.Conversation",
            "ms",
            real,
            "yaml.load(CSafeLoader) of the same text",
            floor,
            Budget("below", 50),
        )
    )
    loaded = load_file(big).script
    assert loaded is not None
    only_load, floor = sample_pair(lambda: load_file(big), floor_fast, ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            "500-step script: load + validate only",
            "ms",
            only_load,
            "yaml.load(CSafeLoader)",
            floor,
            INFO,
        )
    )
    only_machine, floor = sample_pair(lambda: Conversation(loaded), floor_fast, ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            "500-step script: engine.Conversation only (transitions Machine)",
            "ms",
            only_machine,
            "yaml.load(CSafeLoader)",
            floor,
            INFO,
        )
    )
    safe, floor = sample_pair(floor_safe_load, floor_fast, ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            "(reference) yaml.safe_load, pure Python, 500 steps",
            "ms",
            safe,
            "yaml.load(CSafeLoader)",
            floor,
            INFO,
        )
    )


@contextmanager
def opened(path: Path) -> Iterator[Store]:
    from reflectcoach.store import Store

    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()


async def _screen_opens(db: Path, runs: int) -> dict[str, list[float]]:
    """Open review and insights from home on `db`, `runs` times each: ms from the key to
    the screen painted with its data (review: the table's rows; insights: the first question's
    series plotted)."""
    from textual.widgets import Sparkline

    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.app.screens.home import HomeScreen
    from reflectcoach.app.screens.insights import InsightsScreen
    from reflectcoach.app.screens.review import ReviewScreen
    from reflectcoach.app.widgets.insights_series import SeriesPanel
    from reflectcoach.app.widgets.review_table import ReviewTable
    from reflectcoach.script.registry import builtin_dir

    app = ReflectCoachApp(db_path=db, script_dirs=[builtin_dir()])
    found: dict[str, list[float]] = {"review": [], "insights": []}
    async with app.run_test(size=(100, 40)) as pilot:
        watch = PaintWatch(app)
        await _until(
            pilot,
            lambda: isinstance(app.screen, HomeScreen) and app.screen.loaded,
            "the home screen",
        )

        def review_shown() -> bool:
            screen = app.screen
            if not isinstance(screen, ReviewScreen) or not screen.loaded:
                return False
            table = screen.query(ReviewTable)
            return (
                bool(table) and table.first().row_count > 0 and _composited(screen, table.first())
            )

        def insights_shown() -> bool:
            screen = app.screen
            if not isinstance(screen, InsightsScreen):
                return False
            panels = screen.query(SeriesPanel)
            if not panels:
                return False
            plot = panels.first().query(Sparkline)  # its data: the series' values, plotted
            return bool(plot) and bool(plot.first().data) and _composited(screen, plot.first())

        for _ in range(runs):
            for name, key, shown in (
                ("review", "r", review_shown),
                ("insights", "i", insights_shown),
            ):
                await pilot.pause()
                watch.expect(shown)
                start = time.perf_counter()
                await pilot.press(key)
                painted = await watch.wait(timeout=120)
                found[name].append((painted - start) * 1000)
                await app.workers.wait_for_complete()
                await pilot.press("escape")
                await _until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
        found.update(await _mentorship_opens(app, pilot, watch, runs))
        found.update(await _due_list_shows(app, pilot, watch, runs))
    return found


async def _due_list_shows(
    app: Any, pilot: Pilot[Any], watch: PaintWatch, runs: int
) -> dict[str, list[float]]:
    """Escape from review back to home: ms to home's due list painted, read afresh (it is
    emptied first), after home's own read of the store (which starts the due list's)."""
    from reflectcoach.app.screens.home import HomeScreen
    from reflectcoach.app.screens.review import ReviewScreen
    from reflectcoach.app.widgets.due_list import DueList

    found: dict[str, list[float]] = {"due list": []}
    home = app.screen
    due = home.query_one(DueList)

    def due_shown() -> bool:
        return app.screen is home and bool(due.lines) and due.display and _composited(home, due)

    for _ in range(runs):
        await pilot.press("r")
        await _until(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded, "review"
        )
        await app.workers.wait_for_complete()
        due.show([])
        watch.expect(due_shown)
        start = time.perf_counter()
        await pilot.press("escape")
        found["due list"].append((await watch.wait(timeout=120) - start) * 1000)
        await app.workers.wait_for_complete()
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
    return found


async def _mentorship_opens(
    app: Any, pilot: Pilot[Any], watch: PaintWatch, runs: int
) -> dict[str, list[float]]:
    """Home's `m` on the mentorship named under Who (the history's busiest, ~1,000
    conversations): ms to its timeline painted, and to its first rating plotted."""
    from reflectcoach.app.screens.home import HomeScreen
    from reflectcoach.app.screens.mentorship import MentorshipScreen
    from reflectcoach.app.widgets.mentorship_timeline import MentorshipTimeline
    from reflectcoach.app.widgets.rating_plot import RatingPlot

    plots = PaintWatch(app)  # a second watch on the same paints, for the second moment
    found: dict[str, list[float]] = {"mentorship timeline": [], "mentorship plot": []}

    def timeline_shown() -> bool:
        screen = app.screen
        if not isinstance(screen, MentorshipScreen):
            return False
        table = screen.query_one(MentorshipTimeline)
        return table.row_count > 0 and _composited(screen, table)

    def plot_shown() -> bool:
        screen = app.screen
        if not isinstance(screen, MentorshipScreen) or not screen.ratings_read:
            return False
        plot = screen.query_one(RatingPlot)
        return bool(plot.values) and _composited(screen, plot)

    app.screen.query_one("#mentorship").value = "Ada"
    app.screen.query_one("#scripts").focus()
    for _ in range(runs):
        await pilot.pause()
        watch.expect(timeline_shown)
        plots.expect(plot_shown)
        start = time.perf_counter()
        await pilot.press("m")
        found["mentorship timeline"].append((await watch.wait(timeout=120) - start) * 1000)
        found["mentorship plot"].append((await plots.wait(timeout=120) - start) * 1000)
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
    return found


def query_rows(
    ctx: Context, group: str, big: Path, summary: dict[str, Any], *, size_budget: Budget
) -> None:
    """The review, search and insights queries on the history at `big`, each against its
    floor, and the file's size against its raw data."""
    from reflectcoach.store.queries import CONVERSATION_COLUMNS

    common, rare = summary["common_word"], summary["rare_word"]
    with opened(big) as store:
        raw_bytes = store.db.execute(
            "SELECT (SELECT sum(length(question) + length(coalesce(answer_text, '')) "
            "+ length(answer_json) + length(step_id) + length(answered_at) + 12 + 4) FROM answers) "
            "+ (SELECT sum(length(coalesce(record, '')) + 200) FROM conversations)"
        ).fetchone()[0]
    size = db_files_size(big)
    ctx.add(
        Row(
            group,
            "database file size (db + wal + shm)",
            "MB",
            Stat([size / MB]),
            "raw bytes of the data",
            Stat([raw_bytes / MB]),
            size_budget,
        )
    )

    columns = ", ".join(CONVERSATION_COLUMNS)
    conn = sqlite3.connect(big)

    def raw(sql: str, *params: Any) -> Callable[[], object]:
        return lambda: conn.execute(sql, params).fetchall()

    page = f"SELECT {columns} FROM conversations{{}} ORDER BY started_at DESC, rowid DESC LIMIT 100"
    fts_top = "SELECT rowid FROM answers_fts WHERE answers_fts MATCH ? ORDER BY rowid DESC LIMIT 50"
    fts_all = "SELECT count(*) FROM answers_fts WHERE answers_fts MATCH ?"
    scan = "SELECT count(*) FROM answers"
    from reflectcoach.script.registry import builtin_dir, load_catalog
    from reflectcoach.services.ratings import mentorship_ratings

    builtin = load_catalog([builtin_dir()]).scripts
    with opened(big) as store:
        script_id = store.insights.script_ids()[0]
        mentorship = store.mentorships.names()[0]
        numeric = store.db.execute(
            "SELECT c.script_id, a.step_id FROM answers a JOIN conversations c "
            "ON c.id = a.conversation_id WHERE a.type = 'scale' LIMIT 1"
        ).fetchone()
        cases: list[tuple[str, Callable[[], object], str, Callable[[], object], Budget]] = [
            (
                "SELECT 1 round trip through the Store",
                lambda: store.db.execute("SELECT 1").fetchall(),
                "sqlite3 SELECT 1",
                raw("SELECT 1"),
                INFO,
            ),
            (
                "review first page: conversations(limit=100)",
                lambda: store.conversations(limit=100),
                "raw SELECT of the same 100 rows",
                raw(page.format("")),
                Budget("below", 100),
            ),
            (
                "review total: count()",
                lambda: store.count(),
                "SELECT count(*) FROM conversations",
                raw("SELECT count(*) FROM conversations"),
                INFO,
            ),
            (
                f"filter by script: conversations(script_id={script_id!r})",
                lambda: store.conversations(script_id=script_id, limit=100),
                "raw SELECT of the same 100 rows",
                raw(page.format(" WHERE script_id = ?"), script_id),
                Budget("below", 100),
            ),
            (
                f"filter by mentorship: conversations(mentorship={mentorship!r})",
                lambda: store.conversations(mentorship=mentorship, limit=100),
                "raw SELECT of the same 100 rows",
                raw(page.format(" WHERE mentorship = ?"), mentorship),
                Budget("below", 100),
            ),
        ]
        for word, label in ((common, "common"), (rare, "rare")):
            phrase = f'"{word}"'
            cases += [
                (
                    f"search({word!r}, limit=50), {label} word",
                    lambda w=word: store.search(w, limit=50),
                    "raw FTS: newest 50 matching rowids",
                    raw(fts_top, phrase),
                    Budget("below", 100),
                ),
                (
                    f"conversations(query={word!r}), {label} word",
                    lambda w=word: store.conversations(query=w, limit=100),
                    "raw FTS: count every match",
                    raw(fts_all, phrase),
                    Budget("below", 100),
                ),
                (
                    f"review search total: count(query={word!r})",
                    lambda w=word: store.count(query=w),
                    "raw FTS: count every match",
                    raw(fts_all, phrase),
                    Budget("below", 100),
                ),
            ]
        cases += [
            (
                f"insights, one question: numeric_series(script_id={numeric[0]!r}, "
                f"step_id={numeric[1]!r})",
                lambda: store.insights.numeric_series(script_id=numeric[0], step_id=numeric[1]),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
            (
                "insights screen: numeric_questions() (the question list)",
                lambda: store.insights.numeric_questions(),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
            (
                "mentorship screen: mentorship_timeline('Ada') (~1,000 conversations)",
                lambda: store.mentorships.timeline("Ada"),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
            (
                "mentorship screen: mentorship_ratings('Ada') (every rating, grouped)",
                lambda: mentorship_ratings(store, builtin, "Ada"),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
        ]
        for name, real_fn, floor_name, floor_fn, budget in cases:
            real, floor = sample_pair(real_fn, floor_fn, ctx.query_runs)
            ctx.add(Row(group, name, "ms", real, floor_name, floor, budget))

    # The raw floor connection closes first: with a connection of another kind open, its log
    # beside the file, Store.open would run the integrity check (the file may be changing
    # behind it), reading every page, which is not what opening review costs.
    conn.close()

    def fresh_page() -> None:
        with opened(big) as fresh:
            fresh.conversations(limit=100)
            fresh.count()

    def fresh_floor() -> None:
        connection = sqlite3.connect(big)
        connection.execute(page.format("")).fetchall()
        connection.close()

    real, floor = sample_pair(fresh_page, fresh_floor, ctx.query_runs)
    ctx.add(
        Row(
            group,
            "review screen load: Store.open + conversations(limit=100) + count()",
            "ms",
            real,
            "sqlite3.connect + raw page SELECT",
            floor,
            Budget("below", 100),
        )
    )


def group_history(ctx: Context) -> None:
    history = ensure_history(ctx)
    summary = history["summary"]
    ctx.add(
        Row(
            "history",
            f"generate {summary['conversations']:,} conversations / {summary['answers']:,} answers",
            "ms",
            Stat([history["generation_ms"]]),
            "—",
            None,
            INFO,
            "one run (make_history, one transaction, FTS rebuilt at the end)",
        )
    )
    big: Path = history["big"]
    query_rows(ctx, "history", big, summary, size_budget=Budget("below", 200))
    opens = asyncio.run(_screen_opens(big, 3 if ctx.quick else 5))
    for name, what, budget in (
        ("review", "its table filled", INFO),
        ("insights", "its first series panel", INFO),
        ("mentorship timeline", "Ada's ~1,000 conversations", Budget("below", 100)),
        ("mentorship plot", "its first rating plotted", Budget("below", 100)),
    ):
        ctx.add(
            Row(
                "history",
                f"app: open {name} from home on this history -> {what} painted",
                "ms",
                Stat(opens[name]),
                "—",
                None,
                budget,
            )
        )
    ctx.add(
        Row(
            "history",
            "app: escape from review to home -> its due list painted (read afresh)",
            "ms",
            Stat(opens["due list"]),
            "—",
            None,
            Budget("below", 100),
        )
    )
    cli = ctx.env(REFLECTCOACH_DB=str(big))
    results = interleaved(
        {
            "version": lambda: run_child([REFLECTCOACH, "--version"], cli),
            "due": lambda: run_child([REFLECTCOACH, "commitments", "--due"], cli),
        },
        ctx.process_runs,
    )
    ctx.add(
        Row(
            "history",
            "cli: reflectcoach commitments --due on this history",
            "ms",
            wall(results["due"]),
            "reflectcoach --version",
            wall(results["version"]),
            Budget("ratio", 1.5),
        )
    )


def group_export(ctx: Context) -> None:
    from reflectcoach.store.export import write_json, write_markdown

    history = ensure_history(ctx)
    big: Path = history["big"]
    out = ctx.tmp / "export"
    out.mkdir(exist_ok=True)
    conn = sqlite3.connect(big)

    def floor_json() -> int:
        cursor = conn.execute("SELECT * FROM answers")
        keys = [d[0] for d in cursor.description]
        count = 0
        with open(out / "floor.json", "w", encoding="utf-8") as fp:
            for row in cursor:
                fp.write(json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False))
                fp.write(",\n")
                count += 1
        return count

    def floor_markdown() -> int:
        count = 0
        with open(out / "floor.md", "w", encoding="utf-8") as fp:
            for question, text in conn.execute("SELECT question, answer_text FROM answers"):
                fp.write(f"\n### {question}\n\n> {text}\n")
                count += 1
        return count

    with opened(big) as store:
        for fmt_name, writer, floor_fn in (
            ("JSON", write_json, floor_json),
            ("Markdown", write_markdown, floor_markdown),
        ):
            rates: list[float] = []
            floor_rates: list[float] = []
            target = out / f"export.{fmt_name.lower()}"
            for run in range(ctx.export_runs):
                start = time.perf_counter()
                floor_count = floor_fn()
                floor_rates.append(floor_count / (time.perf_counter() - start))
                gc.collect()
                start = time.perf_counter()
                with open(target, "w", encoding="utf-8") as fp:
                    count = writer(store, fp)
                rates.append(count / (time.perf_counter() - start))
                if run == 0:
                    written = count
            ctx.add(
                Row(
                    "export",
                    f"export {fmt_name} ({written:,} answers): write_{fmt_name.lower()}",
                    "answers/s",
                    Stat(rates),
                    "raw SELECT + write per answer",
                    Stat(floor_rates),
                    Budget("at_least", 50_000),
                    f"{target.stat().st_size / MB:.0f} MB written",
                )
            )
    conn.close()

    env = ctx.env()
    small: Path = history["small"]
    small_n = history["summary"]["conversations"] // 10
    if not small.exists():
        from tests.store.history import make_history

        make_history(small, conversations=small_n, answers_per=30, seed=1)
    for fmt_name in ("json", "markdown"):

        def export(db: Path, fmt_name: str = fmt_name) -> Child:
            target = out / f"cli-{db.stem}.{fmt_name}"
            return run_child(
                [REFLECTCOACH, "--db", str(db), "export", "--format", fmt_name, "-o", str(target)],
                env,
                measure_rss=True,
            )

        results = interleaved(
            {"small": lambda: export(small), "big": lambda: export(big)},
            3 if ctx.quick else 5,
            warmup=0,
        )
        ctx.add(
            Row(
                "export",
                f"export {fmt_name} subprocess peak RSS, {ctx.conversations:,} conversations",
                "MB",
                rss(results["big"]),
                f"the same for {small_n:,} conversations",
                rss(results["small"]),
                Budget("ratio", 1.1),
                "reflectcoach --db DB export --format F -o FILE",
            )
        )


def group_lifetime(ctx: Context) -> None:
    """A lifetime in one file: ten reflections a week for fifty years (26,000 conversations,
    about 800,000 answers; a tenth of that with --quick), and the same queries as history."""
    from tests.store.history import make_history

    conversations = 2_600 if ctx.quick else 26_000
    path = ctx.tmp / "lifetime" / "life.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"  generating a lifetime: {conversations:,} conversations ...", flush=True)
    start = time.perf_counter()
    summary = make_history(path, conversations=conversations, answers_per=31, seed=4)
    took = (time.perf_counter() - start) * 1000
    ctx.add(
        Row(
            "lifetime",
            f"generate {summary['conversations']:,} conversations / {summary['answers']:,} answers",
            "ms",
            Stat([took]),
            "—",
            None,
            INFO,
            "one run (make_history, seed 4, 31 questions a conversation)",
        )
    )
    query_rows(ctx, "lifetime", path, dict(summary), size_budget=Budget("ratio", 1.5))
    path.unlink()


def group_encryption(ctx: Context) -> None:
    """The same work on the 10k history, encrypted (SQLCipher, raw key: as when remembered)
    against plaintext, interleaved in one run; the key derivation on its own."""
    import hashlib

    from reflectcoach.store import Store
    from reflectcoach.store.convert import convert
    from reflectcoach.store.export import write_json
    from reflectcoach.store.key import KDF_ITERATIONS, Key

    history = ensure_history(ctx)
    summary = history["summary"]
    plain = ctx.tmp / "enc" / "plain.db"
    secret = ctx.tmp / "enc" / "secret.db"
    plain.parent.mkdir(parents=True, exist_ok=True)
    with opened(history["big"]) as store:
        store.db.execute("VACUUM INTO ?", [str(plain)])
        store.db.execute("VACUUM INTO ?", [str(secret)])
    raw = Key(raw=os.urandom(32))
    start = time.perf_counter()
    convert(secret, None, raw)
    took = (time.perf_counter() - start) * 1000
    ctx.add(
        Row(
            "encryption",
            f"encrypt the history ({summary['answers']:,} answers): copy, check, rename",
            "ms",
            Stat([took]),
            "—",
            None,
            INFO,
        )
    )
    kdf = Stat(
        [
            timed(
                lambda: hashlib.pbkdf2_hmac(
                    "sha512", b"a passphrase", os.urandom(16), KDF_ITERATIONS, 32
                )
            )
            for _ in range(3)
        ]
    )
    ctx.add(
        Row(
            "encryption",
            f"key derivation: PBKDF2-HMAC-SHA512, {KDF_ITERATIONS:,} iterations (once per open)",
            "ms",
            kdf,
            "—",
            None,
            INFO,
            "deliberately slow; a remembered key skips it",
        )
    )
    enc_store = Store.open(secret, key=raw)
    plain_store = Store.open(plain)
    try:
        ids = {
            name: s.conversations(limit=1)[0]["id"]
            for name, s in (("enc", enc_store), ("plain", plain_store))
        }

        def step(store: Store, name: str) -> Callable[[], object]:
            journal = store.journal(ids[name])
            counter = iter(range(10_000, 100_000))

            def answer() -> None:
                seq = next(counter)
                journal.answered(
                    step_id="bench",
                    question="Bench?",
                    qtype="text",
                    text=f"an answer {seq}",
                    value=f"an answer {seq}",
                    skipped=False,
                    seq=seq,
                    position=seq + 1,
                    current_step="bench",
                    discard_from=None,
                )

            return answer

        common = summary["common_word"]
        numeric = plain_store.db.execute(
            "SELECT c.script_id, a.step_id FROM answers a JOIN conversations c "
            "ON c.id = a.conversation_id WHERE a.type = 'scale' LIMIT 1"
        ).fetchone()
        cases = [
            (
                "one step: an answer saved (one durable transaction)",
                step(enc_store, "enc"),
                step(plain_store, "plain"),
            ),
            (
                "review first page: conversations(limit=100) + count()",
                lambda: (enc_store.conversations(limit=100), enc_store.count()),
                lambda: (plain_store.conversations(limit=100), plain_store.count()),
            ),
            (
                f"search {common!r} (first 50)",
                lambda: enc_store.search(common, limit=50),
                lambda: plain_store.search(common, limit=50),
            ),
            (
                "insights first plot: numeric_series",
                lambda: enc_store.insights.numeric_series(script_id=numeric[0], step_id=numeric[1]),
                lambda: plain_store.insights.numeric_series(
                    script_id=numeric[0], step_id=numeric[1]
                ),
            ),
        ]
        for name, real_fn, floor_fn in cases:
            real, floor = sample_pair(real_fn, floor_fn, ctx.query_runs)
            ctx.add(
                Row(
                    "encryption",
                    f"encrypted: {name}",
                    "ms",
                    real,
                    "the same, plaintext",
                    floor,
                    Budget("ratio", 1.3),
                )
            )
        out = ctx.tmp / "enc" / "export.json"
        rates: list[float] = []
        floor_rates: list[float] = []
        for _ in range(3):
            for store, into in ((enc_store, rates), (plain_store, floor_rates)):
                start = time.perf_counter()
                with open(out, "w", encoding="utf-8") as fp:
                    count = write_json(store, fp)
                into.append(count / (time.perf_counter() - start))
        ctx.add(
            Row(
                "encryption",
                "encrypted: export JSON",
                "answers/s",
                Stat(rates),
                "the same, plaintext",
                Stat(floor_rates),
                Budget("at_least", 50_000),
            )
        )
    finally:
        enc_store.close()
        plain_store.close()
    # Cold start to first paint with the key remembered (raw key in the passphrase file: the
    # same path as the keyring's, no derivation), against the same plaintext database.
    key_file = ctx.tmp / "enc" / "raw.key"
    key_file.write_text(f"x'{raw.raw_for(b'').hex()}'")
    probe = [PYTHON, str(SCRIPTS / "bench_app_probe.py"), "--until", "paint"]
    results = interleaved(
        {
            "plain": lambda: run_child([*probe, "--db", str(plain)], ctx.env()),
            "enc": lambda: run_child(
                [*probe, "--db", str(secret)],
                ctx.env(REFLECTCOACH_PASSPHRASE_FILE=str(key_file)),
            ),
        },
        ctx.process_runs,
    )
    ctx.add(
        Row(
            "encryption",
            "app: cold start to first paint, encrypted, key remembered",
            "ms",
            wall(results["enc"]),
            "the same, plaintext",
            wall(results["plain"]),
            Budget("ratio", 1.25),
        )
    )


GROUP_FUNCTIONS: dict[str, Callable[[Context], None]] = {
    "startup": group_startup,
    "memory": group_memory,
    "step": group_step,
    "scripts": group_scripts,
    "history": group_history,
    "export": group_export,
    "encryption": group_encryption,
}


# -- the machine and the doc ------------------------------------------------------------------


def group_peer(ctx: Context) -> None:
    """JSON export of the big history, whole process, against jrnl exporting the same text
    (scripts/bench_jrnl.py: its own venv, .bench/jrnl, never a dependency)."""
    from bench_jrnl import VERSION as JRNL_VERSION
    from bench_jrnl import ensure_jrnl, write_config, write_journal

    history = ensure_history(ctx)
    big: Path = history["big"]
    folder = ctx.tmp / "peer"
    folder.mkdir(exist_ok=True)
    try:
        jrnl = ensure_jrnl()
    except (OSError, subprocess.CalledProcessError) as problem:  # no index to install from
        ctx.notes.append(f"peer: jrnl {JRNL_VERSION} could not be installed ({problem}): skipped")
        return
    journal = folder / "journal.txt"
    entries, answers = write_journal(big, journal)
    config = write_config(folder / "jrnl.yaml", journal)
    env = ctx.env(XDG_CONFIG_HOME=str(folder / "xdg"))
    ours_out, jrnl_out = folder / "ours.json", folder / "jrnl.json"
    ours = [REFLECTCOACH, "--db", str(big), "export", "--format", "json", "-o", str(ours_out)]
    peer = [str(jrnl), "--config-file", str(config), "--export", "json", "--file", str(jrnl_out)]
    results = interleaved(
        {"jrnl": lambda: run_child(peer, env), "ours": lambda: run_child(ours, env)},
        3 if ctx.quick else 5,
    )
    pairs = [j.wall_ms / o.wall_ms for j, o in zip(results["jrnl"], results["ours"], strict=True)]
    ctx.add(
        Row(
            "export",
            f"peer: export --format json, whole process ({answers:,} answers)",
            "ms",
            wall(results["ours"]),
            f"jrnl {JRNL_VERSION} --export json of the same text ({entries:,} entries)",
            wall(results["jrnl"]),
            Budget("ratio", round(1 / 1.5, 3)),
            f"jrnl takes {statistics.median(pairs):.2f}x as long, pair by pair "
            f"(min {min(pairs):.2f}, max {max(pairs):.2f}); written: ours "
            f"{ours_out.stat().st_size / MB:.0f} MB, jrnl {jrnl_out.stat().st_size / MB:.0f} MB "
            f"(journal {journal.stat().st_size / MB:.0f} MB); budget: at least 1.5x faster",
        )
    )


GROUP_FUNCTIONS: dict[str, Callable[[Context], None]] = {
    "pty": group_pty,
    "startup": group_startup,
    "memory": group_memory,
    "step": group_step,
    "scripts": group_scripts,
    "history": group_history,
    "export": group_export,
    "peer": group_peer,
    "lifetime": group_lifetime,
    "encryption": group_encryption,
}


# -- the machine and the doc ------------------------------------------------------------------


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import yaml

    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)",
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "textual": _version("textual"),
        "SQLite": sqlite3.sqlite_version,
        "sqlite-utils": _version("sqlite-utils"),
        "transitions": _version("transitions"),
        "PyYAML": f"{_version('PyYAML')} (libyaml: {'yes' if yaml.__with_libyaml__ else 'no'})",
        "click": _version("click"),
    }


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def report(
    ctx: Context, info: dict[str, str], started: str, took: float, loads: tuple[str, str]
) -> str:
    misses = [r for r in ctx.rows if r.passed is False]
    lines = [
        BEGIN,
        "",
        f"Run: {started} UTC, {took:.0f} s{' (--quick)' if ctx.quick else ''}; "
        f"load average {loads[0]} at the start, {loads[1]} at the end.",
        "",
        "| machine | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in info.items()),
        "",
        table(ctx.rows),
        "",
        f"Budgets missed: {len(misses)} of {sum(1 for r in ctx.rows if r.passed is not None)}"
        + (": " + "; ".join(r.name for r in misses) if misses else "."),
        "",
        *(f"- {n}" for n in ctx.notes),
        *(f"- {r.name}: {r.note}" for r in ctx.rows if r.note and r.group != "step"),
        "",
        END,
    ]
    return "\n".join(lines)


TEMPLATE = """# Performance

`make bench` measures every budget on the machine it runs on and rewrites the block below.

{block}
"""


def write_doc(block: str) -> None:
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            DOC.write_text(head + block + tail, encoding="utf-8")
            return
        DOC.write_text(text.rstrip("\n") + "\n\n" + block + "\n", encoding="utf-8")
        return
    DOC.write_text(TEMPLATE.format(block=block), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller history")
    parser.add_argument(
        "--only", choices=GROUPS, action="append", help="run only this group (repeatable)"
    )
    parser.add_argument(
        "--write",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write docs/performance.md (default: only for a full run)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (printed)")
    args = parser.parse_args(argv)
    groups = args.only or list(GROUPS)
    write = args.write if args.write is not None else (not args.quick and args.only is None)

    tmp = Path(tempfile.mkdtemp(prefix="reflectcoach-bench-"))
    ctx = Context(quick=args.quick, tmp=tmp)
    info = machine()
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    load_start = load_average()
    print(f"reflectcoach bench: {', '.join(groups)}{' (quick)' if args.quick else ''}; temp {tmp}")
    print("  " + ", ".join(f"{k} {v}" for k, v in info.items()))
    print(f"  load average {load_start}", flush=True)
    t0 = time.perf_counter()
    try:
        for name in groups:
            print(f"[{name}]", flush=True)
            # A watchdog: a hung group prints every thread's stack and ends the run.
            faulthandler.dump_traceback_later(GROUP_TIMEOUT_S, exit=True)
            GROUP_FUNCTIONS[name](ctx)
            faulthandler.cancel_dump_traceback_later()
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    took = time.perf_counter() - t0
    block = report(ctx, info, started, took, (load_start, load_average()))
    print()
    print(table(ctx.rows))
    print()
    for note in ctx.notes:
        print(f"- {note}")
    misses = [r for r in ctx.rows if r.passed is False]
    print(
        f"\n{len(misses)} budget(s) missed"
        + (": " + "; ".join(r.name for r in misses) if misses else "")
    )
    if write:
        write_doc(block)
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
