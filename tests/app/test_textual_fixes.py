"""Work-arounds for Textual bugs (app/textual_fixes.py): each test fails on the bug itself."""

from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache
from textual.color import Color


def test_a_widgets_styles_cache_is_not_kept_by_the_colour_cache(make_app) -> None:
    # Textual issue #6665: `get_inner_outer`, an lru_cache on the method, kept each widget's
    # StylesCache (and every line it drew) until 1,024 newer widgets pushed it out; every
    # full garbage collection walked them all. Building the app puts the work-around in.
    make_app()
    base, background = Color(10, 20, 30), Color(200, 100, 0, 0.5)
    cache = StylesCache()
    inner, outer = cache.get_inner_outer(base, background)
    drawn = weakref.ref(cache)
    del cache
    gc.collect()
    assert drawn() is None
    # The same colours as Textual's own would give.
    assert (inner.background, outer.background) == (base + background, base)
