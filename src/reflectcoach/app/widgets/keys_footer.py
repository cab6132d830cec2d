"""A Footer that redraws only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys each time the screen's bindings *may* have
    changed: every focus change and `refresh_bindings`. On a conversation that is several
    times per answer, on home twice more as its lists arrive, though the keys are mostly the
    same. Each rebuild is a few milliseconds of work, and a frame.
    """

    _shown: tuple[object, ...] | None = None

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # the screen has gone (Footer.recompose checks the same)
        shown = (
            self.show_command_palette,
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
