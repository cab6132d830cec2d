"""The `lifetime` group: fifty years of weekly reflections."""

from __future__ import annotations

import time

from tests.store.history import make_history

from .cli_rows import against_version
from .common import INFO, Budget, Context, Row, Stat
from .history import query_rows, screen_rows


def group_lifetime(ctx: Context) -> None:
    """A lifetime in one file: ten reflections a week for fifty years (26,000 conversations,
    about 800,000 answers; a tenth of that with --quick), and the same queries as history."""
    conversations = 2_600 if ctx.quick else 26_000
    path = ctx.tmp / "lifetime" / "life.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"  generating a lifetime: {conversations:,} conversations ...", flush=True)
    start = time.perf_counter()
    summary = make_history(
        path, conversations=conversations, answers_per=31, seed=4, commitments=True
    )
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
            "one run (make_history, seed 4, 31 questions a conversation, with commitments)",
        )
    )
    query_rows(ctx, "lifetime", path, dict(summary), size_budget=Budget("ratio", 1.5))
    against_version(ctx, "lifetime", path, "the lifetime")
    screen_rows(ctx, "lifetime", path, screen_budget=Budget("below", 100))
    path.unlink()
