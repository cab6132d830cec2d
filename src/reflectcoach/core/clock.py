"""Today's date as the person sees it, fixed by one variable for tests, demos and snapshots."""

from __future__ import annotations

import datetime as dt
import os

TODAY_ENV = "REFLECTCOACH_TODAY"


def today() -> dt.date:
    """The local date, or `REFLECTCOACH_TODAY` (YYYY-MM-DD) when it is set and valid."""
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass
    return dt.date.today()
