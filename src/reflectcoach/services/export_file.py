"""One export file in any format the app offers: JSON, Markdown and CSV from the store's
writers, a spreadsheet from services/xlsx.py (openpyxl, loaded only to write one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from reflectcoach.store.export import Progress, write_file

if TYPE_CHECKING:
    from reflectcoach.store import Store
    from reflectcoach.store.rows import Filters


def write(
    store: Store,
    path: Path,
    fmt: str,
    *,
    progress: Progress | None = None,
    **filters: Unpack[Filters],
) -> int:
    """Export to `path` in `fmt` (json, markdown, csv, xlsx); the number of answers written.
    Owner-only and never half-written, as each writer promises."""
    if fmt == "xlsx":
        from reflectcoach.services.xlsx import write_xlsx  # openpyxl: only to write one

        return write_xlsx(store, path, **filters)
    return write_file(store, path, fmt, progress=progress, **filters)
