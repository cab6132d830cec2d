"""Figures, floors and budgets: statistics, the table, the run context, child processes."""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import ROOT, SCRIPTS

DOC = ROOT / "docs" / "performance.md"


BEGIN = "<!-- bench:begin (written by scripts/bench/; edit outside these markers) -->"


END = "<!-- bench:end -->"


MB = 1024 * 1024


GROUP_TIMEOUT_S = 30 * 60


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
