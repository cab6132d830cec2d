"""The floor for the app's cold start: a bare Textual app (Header, Label, Footer).

Run as a whole process by scripts/bench.py. It exits on its first paint through
`exit_on_first_paint`, the same hook scripts/bench_app_probe.py puts on the real app, so the
two processes do exactly the same work around the screen they show:

- Textual posts `events.Ready` to the app once the DOM is ready and the first frame of the
  default screen has been composited (textual/screen.py, `Screen._refresh_layout`).
- The headless driver skips turning that frame into terminal bytes (`App._display` returns
  early when headless), so the hook renders the whole frame to the escape sequences a
  terminal would receive, then exits. That keeps the cost of painting in the figure.

Prints one JSON line, `painted_at` (time.perf_counter() at the paint) and the frame size.

Usage: python scripts/bench_floor_app.py
       python scripts/bench_floor_app.py --terminal   # a normal run in a terminal, no hook
                                                      # (scripts/bench_pty.py times it)
"""

from __future__ import annotations

import json
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label


def paint_frame(app: App[object]) -> int:
    """Render the current screen in full to terminal bytes, as the driver would write them;
    returns how many characters that frame is."""
    update = app.screen._compositor.render_update(full=True)
    if update is None:
        return 0
    return len(update.render_segments(app.console))


PAINTED: dict[str, float] = {}


# Headless runs get a size: without one Textual's headless driver says 80x24 while Rich's
# console, with no terminal, says 80x25, and the real app's home resized between the two for
# ever (the probe never exited). The pty rows use the same 100x30.
HEADLESS_SIZE = (100, 30)


def exit_on_first_paint(app: App[object]) -> None:
    """Call from `on_ready`: paint the first frame, note when, then exit with its size."""
    frame = paint_frame(app)
    PAINTED["painted_at"] = time.perf_counter()
    PAINTED["frame"] = frame
    app.exit(frame)


class FloorApp(App[int]):
    """What every Textual app with a header and a footer pays to show its first screen."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Hello")
        yield Footer()

    def __init__(self, terminal: bool = False) -> None:
        super().__init__()
        self.terminal = terminal

    def on_ready(self) -> None:
        if not self.terminal:
            exit_on_first_paint(self)


def main() -> None:
    if "--terminal" in sys.argv[1:]:
        FloorApp(terminal=True).run()
        return
    result = FloorApp().run(headless=True, size=HEADLESS_SIZE)
    if not result:
        raise SystemExit("the floor app exited without painting")
    # The same monotonic clock as the parent's perf_counter() on Linux.
    print(json.dumps(PAINTED))


if __name__ == "__main__":
    main()
