"""In-process app timing: the moment a frame showing what a group waits for is painted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual._compositor import CompositorUpdate
from textual.errors import NoWidget

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot


class PaintWatch:
    """Notes the moment a frame that satisfies `expect(...)` is painted.

    Wraps the app's `_display` (every compositor refresh goes through it). Headless, Textual
    skips turning the frame into terminal bytes; this does it, so a paint costs what it costs
    in a terminal.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.ready: Callable[[], bool] | None = None
        self.at = 0.0
        self.event = asyncio.Event()
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
            if self.ready is not None and self.ready():
                self.at = time.perf_counter()
                self.ready = None
                self.event.set()

        app._display = display  # type: ignore[method-assign]

    def expect(self, ready: Callable[[], bool]) -> None:
        self.event.clear()
        self.ready = ready

    async def wait(self, timeout: float = 10.0) -> float:
        await asyncio.wait_for(self.event.wait(), timeout)
        return self.at


def composited(screen: Any, widget: Any) -> bool:
    """Whether `widget` was placed by the screen's latest layout (so it is in this frame)."""
    try:
        screen.find_widget(widget)
    except NoWidget:
        return False
    return True


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    raise RuntimeError(f"timed out waiting for {what}")
