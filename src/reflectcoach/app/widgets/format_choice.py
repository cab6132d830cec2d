"""The export dialog's format choice: a RadioSet that behaves like a radio group elsewhere.

Textual's RadioSet moves only a highlight with the arrows and presses with Enter, so a person
who arrows to JSON and presses Enter to export has chosen nothing and exported nothing. Here
the arrows choose the option they land on, and Enter asks for the export.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import RadioButton, RadioSet


class FormatButton(RadioButton):
    """A radio button whose mark shows only when chosen (RadioButton draws the same `●` for
    both, in two colours: without colour every format looked chosen)."""

    @property
    def _button(self):  # type: ignore[override]
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button


class FormatChoice(RadioSet):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "choose(1)", "Next format", show=False),
        Binding("up,left", "choose(-1)", "Previous format", show=False),
        Binding("space", "toggle_button", "Choose", show=False),
        Binding("enter", "submit", "Export", show=False),
    ]

    class Submitted(Message):
        """Enter on the choice: export with the format now chosen."""

    def action_choose(self, step: int) -> None:
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        if self._selected is not None:
            button = self._nodes[self._selected]
            if isinstance(button, RadioButton) and not button.value:
                button.value = True

    def action_submit(self) -> None:
        self.post_message(self.Submitted())
