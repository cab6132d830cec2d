"""The cycle collector paused while a screen is built, until its first frame with data.

Building a screen makes some 20,000 objects that live as long as the screen (widgets, their
styles, the rows): every young collection meanwhile walks them and frees nothing, and a full
collection, which walks everything the app holds (30-60 ms on the lifetime history), lands
inside the first frame every other time review opens. Paused, the collections run right
after that frame, while the person reads it; Textual pauses the collector the same way while
a scroll animates (`App.PAUSE_GC_ON_SCROLL`).
"""

from __future__ import annotations

import gc


class CollectorPause:
    """`end()` turns the collector back on, once; only if this pause turned it off (a pause
    that finds it off, during start-up or another pause, leaves it to whoever did)."""

    def __init__(self) -> None:
        self.holding = gc.isenabled()
        if self.holding:
            gc.disable()

    def end(self) -> None:
        if self.holding:
            self.holding = False
            gc.enable()
