"""reflectcoach's performance budgets, measured on this machine against floors measured in the
same run: `make bench` (or `.venv/bin/python -m scripts.bench`).

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
import datetime as dt
import faulthandler
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import ROOT
from .common import DOC, GROUP_TIMEOUT_S, Context, table
from .encryption import group_encryption
from .export import group_export
from .history import group_history
from .lifetime import group_lifetime
from .memory import group_memory
from .peer import group_peer
from .pty import group_pty
from .report import load_average, machine, report, write_doc
from .scripts import group_scripts
from .startup import group_startup
from .step import group_step

GROUPS = (
    *("pty", "startup", "memory", "step", "scripts", "history", "export", "peer"),
    *("lifetime", "encryption"),
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
