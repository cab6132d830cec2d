"""Answers picked from a numbered row or list, by arrows or by digits: choices and scales."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Key
from textual.timer import Timer
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from reflectcoach.app.widgets.answer_base import AnswerInput
from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.digits import CONFIRM_AFTER, DigitEntry, Typed
from reflectcoach.engine.answers import scale_bounds

if TYPE_CHECKING:
    from reflectcoach.engine.conversation import Question


class NumberedAnswer(AnswerInput):
    """Base for pickers whose items are numbered (scale, choice): digits type the number.

    A digit that could start a longer number in range waits, shown as pending, for a second
    digit, Enter or a short pause (widgets/digits.py); any other digit answers at once.
    """

    def __init__(
        self, question: Question, *, draft: str | None = None, id: str | None = "answer"
    ) -> None:
        super().__init__(question, draft=draft, id=id)
        self.digits = DigitEntry(*self.number_range())
        self._confirm_timer: Timer | None = None

    def number_range(self) -> tuple[int, int]:
        raise NotImplementedError

    def numbered(self, n: int) -> Any:
        """The answer number `n` stands for."""
        return n

    def highlight(self, n: int) -> None:
        """Show `n` as the one Enter would take."""

    def pending_line(self) -> Static:
        line = Static(id="pending", classes="how", markup=False)
        line.display = False
        return line

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            self.type_digit(event.character)
        elif self.digits.pending and event.key == "enter":
            event.stop()  # Enter takes the number typed, not what has the focus
            self.confirm_pending()
        elif self.digits.pending and event.key in ("backspace", "ctrl+h"):
            event.stop()  # some terminals send Backspace as ctrl+h
            self.stop_waiting()

    def type_digit(self, digit: str) -> None:
        outcome = self.digits.feed(digit)
        self._cancel_timer()
        self._show_pending()
        if outcome.kind is Typed.TAKE:
            assert outcome.value is not None
            # Straight to the answer: moving the highlight first would paint a frame that
            # the next question replaces at once, and delay that one.
            self.post_message(self.Submitted(self.numbered(outcome.value)))
        elif outcome.kind is Typed.WAIT:
            if outcome.value is not None:
                self.highlight(outcome.value)
                # The app may put its own timer here (tests fire it by hand, no sleeping).
                start = getattr(self.app, "digit_timer", None) or self.set_timer
                self._confirm_timer = start(CONFIRM_AFTER, self.confirm_pending)
            self.post_message(self.Problem(None))
        else:
            self.post_message(self.Problem(self.out_of_range()))

    def confirm_pending(self) -> None:
        """Take the number typed so far (Enter, or the pause after a digit)."""
        self._cancel_timer()
        if not self.digits.pending:
            return  # cancelled (Backspace) or already taken: a late timer does nothing
        value = self.digits.confirm()
        self._show_pending()
        if value is not None:
            self.post_message(self.Submitted(self.numbered(value)))
        else:
            self.post_message(self.Problem(self.out_of_range()))

    def out_of_range(self) -> str:
        lo, hi = self.number_range()
        return f"Type a number from {lo} to {hi}."

    def stop_waiting(self) -> None:
        self._cancel_timer()
        self.digits.clear()
        self._show_pending()

    def _cancel_timer(self) -> None:
        if self._confirm_timer is not None:
            self._confirm_timer.stop()
            self._confirm_timer = None

    def _show_pending(self) -> None:
        found = self.query("#pending")
        if not found:
            return
        line = found.first(Static)
        typed = self.digits.typed
        line.display = bool(typed)
        if typed:
            value = self.digits.value
            then = (
                f"another digit, or Enter (or wait) to take {value}"
                if value is not None
                else "another digit"
            )
            line.update(plain(f"Typed {typed}_ : {then}. Backspace cancels."))


class ChoiceAnswer(NumberedAnswer):
    def compose(self) -> ComposeResult:
        options = [
            Option(plain(f"{n}. {label}"), id=f"o{n}")
            for n, (_, label) in enumerate(self.question.options, 1)
        ]
        yield OptionList(*options, classes="answer-control")
        yield self.pending_line()
        yield self.how_line()

    @property
    def how(self) -> str:
        count = len(self.question.options)
        # Past 9 options a number takes two keys: "type", not "press".
        keys = f", or press 1-{count}" if count <= 9 else f", or type 1-{count}"
        return f"Up/down and Enter{keys}."

    def on_mount(self) -> None:
        values = [v for v, _ in self.question.options]
        listing = self.query_one(OptionList)
        offered = self.question.offered
        listing.highlighted = values.index(offered) if offered in values else 0

    def value(self) -> str | None:
        highlighted = self.query_one(OptionList).highlighted
        return None if highlighted is None else self.question.options[highlighted][0]

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(OptionList).highlighted = event.option_index
        self.submit()

    def number_range(self) -> tuple[int, int]:
        return 1, len(self.question.options)

    def numbered(self, n: int) -> str:
        return self.question.options[n - 1][0]

    def highlight(self, n: int) -> None:
        self.query_one(OptionList).highlighted = n - 1


class ScaleAnswer(NumberedAnswer):
    """A row of numbered buttons, with the end labels beneath; digits type the number."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Lower", show=False),
        Binding("right", "move(1)", "Higher", show=False),
    ]

    @property
    def bounds(self) -> tuple[int, int]:
        return scale_bounds(self.step)

    def number_range(self) -> tuple[int, int]:
        return self.bounds

    @property
    def how(self) -> str:
        lo, hi = self.bounds
        return f"Left/right and Enter, or type a number from {lo} to {hi}."

    def compose(self) -> ComposeResult:
        lo, hi = self.bounds
        with Horizontal(classes="scale-row"):
            for n in range(lo, hi + 1):
                yield Button(
                    plain(str(n)), id=f"n{n}", classes="answer-control scale-button", compact=True
                )
        ends = [f"{n} = {self.step.labels[n]}" for n in (lo, hi) if n in self.step.labels]
        if ends:
            yield Static(plain("    ".join(ends)), classes="scale-ends", markup=False)
        yield self.pending_line()
        yield self.how_line()

    def focus_answer(self) -> None:
        lo, _ = self.bounds
        offered = self.question.offered
        chosen = offered if isinstance(offered, int) and not isinstance(offered, bool) else lo
        self.highlight(chosen)

    def highlight(self, n: int) -> None:
        found = self.query(f"#n{n}")
        (found.first() if found else self.query(".scale-button").first()).focus()

    def value(self) -> int | None:
        focused = self.screen.focused
        if isinstance(focused, Button) and focused.id and focused.id.startswith("n"):
            return int(focused.id[1:])
        return None

    @on(Button.Pressed, ".scale-button")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.stop_waiting()
        self.post_message(self.Submitted(int(event.button.id[1:])))
