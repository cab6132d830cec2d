"""Work-arounds for Textual bugs that cost this app time, each with its upstream issue.

`StylesCache.get_inner_outer` (textual/_styles_cache.py) is an `lru_cache(1024)` on a method,
so its key holds the widget's StylesCache, and with it every line that widget last drew:
Textual issue #6665. A widget long gone stays in memory until 1,024 newer ones push it out.
After some twenty screens opened that is ~170,000 objects (Strips, their FIFOCaches,
Segments) that the garbage collector walks on every full collection: measured on the
lifetime history, one took 150 ms instead of 50 and landed inside a screen's first paint.
The result depends only on the two colours, so the cache here is keyed on them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache


def keep_no_dead_widgets() -> None:
    """Key Textual's inner/outer colour cache on the colours, not on each widget's cache.
    Idempotent; does nothing once Textual no longer caches on the method itself."""
    method = StylesCache.__dict__.get("get_inner_outer")
    original: Callable[..., Any] | None = getattr(method, "__wrapped__", None)
    if original is None or not hasattr(method, "cache_clear"):
        return  # fixed upstream (or already replaced here)

    @lru_cache(1024)
    def by_colours(base_background: Any, background: Any) -> Any:
        return original(None, base_background, background)  # `self` is not read

    def get_inner_outer(self: StylesCache, base_background: Any, background: Any) -> Any:
        return by_colours(base_background, background)

    method.cache_clear()  # what it holds already goes too
    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign]
