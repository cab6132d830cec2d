"""The machine, the load, and the table written into docs/performance.md."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sqlite3
from pathlib import Path

import yaml

from .common import BEGIN, DOC, END, Context, table


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
