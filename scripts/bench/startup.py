"""The `startup` group: the app's and the command line's cold start against bare floors."""

from __future__ import annotations

from . import SCRIPTS
from .common import (
    INFO,
    PYTHON,
    REFLECTCOACH,
    Budget,
    Context,
    Row,
    interleaved,
    run_child,
    spawn_to_paint,
    wall,
)


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
