"""The `pty` group: the app in a real pseudo-terminal, against a bare Textual app."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench_pty import Mark, contains
from bench_pty import run as pty_run

from tests.store.history import make_history

from . import ROOT, SCRIPTS
from .common import INFO, PYTHON, REFLECTCOACH, Budget, Context, Row, Stat

BUILTIN_TITLES = (
    "Find a mentor",
    "Get ready to mentor",
    "Prepare for a first mentoring meeting",
    "Set a goal worth chasing",
)


def _home_usable(text: str) -> bool:
    """The built-in scripts listed (the first, that the screen shows), the resume list
    drawn (its entries or its "nothing") and the footer's keys (as the floor's mark is its
    footer's keys: a person acts on home with them)."""
    return (
        all(t in text for t in BUILTIN_TITLES)
        and ("Nothing in progress." in text or "so far · updated" in text)
        and "Quit" in text
        and "^p palette" in text
    )


def group_pty(ctx: Context) -> None:
    """The real `reflectcoach` and the bare Textual app in a 100x30 pseudo-terminal
    (scripts/bench_pty.py): ms from the fork until given text is on the screen."""
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
            f"home usable: the built-in titles, the resume list and the footer's keys drawn "
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
