"""A Footer that redraws only when the keys it shows change, and that keeps Quit and Help
in sight on a narrow terminal."""

from __future__ import annotations

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

    def compose(self) -> ComposeResult:
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
        shown = (
            self.show_command_palette,
            0 < self.app.size.width < NARROW,
            *(
                (binding, enabled, tooltip)
                for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
                if binding.show
            ),
        )
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
