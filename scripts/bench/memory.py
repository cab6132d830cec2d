"""The `memory` group: peak RSS of the app and the command line against their floors."""

from __future__ import annotations

from . import SCRIPTS
from .common import INFO, PYTHON, Budget, Context, Row, interleaved, rss, run_child


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
