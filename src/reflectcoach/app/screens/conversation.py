"""The conversation: a chat transcript above, the question in focus below.

Keys: ctrl+b goes back one question, ctrl+n skips an optional one, escape saves and
leaves (back to home; the conversation stays in progress), ctrl+q quits the app. Escape is
"leave" rather than "back" because that is what it means on every other screen; going back
a question is a separate, deliberate key.

Every engine call commits to SQLite before it returns, on the main thread with the app's
own Store, so whatever is on screen as answered is already saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from reflectcoach.answers import AnswerError
from reflectcoach.app.widgets.answer_inputs import AnswerInput, answer_input
from reflectcoach.app.widgets.chat import CoachSays, Exchange, ExchangeLog, Note
from reflectcoach.app.widgets.content import plain
from reflectcoach.store import StoreError
from reflectcoach.text import clean

if TYPE_CHECKING:
    from reflectcoach.engine import Question, Turn
    from reflectcoach.session import Session


class StepFooter(Footer):
    """A Footer that redraws only when the keys it shows change.

    Textual's Footer rebuilds all its keys each time the screen's bindings *may* have
    changed: every focus change and `refresh_bindings`, so several times per answer here,
    though the keys are mostly the same. Each rebuild is a few milliseconds of work.
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


class ConversationScreen(Screen[None]):
    CSS_PATH = "conversation.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "back", "Back", id="back", tooltip="Go back to the previous question"),
        Binding("ctrl+n", "skip", "Skip", id="skip", tooltip="Skip this optional question"),
        Binding(
            "escape",
            "leave",
            "Save & leave",
            id="leave",
            tooltip="Back to home; resume this conversation any time",
        ),
    ]

    def __init__(self, session: Session, *, resumed: bool = False) -> None:
        super().__init__()
        self.session = session
        self.conversation = session.conversation
        self.resumed = resumed or self.conversation.position > 0
        self.title = clean(session.script.title)
        self.sub_title = clean(f"with {session.mentorship}") if session.mentorship else ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="transcript")
        with Vertical(id="ask"):
            yield Static(id="progress", markup=False)
            yield Static(id="question", markup=False)
            yield Static(id="hint", markup=False)
            yield Vertical(id="answer-slot")
            yield Static(id="problem", markup=False)
        yield StepFooter()

    async def on_mount(self) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.anchor()
        history = self.conversation.history
        if self.resumed:
            await transcript.mount(
                Note(f"Picking up where you left off: {len(history)} answered so far.")
            )
        else:
            await transcript.mount(
                Note(
                    "Each answer is saved the moment you give it. Leave with esc whenever "
                    "you like and pick it up again from home."
                )
            )
        notice = self.conversation.notice
        if notice:  # the script changed: say what was not taken up, in place and aloud
            await transcript.mount(Note(notice))
            self.notify(
                clean(notice), title="Picked up with changes", severity="warning", markup=False
            )
        if history:
            await transcript.mount(
                ExchangeLog(
                    Exchange(seq, entry.question, entry.text, entry.skipped)
                    for seq, entry in enumerate(history)
                )
            )
        await self.show_turn(self.conversation.turn)

    # -- showing -------------------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        return self.conversation.turn.question

    async def show_turn(self, turn: Turn) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        if turn.says:
            await transcript.mount_all(CoachSays(say.markdown) for say in turn.says)
        if turn.question is None:
            await self.finish(turn)
            return
        await self.ask(turn.question)

    async def ask(self, question: Question) -> None:
        # Branches make the length an estimate (the longest way from here), so "about".
        _, total = self.conversation.progress
        total = max(total, question.number)
        self.query_one("#progress", Static).update(
            plain(f"Question {question.number} of about {total}")
        )
        self.query_one("#question", Static).update(plain(question.text))
        hint = self.query_one("#hint", Static)
        hint.update(plain(question.hint or ""))
        hint.display = bool(question.hint)
        self.show_problem(None)
        slot = self.query_one("#answer-slot", Vertical)
        # Blur first: removing the focused widget would hand the focus to the transcript
        # for a moment, and a focus change restyles everything under the widget it lands on.
        self.set_focus(None)
        await slot.remove_children()
        widget = answer_input(question)
        await slot.mount(widget)
        widget.focus_answer()
        self.refresh_bindings()

    def show_problem(self, text: str | None) -> None:
        problem = self.query_one("#problem", Static)
        problem.update(plain(f"! {text}" if text else ""))
        problem.display = bool(text)

    async def finish(self, turn: Turn) -> None:
        from reflectcoach.app.screens.finished import FinishedScreen

        closing = [say.markdown for say in turn.says]
        # Replace, not push: leaving the summary goes home, not back into a finished chat.
        # Scheduled, not awaited: this screen is still handling the answer that ended it.
        self.app.call_later(self.app.switch_screen, FinishedScreen(self.session, closing=closing))

    # -- acting --------------------------------------------------------------------------

    async def act(self, kind: str, value: Any = None) -> None:
        """Answer, skip or go back through the engine, showing any problem in place."""
        conv = self.conversation
        before = conv.position
        try:
            if kind == "answer":
                turn = conv.answer(value)
            elif kind == "skip":
                turn = conv.skip()
            else:
                turn = conv.back()
        except AnswerError as problem:
            self.show_problem(str(problem))
            return
        except StoreError as problem:
            self.show_problem("Not saved.")
            self.notify(clean(str(problem)), title="Not saved", severity="error", markup=False)
            return
        with self.app.batch_update():  # one layout and one frame for the whole step
            if kind == "back":
                await self.drop_from(conv.position)
            else:
                entry = conv.history[before]
                await self.add_exchange(Exchange(before, entry.question, entry.text, entry.skipped))
            await self.show_turn(turn)

    async def add_exchange(self, exchange: Exchange) -> None:
        """Append to the transcript's last run of exchanges (a new run after a say)."""
        transcript = self.query_one("#transcript", VerticalScroll)
        last = transcript.children[-1] if transcript.children else None
        if isinstance(last, ExchangeLog):
            last.add(exchange)
        else:
            await transcript.mount(ExchangeLog([exchange]))

    async def drop_from(self, seq: int) -> None:
        """Remove the exchange at `seq` and everything shown after it."""
        transcript = self.query_one("#transcript", VerticalScroll)
        children: list[Widget] = list(transcript.children)
        for index, child in enumerate(children):
            if isinstance(child, ExchangeLog) and child.drop_from(seq):
                later = children[index if not child.exchanges else index + 1 :]
                if later:
                    await transcript.remove_children(later)
                return

    @on(AnswerInput.Submitted)
    async def _submitted(self, event: AnswerInput.Submitted) -> None:
        event.stop()
        await self.act("answer", event.value)

    @on(AnswerInput.Problem)
    def _problem(self, event: AnswerInput.Problem) -> None:
        event.stop()
        self.show_problem(event.text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        question = self.question
        if action == "skip":
            return question is not None and question.step.optional
        if action == "back":
            return self.conversation.can_back
        return True

    async def action_back(self) -> None:
        await self.act("back")

    async def action_skip(self) -> None:
        await self.act("skip")

    def action_leave(self) -> None:
        self.app.pop_screen()
        self.notify(
            "Saved. Pick it up again from home, or with `reflectcoach resume`.",
            title="Conversation kept",
            markup=False,
        )
