"""A Footer that redraws only when the keys it shows change, and that keeps Quit and Help
in sight on a narrow terminal."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

# Narrower than this, the app's own keys (Quit, Help) come first: at 60 columns the screen's
# keys filled the line and pushed them out of sight.
NARROW = 80
ALWAYS = frozenset({"quit", "app.quit", "help", "app.help"})


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys each time the screen's bindings *may* have
    changed: every focus change and `refresh_bindings`. On a conversation that is several
    times per answer, on home twice more as its lists arrive, though the keys are mostly the
    same. Each rebuild is a few milliseconds of work, and a frame.
    """

    _shown: tuple[object, ...] | None = None
    _narrow: bool | None = None

    def __init__(self, *, at_once: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Textual's Footer composes empty and draws its keys a frame after the screen's
        # first; `at_once` draws them in that first frame, for a screen whose keys are
        # already what they will be once focused (home: its lists' keys are not shown).
        self.at_once = at_once

    def compose(self) -> ComposeResult:
        if self.at_once and not self._bindings_ready:
            self.set_reactive(Footer._bindings_ready, True)
            self._shown = self._keys()
        keys = list(super().compose())
        self._narrow = narrow = 0 < self.app.size.width < NARROW
        if narrow:
            # Compact, Quit and Help first, and no palette key docked over the last ones
            # (ctrl+p still opens it, and help says so).
            self.compact = True
            keys = [k for k in keys if getattr(k, "action", None) != "command_palette"]
            first = [k for k in keys if getattr(k, "action", None) in ALWAYS]
            keys = first + [k for k in keys if k not in first]
        yield from keys

    def on_resize(self) -> None:
        if self._narrow is not None and self._narrow != (0 < self.app.size.width < NARROW):
            self._shown = None
            self.call_later(self.recompose)

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # the screen has gone (Footer.recompose checks the same)
        shown = self._keys()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

    def _keys(self) -> tuple[object, ...]:
        """What the keys drawn depend on: a recompose with the same draws the same."""
        return (
            self.show_command_palette,
            0 < self.app.size.width < NARROW,
            *(
                (binding, enabled, tooltip)
                for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
                if binding.show
            ),
        )
