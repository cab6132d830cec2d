"""What the groups measure on: a linear script of every question type, the generated history."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflectcoach.script.loader import load_text
from reflectcoach.store import Store
from tests.store.history import make_history

from .common import Context

if TYPE_CHECKING:
    from reflectcoach.store import Store


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


@contextmanager
def opened(path: Path) -> Iterator[Store]:
    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()


def copy_database(source: Path, target: Path) -> None:
    """A copy of a plaintext database through SQLite's backup API (consistent, WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
