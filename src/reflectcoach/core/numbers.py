"""How large a number answer may be: one bound shared by answers, scripts, the store and insights.

A `number` (or `scale`) answer is kept as JSON text in SQLite, read back with int() or
float(), compared in SQL as REAL, plotted as floats and written to CSV and Markdown. Python's
ints have no limit, but the others do: SQLite's INTEGER stops at 2**63 - 1, float() raises
OverflowError past about 1.8e308, and a double holds every whole number exactly only up to
2**53 (about 9.007e15). So an answer's magnitude is at most MAX_NUMBER = 10**15: every whole
number up to it is exact as a double and in SQLite, and it still reads as a plain number.

This module imports nothing from reflectcoach: every floor may use it.
"""

from __future__ import annotations

import math

MAX_NUMBER = 10**15
# The same bound written for SQL (`abs(CAST(answer_json AS REAL)) <= ...`).
MAX_NUMBER_SQL = "1e15"
# How the bound reads in a message: "1,000,000,000,000,000".
MAX_NUMBER_WORDS = f"{MAX_NUMBER:,}"


def within(value: object) -> bool:
    """Whether `value` is an int or float (not a bool) that an answer may hold."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return -MAX_NUMBER <= value <= MAX_NUMBER


def as_float(value: object) -> float | None:
    """`value` as a float to plot or sum; None for anything that is not a number within the
    bound (an old row, an import): a value is left out rather than raise or be drawn wrong."""
    return float(value) if within(value) else None  # type: ignore[arg-type]
