"""The `export` group: exports of the history, their time and memory."""

from __future__ import annotations

import gc
import json
import sqlite3
import time
from pathlib import Path

from reflectcoach.store.export import write_json, write_markdown
from tests.store.history import make_history

from .common import MB, REFLECTCOACH, Budget, Child, Context, Row, Stat, interleaved, rss, run_child
from .workloads import ensure_history, opened


def group_export(ctx: Context) -> None:
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
