"""A screen's first read, begun while the screen is composed and handed to its mount.

With what it shows in hand (a few ms of reading, even on a lifetime's history), a screen's
first layout has it; without, it lays out "Loading…", then all of it again with the data:
20-40 ms each on the lifetime history. A thread worker started in `compose` only runs once
the event loop turns, which it has many times by the time the widgets are mounted, so
`on_mount` waits for the read itself, briefly (`WAIT_S`); a read that takes longer is shown
by its worker's call back, as before.

The order is what makes it safe: the worker hands its result over *before* it calls back to
the UI thread (which may be the one waiting here), and `take` marks the screen mounted
before it looks, so a result is either taken by `on_mount` or shown by the call back, and a
screen that is not mounted yet never shows one.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")

# How long `on_mount` waits for the first read.
WAIT_S = 0.03


class FirstRead(Generic[T]):
    def __init__(self) -> None:
        self._done = threading.Event()
        self._early: T | None = None
        self.mounted = False

    def hand_over(self, found: T) -> None:
        """From the worker, before its call back: what `on_mount` shows if it has not
        mounted yet. Ends the wait."""
        if not self.mounted:
            self._early = found
        self._done.set()

    def end(self) -> None:
        """From the worker's `finally`: the wait ends even without a hand-over (a problem
        the call back shows, a cancelled read)."""
        self._done.set()

    def take(self) -> T | None:
        """In `on_mount`: the first read if it is done within `WAIT_S`, else None (its call
        back shows it once it comes). The screen counts as mounted from here on."""
        self._done.wait(WAIT_S)
        self.mounted = True
        found, self._early = self._early, None
        return found
