"""The `peer` group: our JSON export against jrnl's."""

from __future__ import annotations

import statistics
import subprocess
from pathlib import Path

from bench_jrnl import VERSION as JRNL_VERSION
from bench_jrnl import ensure_jrnl, write_config, write_journal

from .common import MB, REFLECTCOACH, Budget, Context, Row, interleaved, run_child, wall
from .workloads import ensure_history


def group_peer(ctx: Context) -> None:
    """JSON export of the big history, whole process, against jrnl exporting the same text
    (scripts/bench_jrnl.py: its own venv, .bench/jrnl, never a dependency)."""
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

    # The other tasks a person does from a shell, each against jrnl's nearest: the newest
    # entries listed (`list`, 100 rows, against `-n 100 --short`, titles only), a word
    # searched (`search team`, its first 20 hits, against `-contains team -n 20`), and
    # `--version`. Budget: faster than jrnl.
    tasks = [
        ("list: the newest 100", ["list"], ["-n", "100", "--short"]),
        ("search 'team': the first 20", ["search", "team"], ["-contains", "team", "-n", "20"]),
        ("--version", ["--version"], ["--version"]),
    ]
    for label, ours_args, peer_args in tasks:
        mine = [
            REFLECTCOACH,
            *(["--db", str(big)] if ours_args[0] != "--version" else []),
            *ours_args,
        ]
        theirs = [str(jrnl), "--config-file", str(config), *peer_args]
        done = interleaved(
            {"jrnl": lambda t=theirs: run_child(t, env), "ours": lambda m=mine: run_child(m, env)},
            ctx.process_runs,
        )
        pairs = [j.wall_ms / o.wall_ms for j, o in zip(done["jrnl"], done["ours"], strict=True)]
        ctx.add(
            Row(
                "export",
                f"peer: {label}, whole process",
                "ms",
                wall(done["ours"]),
                f"jrnl {JRNL_VERSION} {' '.join(peer_args)}",
                wall(done["jrnl"]),
                Budget("ratio", 1.0),
                f"jrnl takes {statistics.median(pairs):.2f}x as long, pair by pair "
                f"(min {min(pairs):.2f}, max {max(pairs):.2f}); budget: faster than jrnl",
            )
        )
