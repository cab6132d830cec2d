"""Typing a number into a picker one digit at a time (scales, numbered choices).

On a 1-10 scale a `1` may be the answer or the start of `10`, so a digit that could be
followed by another waits: the picker shows it as pending ("1_") until a second digit, Enter
or a short pause confirms it. A digit that nothing can follow is taken at once, so a 1-5
scale still answers on one key press.

Pure logic with no Textual in it, so the rules are tested on their own; the widgets own the
timer and the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

# Long enough to reach for a second digit (and read the hint that says so), short enough that
# a lone one does not feel stuck. The hint names the pause: "another digit, or Enter (or
# wait)"; Backspace cancels it.
CONFIRM_AFTER = 1.5  # seconds


class Typed(Enum):
    TAKE = "take"  # `value` is the answer, nothing can follow it
    WAIT = "wait"  # more digits may follow; `value` is what Enter or the pause would take
    WRONG = "wrong"  # no number in range starts with these digits; start again


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Typed
    value: int | None = None  # TAKE: the answer; WAIT: the pending number, if already valid


class DigitEntry:
    """The digits typed so far towards a whole number from `lo` to `hi` (lo >= 0)."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        self.hi = hi
        self.typed = ""

    @property
    def pending(self) -> bool:
        return bool(self.typed)

    @property
    def value(self) -> int | None:
        """The pending number if it is an answer on its own (None if only a prefix)."""
        if not self.typed or (len(self.typed) > 1 and self.typed.startswith("0")):
            return None
        number = int(self.typed)
        return number if self.lo <= number <= self.hi else None

    def _extendable(self, digits: str) -> bool:
        """Could a longer number in range start with `digits`?"""
        if digits.startswith("0"):
            return False  # no leading zeros: "0" is only ever 0
        width = len(digits)
        for longer in range(width + 1, len(str(self.hi)) + 1):
            extra = longer - width
            smallest = int(digits) * 10**extra
            largest = smallest + 10**extra - 1
            if smallest <= self.hi and largest >= self.lo:
                return True
        return False

    def feed(self, digit: str) -> Outcome:
        """One more digit typed."""
        self.typed += digit
        value = self.value
        if self._extendable(self.typed):
            return Outcome(Typed.WAIT, value)
        self.typed = ""
        if value is None:
            return Outcome(Typed.WRONG)
        return Outcome(Typed.TAKE, value)

    def confirm(self) -> int | None:
        """Enter or the pause: the pending number (None when it is not in range), cleared."""
        value = self.value
        self.typed = ""
        return value

    def clear(self) -> None:
        self.typed = ""
