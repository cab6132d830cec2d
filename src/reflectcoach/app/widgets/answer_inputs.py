"""One small input widget per question type, each posting `AnswerInput.Submitted(value)`.

The widgets only collect a value; the engine decides whether it is acceptable (its
`AnswerError` message is shown by the screen), so the rules live in one place for both
front ends. Every label built from a script goes through `plain()` (widgets/content.py): option
labels and scale ends are data, never markup.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.digits import CONFIRM_AFTER, DigitEntry, Typed
from reflectcoach.core import clock
from reflectcoach.engine.answers import (
    MAX_TEXT,
    AnswerError,
    date_bounds,
    date_value,
    display,
    exclusive_values,
    instructions,
    normalise,
    scale_bounds,
)
from reflectcoach.script import dates
from reflectcoach.script.model import QuestionType

if TYPE_CHECKING:
    from reflectcoach.engine.conversation import Question


def _steady(widget: Input | TextArea) -> None:
    # A blinking cursor makes snapshots flaky; people running the app still get the blink.
    if widget.app.is_headless:
        widget.cursor_blink = False


class AnswerInput(Vertical):
    """Base: holds the question, offers its earlier answer (or the draft typed for it),
    posts `Submitted`; widgets with free text post `Edited` as it is typed."""

    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    AnswerInput .how { color: $text-muted; height: auto; }
    """

    class Submitted(Message):
        """The person gave an answer (typed str, or a typed value for the engine)."""

        def __init__(self, value: Any) -> None:
            super().__init__()
            self.value = value

    class Problem(Message):
        """Live feedback while typing (None clears it)."""

        def __init__(self, text: str | None) -> None:
            super().__init__()
            self.text = text

    class Edited(Message):
        """The free text changed (the screen keeps it as a draft)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self, question: Question, *, draft: str | None = None, id: str | None = "answer"
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.step = question.step
        self.labels = dict(question.options)
        self.draft = draft  # text typed earlier and not answered: shown instead of `offered`

    @property
    def starting_text(self) -> str:
        """What a free-text input starts with: the draft, else the earlier answer."""
        if self.draft is not None:
            return self.draft
        offered = self.question.offered
        return "" if offered is None else display(self.step, offered, self.labels)

    takes_text: ClassVar[bool] = False  # has free text, so a draft

    def text_now(self) -> str | None:
        """The free text as it stands (None for widgets without free text)."""
        return None

    @property
    def how(self) -> str:
        """The line under the input telling how to answer."""
        return instructions(self.step, self.labels, self.today())

    def today(self) -> dt.date:
        today = getattr(self.app, "today", clock.today)
        return today()

    def how_line(self, extra: str = "") -> Static:
        words = " ".join(part for part in (self.how, extra) if part)
        # Only say what is filled in, never repeat it: the input shows it, and a long
        # answer repeated here would push the input off the screen.
        if self.draft is not None:
            words = "Your draft is filled in. " + words
        elif self.question.offered is not None and self.question.prefilled:
            words = "Filled in from before: Enter keeps it. " + words
        elif self.question.offered is not None:
            words = "Your earlier answer is filled in. " + words
        return Static(plain(words), classes="how", markup=False)

    def value(self) -> Any:
        """What would be submitted now."""
        raise NotImplementedError

    def submit(self) -> None:
        self.post_message(self.Submitted(self.value()))

    def focus_answer(self) -> None:
        self.query(".answer-control").first().focus()

    def action_move(self, delta: int) -> None:
        """Left/right between the buttons of a row (scale, yes/no)."""
        buttons = list(self.query(Button))
        if not buttons:
            return
        focused = self.screen.focused
        index = buttons.index(focused) if focused in buttons else 0
        buttons[max(0, min(len(buttons) - 1, index + delta))].focus()


class TextAnswer(AnswerInput):
    takes_text = True

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.starting_text,
            placeholder="Type your answer, then Enter",
            max_length=MAX_TEXT,
            classes="answer-control",
        )
        yield self.how_line("Enter to answer.")

    def on_mount(self) -> None:
        _steady(self.query_one(Input))

    def value(self) -> str:
        return self.query_one(Input).value

    def text_now(self) -> str:
        return self.value()

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        self.post_message(self.Edited(event.value))

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()


class LongTextAnswer(AnswerInput):
    takes_text = True
    # ctrl+enter reaches only some terminals as its own key; ctrl+s works everywhere.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit answer", id="submit-long"),
        Binding("ctrl+enter", "submit", "Submit answer", show=False),
        # Priority: TextArea itself takes ctrl+e for "end of line" (End still does that).
        Binding(
            "ctrl+e",
            "editor",
            "Editor",
            id="editor",
            priority=True,
            show=False,  # the line under the box says it; the footer has no room at 80
            tooltip="Write this answer in your own editor ($VISUAL, $EDITOR, else nano or vi)",
        ),
    ]

    class EditorWanted(Message):
        """ctrl+e: the screen opens the person's editor on `text`."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @property
    def how(self) -> str:
        return (
            "Write as much as you like: Enter starts a new line, ctrl+s submits, "
            "ctrl+e opens your editor."
        )

    def compose(self) -> ComposeResult:
        yield TextArea(
            self.starting_text,
            soft_wrap=True,
            show_line_numbers=False,
            classes="answer-control",
        )
        yield self.how_line()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        _steady(area)
        area.move_cursor(area.document.end)

    def value(self) -> str:
        return self.query_one(TextArea).text

    def text_now(self) -> str:
        return self.value()

    def replace_text(self, text: str) -> None:
        """Put `text` in the box (from the editor), the cursor at its end."""
        area = self.query_one(TextArea)
        area.text = text
        area.move_cursor(area.document.end)

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(event.text_area.text))

    def action_submit(self) -> None:
        self.submit()

    def action_editor(self) -> None:
        # A priority binding runs as the key arrives, before the keys typed just ahead of
        # it reach the TextArea: ask through the TextArea's own queue, after them.
        area = self.query_one(TextArea)
        area.call_later(lambda: self.post_message(self.EditorWanted(area.text)))


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


class MultiList(SelectionList[str]):
    """Space toggles (as in SelectionList); Enter submits instead of toggling; digit n
    toggles option n. A ticked box shows an `x` and an unticked one a blank, so the choice
    reads without colour (SelectionList draws the same mark for both, in two colours)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Submit choices", id="submit-multi"),
    ]

    class Done(Message):
        pass

    def action_submit(self) -> None:
        self.post_message(self.Done())

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            n = int(event.character)
            if 1 <= n <= self.option_count:
                self.highlighted = n - 1
                self.toggle(self.get_option_at_index(n - 1))

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 2:
            return line
        index = (segments[1].style.meta if segments[1].style else {}).get("option")
        if index is None or segments[1].text != "X":  # SelectionList's one mark for both
            return line
        ticked = self.get_option_at_index(index).value in self._selected
        segments[1] = Segment("x" if ticked else " ", segments[1].style)
        return Strip(segments, line.cell_length)


class MultiAnswer(AnswerInput):
    def compose(self) -> ComposeResult:
        offered = set(self.question.offered or ())
        yield MultiList(
            *(
                Selection(plain(f"{n}. {label}"), value, value in offered)
                for n, (value, label) in enumerate(self.question.options, 1)
            ),
            classes="answer-control",
        )
        yield self.how_line()

    @property
    def how(self) -> str:
        count = len(self.question.options)
        digits = f" or 1-{count}" if count <= 9 else ""
        alone = [
            label for value, label in self.question.options if value in exclusive_values(self.step)
        ]
        goes = f" '{alone[0]}' goes alone." if len(alone) == 1 else ""
        return f"Pick one or more: space{digits} ticks or unticks, Enter submits.{goes}"

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        """An exclusive option ticked unticks the others; another ticked unticks it."""
        listing = self.query_one(MultiList)
        value = event.selection.value
        if value not in listing.selected:
            return
        alone = exclusive_values(self.step)
        for other in list(listing.selected):
            if other != value and (value in alone or other in alone):
                listing.deselect(other)

    def submit(self) -> None:
        # Said here in this widget's own keys: the engine's message is plain mode's
        # ("separated by commas"), for typed answers.
        if not self.value():
            skip = " Or ctrl+n to skip it." if self.step.optional else ""
            self.post_message(self.Problem(f"Tick at least one with space, then Enter.{skip}"))
            return
        super().submit()

    def value(self) -> list[str]:
        chosen = set(self.query_one(MultiList).selected)
        # In option order, whatever order they were ticked in.
        return [value for value, _ in self.question.options if value in chosen]

    @on(MultiList.Done)
    def _done(self, event: MultiList.Done) -> None:
        event.stop()
        self.submit()


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


class YesNoAnswer(AnswerInput):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n", "answer(False)", "No", id="no"),
        Binding("left", "move(-1)", "Yes", show=False),
        Binding("right", "move(1)", "No", show=False),
    ]

    @property
    def how(self) -> str:
        return "Press y or n, or pick a button."

    def compose(self) -> ComposeResult:
        with Horizontal(classes="yes-no-row"):
            yield Button(plain("Yes (y)"), id="yes", classes="answer-control", compact=True)
            yield Button(plain("No (n)"), id="no", classes="answer-control", compact=True)
        yield self.how_line()

    def focus_answer(self) -> None:
        self.query_one("#no" if self.question.offered is False else "#yes").focus()

    def value(self) -> bool | None:
        focused = self.screen.focused
        if isinstance(focused, Button) and focused.id in ("yes", "no"):
            return focused.id == "yes"
        return None

    def action_answer(self, yes: bool) -> None:
        self.post_message(self.Submitted(yes))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Submitted(event.button.id == "yes"))


class NumberAnswer(TextAnswer):
    """A single-line answer checked by the engine's own rule as it is typed: every key
    shows (a number-only Input dropped letters without a word, so "six" showed nothing),
    and what it takes is said at once ("'six' is not a number: type digits, like 6")."""

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.starting_text,
            placeholder="A number in digits, then Enter",
            max_length=40,
            validators=[NumberRule(self.step)],  # the red border; the words come from below
            validate_on=["changed", "submitted"],
            classes="answer-control",
        )
        yield self.how_line("Enter to answer.")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Problem(number_problem(self.step, event.value)))


class NumberRule(Validator):
    """The engine's rule for a number answer, as a Textual validator (number_problem)."""

    def __init__(self, step: Any) -> None:
        super().__init__()
        self.step = step

    def validate(self, value: str) -> ValidationResult:
        problem = number_problem(self.step, value)
        return self.success() if problem is None else self.failure(problem)


def number_problem(step: Any, text: str) -> str | None:
    """What is wrong with `text` as this number question's answer, as it is typed; None
    when it is fine (or empty, or a sign or point still being typed)."""
    word = text.strip()
    if not word or word in ("-", "+", ".", "-.", "+."):
        return None
    try:
        normalise(step, word, {})
    except AnswerError as problem:
        try:
            float(word.replace("_", ""))
        except ValueError:
            shown = word if len(word) <= 20 else word[:19] + "…"
            return f"'{shown}' is not a number: type it in digits, like 6 or 2.5. {problem}"
        return str(problem)
    return None


class DateInput(TextAnswer):
    """A date typed as people say it ("friday", "in 2 weeks", "2026-12-04"), the day it means
    shown under the input as it is typed, so Enter takes no surprise. Days count from the
    app's clock (`app.today`), which snapshots fix."""

    DEFAULT_CSS = """
    DateInput .date-preview { height: auto; color: $text-accent; }
    DateInput .date-preview.-problem { color: $text-error; }
    """

    @property
    def starting_text(self) -> str:
        if self.draft is not None:
            return self.draft
        offered = self.question.offered
        return offered if isinstance(offered, str) else ""  # ISO: it reads back as typed

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.starting_text,
            placeholder=f"A date, then Enter: {self.examples()}",
            max_length=100,
            classes="answer-control",
        )
        yield Static("", classes="date-preview", markup=False)
        yield self.how_line("Enter to answer.")

    def on_mount(self) -> None:
        super().on_mount()
        self.preview(self.value())

    def examples(self) -> str:
        """Three words to try, all inside the question's bounds today."""
        today = self.today()
        return dates.examples(today, *date_bounds(self.step, today), short=True)

    def resolved(self, text: str) -> dt.date:
        """The day `text` means today, within the step's bounds; AnswerError otherwise."""
        return date_value(self.step, text, self.today())

    def preview(self, text: str) -> None:
        shown = self.query_one(".date-preview", Static)
        if not text.strip():
            shown.update("")
            shown.remove_class("-problem")
            return
        try:
            day = self.resolved(text)
        except AnswerError as err:
            shown.update(plain(str(err)))
            shown.add_class("-problem")
            return
        shown.update(plain(f"That is {dates.readable(day)}."))
        shown.remove_class("-problem")

    @on(Input.Changed)
    def _date_typed(self, event: Input.Changed) -> None:
        self.preview(event.value)

    def submit(self) -> None:
        # The day shown is the day taken: resolved by the same clock as the preview. Text
        # that does not resolve goes as typed, for the engine's message.
        text = self.value()
        try:
            answer: str = self.resolved(text).isoformat()
        except AnswerError:
            answer = text
        self.post_message(self.Submitted(answer))


WIDGETS: dict[QuestionType, type[AnswerInput]] = {
    QuestionType.TEXT: TextAnswer,
    QuestionType.LONG_TEXT: LongTextAnswer,
    QuestionType.CHOICE: ChoiceAnswer,
    QuestionType.MULTI: MultiAnswer,
    QuestionType.SCALE: ScaleAnswer,
    QuestionType.YES_NO: YesNoAnswer,
    QuestionType.NUMBER: NumberAnswer,
    QuestionType.DATE: DateInput,
}


def answer_input(question: Question, draft: str | None = None) -> AnswerInput:
    """The widget that fits the question's type, holding `draft` if it takes free text."""
    widget = WIDGETS[question.step.type or QuestionType.TEXT]
    return widget(question, draft=draft if widget.takes_text else None)
