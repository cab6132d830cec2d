"""The garbage collector paused through the app's start.

Start-up makes some 40,000 objects that live as long as the app (Textual's and our modules,
classes, styles, home's widgets) and hardly any garbage, yet the collector walked them
about 30 times before home's first frame: 20-30 ms of CPU (gc callbacks, pty runs). So it
is paused until that frame (`on_ready` calls `collect_again`). An app that has its process
to itself (`owns_process`: the command line, which pauses it before importing Textual)
also freezes them then: no collection walks them again, neither those that would move them
out of the youngest generation nor those at exit (~50 ms of CPU over a start and a quit,
measured headless). Inside another program (tests), a freeze would keep that program's
garbage for ever: the collector only resumes.
"""

from __future__ import annotations

import gc
from typing import Any


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
