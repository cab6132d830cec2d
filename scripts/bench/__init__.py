"""reflectcoach's performance bench: `make bench` runs `python -m scripts.bench` (__main__.py
says how); one module per group, the shared measuring in common.py, paint.py and workloads.py."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPTS = ROOT / "scripts"
for _path in (ROOT, SCRIPTS):  # tests/... generators and the bench_* helpers
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
