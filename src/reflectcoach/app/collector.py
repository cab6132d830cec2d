"""The garbage collector paused through the app's start, and while a screen is built.

Start-up makes some 40,000 objects that live as long as the app (Textual's and our modules,
classes, styles, home's widgets) and hardly any garbage, yet the collector walked them
about 30 times before home's first frame: 20-30 ms of CPU (gc callbacks, pty runs). So it
is paused until that frame (`on_ready` calls `collect_again`). An app that has its process
to itself (`owns_process`: the command line, which pauses it before importing Textual)
also freezes them then: no collection walks them again, neither those that would move them
out of the youngest generation nor those at exit (~50 ms of CPU over a start and a quit,
measured headless). Inside another program (tests), a freeze would keep that program's
garbage for ever: the collector only resumes.

A screen that reads a lifetime's history (review, insights, a mentorship) makes some 20,000
objects that live as long as it does (widgets, their styles, the rows): every young
collection meanwhile walks them and frees nothing, and a full collection, which walks
everything the app holds (30-60 ms on the lifetime history), landed inside the first frame
every other time one opened. `CollectorPause` holds the collections until that frame is out,
while the person reads it; Textual pauses the collector the same way while a scroll animates
(`App.PAUSE_GC_ON_SCROLL`).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.widget import Widget


class PausedCollector:
    """Mixed into the App before Textual's `App`: its `run` pauses the collector."""

    owns_process = False
    _collect_after_paint = False

    def run(self, **kwargs: Any) -> Any:
        self._collect_after_paint = gc.isenabled() or self.owns_process
        gc.disable()
        try:
            return super().run(**kwargs)  # type: ignore[misc]
        finally:
            self.collect_again()

    def collect_again(self) -> None:
        """The collector back on (the first frame is out, or the app has ended)."""
        if self._collect_after_paint:
            self._collect_after_paint = False
            if self.owns_process:
                gc.freeze()
            gc.enable()


class CollectorPause:
    """Taken in a screen's `compose`; `end()` turns the collector back on, once: after the
    first frame with the screen's data (`end_after_paint`), on unmount, or a second after
    mount at the latest. Only if this pause turned it off: one that finds it off (during
    start-up or another pause) leaves it to whoever did."""

    def __init__(self) -> None:
        self.holding = gc.isenabled()
        if self.holding:
            gc.disable()

    def end(self) -> None:
        if self.holding:
            self.holding = False
            gc.enable()

    def end_after_paint(self, screen: Widget) -> None:
        screen.call_after_refresh(self.end)

    def end_within(self, screen: Widget, seconds: float = 1.0) -> None:
        """The bound, set from `on_mount`: a read that never comes back frees the collector."""
        screen.set_timer(seconds, self.end)
