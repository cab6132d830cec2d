"""The conversation: a chat transcript above, the question in focus below.

Keys: ctrl+b goes back one question, ctrl+n skips an optional one, escape saves and
leaves (back to home; the conversation stays in progress), ctrl+q quits the app (asking
first, saying what is kept), ctrl+e on a long answer opens the person's editor. Escape is
"leave" rather than "back" because that is what it means on every other screen; going back
a question is a separate, deliberate key.

Every engine call commits to SQLite before it returns, on the main thread with the app's
own Store, so whatever is on screen as answered is already saved. Text typed but not yet
answered is kept as a draft (app/drafts.py) and filled in again when its question returns.
A conversation left with nothing in it (no answer, no draft) is not kept.

Notices show in a line above the question (app/notices.py), never over the answer.

Only this session writes the conversation while it is open (store/leases.py): a timer renews
the lease from a worker while the person thinks, and leaving gives it back. If another session
takes the conversation over, an answer given here is refused (nothing written) and stays in
the box, and the screen says so.

When another program holds the database's write lock, the UI thread's store gives up after a
moment (app.UI_BUSY_TIMEOUT_S) and the answer waits: it stays in the box and in memory, the
screen says "Waiting for the database…", and a worker tries the lock until it is free, then
the answer is given again on the UI thread. The screen stays usable all the while.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from reflectcoach.app.drafts import DraftKeeper
from reflectcoach.app.notices import NoticeLine
from reflectcoach.app.screens.confirm import ConfirmScreen
from reflectcoach.app.widgets.answer_inputs import AnswerInput, LongTextAnswer, answer_input
from reflectcoach.app.widgets.chat import CoachSays, Exchange, ExchangeLog, Note
from reflectcoach.app.widgets.content import plain
from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.core.editor import EditorError, edit, find_editor
from reflectcoach.core.text import clean
from reflectcoach.engine.answers import AnswerError
from reflectcoach.services import session as sessions
from reflectcoach.services.heartbeat import Heartbeat
from reflectcoach.store import DatabaseBusy, LeaseLost, StoreError
from reflectcoach.store.files import busy_timeout

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.engine.conversation import Question, Turn
    from reflectcoach.services.session import Session

WAITING = (
    "Waiting for the database (another program is writing to it)… Your answer is kept and is "
    "saved as soon as it is free; esc leaves."
)
# The waiting worker's tries: each waits at most this for the lock, so that leaving stops it
# promptly; between tries it pauses, so that a lock failing at once does not spin a core.
WAIT_TRY_S = 1.0
WAIT_PAUSE_S = 0.1


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
        self.drafts = DraftKeeper(self, session.id, session.lease)
        # Renewed while the person thinks, from mount until the conversation is left.
        self.renewals = Heartbeat(
            lambda: self.rc_app.worker_store(),
            session.id,
            session.lease,
            on_lost=self.lost_elsewhere,
        )
        self._done_with = False  # left or quit: nothing more to keep
        # An action the database was too busy to take, kept until it is written.
        self.pending: tuple[str, Any] | None = None
        self.lost: LeaseLost | None = None  # another session took the conversation

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="transcript")
        with Vertical(id="ask"):
            yield NoticeLine()
            yield Static(id="progress", markup=False)
            yield Static(id="question", markup=False)
            yield Static(id="hint", markup=False)
            yield Vertical(id="answer-slot")
            yield Static(id="problem", markup=False)
            yield Static(id="waiting", markup=False)
        yield KeysFooter()

    async def on_mount(self) -> None:
        self.take_notices()
        self.query_one("#waiting", Static).display = False
        self.renewals.start()
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

    def on_screen_resume(self) -> None:
        self.take_notices()

    def take_notices(self) -> None:
        """Toasts still up would cover the answer: warnings move into the notice line;
        information is about the screen before (such as leaving it) and is dropped."""
        line = self.query_one(NoticeLine)
        for notice in self.rc_app.take_notices():
            if notice.severity != "information":
                line.show(notice)

    def on_unmount(self) -> None:
        # However the screen goes (the app exiting some other way too), keep what was typed.
        if not self._done_with:
            self.close_conversation()

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
        # The fewest questions still to come: "of at least M" while answers may add more.
        self.query_one("#progress", Static).update(plain(self.conversation.progress.words()))
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
        seq = self.conversation.position
        draft = self.drafts.stored(seq, question.step.id)
        widget = answer_input(question, draft)
        self.drafts.ask(
            seq,
            question.step.id,
            widget.starting_text if widget.takes_text else "",
            kept=bool(draft),
        )
        await slot.mount(widget)
        widget.focus_answer()
        self.refresh_bindings()

    def show_problem(self, text: str | None) -> None:
        problem = self.query_one("#problem", Static)
        problem.update(plain(f"! {text}" if text else ""))
        problem.display = bool(text)

    async def finish(self, turn: Turn) -> None:
        # The end screen brings Textual's Markdown widget: loaded when a conversation ends.
        from reflectcoach.app.screens.finished import FinishedScreen

        closing = [say.markdown for say in turn.says]
        # Replace, not push: leaving the summary goes home, not back into a finished chat.
        # Scheduled, not awaited: this screen is still handling the answer that ended it.
        self.app.call_later(self.app.switch_screen, FinishedScreen(self.session, closing=closing))

    # -- acting --------------------------------------------------------------------------

    async def act(self, kind: str, value: Any = None) -> None:
        """Answer, skip or go back through the engine, showing any problem in place."""
        conv = self.conversation
        if self.pending is not None:
            if kind == self.pending[0]:
                self.pending = (kind, value)  # changed while waiting: the newest is saved
            return
        completing = conv.finished  # an earlier try stored the answer, not the ending
        before = conv.position
        try:
            if completing:
                conv.complete()
                turn = conv.turn
            elif kind == "answer":
                turn = conv.answer(value)
            elif kind == "skip":
                turn = conv.skip()
            else:
                turn = conv.back()
        except AnswerError as problem:
            self.show_problem(str(problem))
            return
        except DatabaseBusy:
            self.wait_for_database(kind, value)
            return
        except LeaseLost as lost:
            self.lease_lost(lost)
            return
        except StoreError as problem:
            self.show_problem("Not saved.")
            self.notify(clean(str(problem)), title="Not saved", severity="error", markup=False)
            return
        self.show_waiting(False)
        if completing:
            await self.show_turn(turn)
            return
        if kind != "back":
            self.drafts.answered()  # the journal dropped its draft with the answer
        with self.app.batch_update():  # one layout and one frame for the whole step
            if kind == "back":
                await self.drop_from(conv.position)
            else:
                entry = conv.history[before]
                await self.add_exchange(Exchange(before, entry.question, entry.text, entry.skipped))
            await self.show_turn(turn)

    # -- a busy database, a lost lease -------------------------------------------------------

    def wait_for_database(self, kind: str, value: Any) -> None:
        """Keep the action and try the lock from a worker until it is free."""
        self.pending = (kind, value)
        self.show_problem(None)
        self.show_waiting(True)
        self.run_worker(
            self._await_database, thread=True, exclusive=True, group="db-wait", exit_on_error=False
        )

    def show_waiting(self, shown: bool) -> None:
        waiting = self.query_one("#waiting", Static)
        waiting.update(plain(WAITING if shown else ""))
        waiting.display = shown

    def _await_database(self) -> None:
        """In a thread, with its own Store: wait until a write can start, then give the kept
        action again on the UI thread (where the engine and its store live)."""
        worker = get_current_worker()
        try:
            with self.rc_app.open_store(busy_timeout=min(busy_timeout(), WAIT_TRY_S)) as store:
                while not store.writable():
                    if worker.is_cancelled:
                        return
                    time.sleep(WAIT_PAUSE_S)
        except StoreError as problem:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._waiting_failed, str(problem))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.retry_pending)

    async def retry_pending(self) -> None:
        if self.pending is None or self._done_with:
            return
        kind, value = self.pending
        self.pending = None  # act keeps it again if the database is still busy
        await self.act(kind, value)

    def _waiting_failed(self, problem: str) -> None:
        self.pending = None
        self.show_waiting(False)
        self.show_problem("Not saved.")
        self.notify(clean(problem), title="Not saved", severity="error", markup=False)

    def lease_lost(self, lost: LeaseLost) -> None:
        """Another session took the conversation: nothing more is written from here."""
        first = self.lost is None
        self.lost = lost
        self.show_problem(f"Not saved: {lost} Your answer is still in the box; esc leaves.")
        if first:
            self.notify(
                clean(f"{lost} Answers given here can no longer be saved."),
                title="Not saved",
                severity="error",
                markup=False,
            )

    def lost_elsewhere(self, lost: LeaseLost) -> None:
        """The heartbeat's thread found the lease taken: say so on the app's thread."""
        with contextlib.suppress(RuntimeError):  # the app has stopped meanwhile
            self.app.call_from_thread(self.lease_lost, lost)

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

    @on(AnswerInput.Edited)
    def _edited(self, event: AnswerInput.Edited) -> None:
        event.stop()
        self.drafts.typed(event.text)

    @on(LongTextAnswer.EditorWanted)
    def _editor_wanted(self, event: LongTextAnswer.EditorWanted) -> None:
        event.stop()
        self.open_editor(event.text)

    def keep_draft(self) -> None:
        """Write the draft now, from the input itself: its last edits may still be on their
        way as messages when a key such as ctrl+q (handled first, by the app) arrives."""
        widget = self.query(AnswerInput)
        text = widget.first().text_now() if widget else None
        if text is not None:
            self.drafts.typed(text)
        self.drafts.flush()

    def open_editor(self, text: str) -> None:
        """ctrl+e: the person's editor on the answer so far; what it saves is the draft."""
        try:
            found = find_editor()
            if found is None:
                edit(text)  # raises the message saying how to set one
            elif found[1] is not None:
                self.notify(found[1], title="Editor", markup=False)  # which, and why
            self.keep_draft()  # kept before the app steps aside, in case it never returns
            with self.app.suspend():
                edited = edit(text)
        except EditorError as problem:
            self.notify(str(problem), title="No editor", severity="warning", markup=False)
            return
        except SuspendNotSupported:
            self.notify(
                "An editor cannot be opened here (the app cannot step aside in this terminal).",
                title="No editor",
                severity="warning",
                markup=False,
            )
            return
        widget = self.query(LongTextAnswer)
        if widget:
            widget.first().replace_text(edited)
            self.drafts.typed(edited)
            self.drafts.flush()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        question = self.question
        if action == "skip":
            return question is not None and question.step.optional
        if action == "back":
            return self.conversation.can_back
        return True

    async def action_back(self) -> None:
        self.keep_draft()  # kept at its place: coming forward again fills it in
        await self.act("back")

    async def action_skip(self) -> None:
        await self.act("skip")

    def action_leave(self) -> None:
        kept = self.close_conversation()
        self.app.pop_screen()
        if kept:
            self.notify(
                clean(f"{self.what_is_kept()} Pick it up again from home."),
                title="Conversation kept",
                severity="information" if self.pending is None else "warning",
                markup=False,
            )
        else:
            self.notify("Nothing was answered, so it was not kept.", markup=False)

    # -- leaving ---------------------------------------------------------------------------

    @property
    def at_stake(self) -> bool:
        """Is there anything in this conversation to keep: an answer (on or off the path)
        or a draft?"""
        return bool(self.conversation.entries) or self.drafts.has_draft

    def what_is_kept(self) -> str:
        """What leaving keeps, in a sentence; while an answer waits for the database, also
        what is not saved."""
        answered = sum(1 for entry in self.conversation.history if not entry.skipped)
        waiting = self.pending is not None
        parts = []
        if answered:
            parts.append(
                "your answer is saved" if answered == 1 else f"your {answered} answers are saved"
            )
        # Waiting, the draft's own write may have failed too: only what is written counts.
        if self.drafts.written if waiting else self.drafts.has_draft:
            parts.append("what you were typing is kept as a draft")
        if not parts:
            parts.append("where you are in it is saved")
        words = ", and ".join(parts)
        said = words[0].upper() + words[1:] + "."
        question = self.question
        if waiting and question is not None:
            said += (
                f' Not saved: your answer to "{" ".join(question.text.split())}" (the '
                "database is busy: another program is writing to it)."
            )
        return said

    def close_conversation(self) -> bool:
        """Keep the draft; drop the conversation if it holds nothing; give it back to any
        other session. True if it is kept."""
        self._done_with = True
        # Waiting for the database, renewing the lease: not any more.
        self.workers.cancel_group(self, "db-wait")
        self.renewals.stop()
        try:
            self.keep_draft()
            store = self.rc_app.main_store()
            empty = not self.at_stake and not self.conversation.finished
            if empty and store.discard_if_empty(self.session.id, self.session.lease):
                return False
        except StoreError as problem:
            self.notify(clean(str(problem)), title="Not saved", severity="error", markup=False)
        # Given back for any other session; if the database is busy, the lease lapses on
        # its own instead (nothing renews it now).
        with contextlib.suppress(StoreError):
            sessions.leave(self.rc_app.main_store(), self.session)
        return True

    def confirm_quit(self) -> bool:
        """ctrl+q (app.action_quit asks): True to quit at once, when nothing is at stake;
        else ask, saying what is kept, and quit if the person says so."""
        self.keep_draft()
        if not self.at_stake:
            self.close_conversation()
            return True

        def decided(yes: bool | None) -> None:
            if yes:
                self.close_conversation()
                self.app.exit()

        self.app.push_screen(
            ConfirmScreen(
                f"{self.what_is_kept()} You can pick this conversation up again from home.",
                title="Quit reflectcoach?",
                yes="Quit",
                no="Stay",
                harmless=True,  # everything is kept: Enter quits
            ),
            decided,
        )
        return False
