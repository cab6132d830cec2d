"""Plain mode: a whole conversation on stdin/stdout, for any terminal, screen reader or pipe.

One line is one answer; a long_text answer is every line up to an empty line; an empty line
keeps the answer offered, or skips an optional question. `:back`, `:skip`, `:edit` (the answer
in $VISUAL/$EDITOR) and `:quit` are commands. Everything printed goes through `clean()`, so a
script or an answer cannot drive the terminal, and is wrapped at word boundaries to the
terminal's width. When the input is not a terminal, each answer read is echoed after its
prompt, so a transcript of a piped run reads like a typed one.

Every write goes through `write()`: when another program holds the database's write lock
past the busy timeout, the answer is kept and tried again, saying so, until it is written or
the person presses Ctrl+C (then what is and is not saved is said). When another session has
taken the conversation (store/leases.py), nothing is written and the session ends, quoting
the answer that was not saved.
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import signal
import textwrap
import threading
from collections.abc import Callable, Iterator
from typing import TextIO

from reflectcoach.core import clock
from reflectcoach.core.editor import EditorError, edit, find_editor
from reflectcoach.core.sharing import has_private
from reflectcoach.core.text import clean, typed
from reflectcoach.engine.answers import AnswerError, date_value, display, instructions
from reflectcoach.engine.conversation import Question, Turn
from reflectcoach.engine.records import plain_text
from reflectcoach.script import dates
from reflectcoach.script.model import QuestionType
from reflectcoach.services.session import Session
from reflectcoach.store import DatabaseBusy, LeaseLost, Store

EXIT_OK = 0
EXIT_INTERRUPTED = 3  # input ended mid-conversation; it stays in progress
EXIT_LEASE_LOST = 4  # another session took the conversation; this one wrote nothing more
EXIT_STOPPED = 130  # Ctrl+C while waiting for the database (as for any Ctrl+C)

WAITING = "Waiting for the database (another program is writing to it)... press Ctrl+C to stop."
# Between two tries: each try already waits the busy timeout, this only keeps a lock that
# fails at once (SQLite does not always wait) from spinning a core.
RETRY_PAUSE_S = 0.2

COMMANDS = (
    "Commands: :back goes back one question, :skip skips an optional one, "
    ":edit writes the answer in your editor, :quit stops."
)
# Where a wrapped line's continuation starts: under the text after an indent and a list marker
# ("  1) ", "- ", "[3/12] "), so options and questions stay readable.
_HANGING = re.compile(r"\s*(?:\d+\)\s+|[-*]\s+|\[\d+/\d+\]\s+|>\s+)?")


@contextlib.contextmanager
def _ctrl_c() -> Iterator[threading.Event]:
    """Within the block, SIGINT sets the event instead of raising KeyboardInterrupt (in the
    main thread; elsewhere signals cannot be handled, and the event is never set)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def wrap(text: str, width: int) -> str:
    """`text` wrapped at word boundaries to `width` columns, line by line; a word longer than
    the line is left whole (a terminal breaks it better than we would). Markdown table rows
    are left as they are: wrapping would break the table."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or line.lstrip().startswith("|"):
            out.append(line)
            continue
        marker = _HANGING.match(line)
        indent = " " * (marker.end() if marker else 0)
        out.extend(
            textwrap.wrap(
                line,
                width=width,
                subsequent_indent=indent if len(indent) < width // 2 else "",
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    return "\n".join(out)


class PlainRunner:
    def __init__(
        self,
        session: Session,
        stdin: TextIO,
        stdout: TextIO,
        width: int | None = None,
        store: Store | None = None,
        reload: Callable[[PlainRunner], Session | None] | None = None,
    ) -> None:
        self.session = session
        # `reflectcoach try --watch`: asked before each question; a new session replaces this
        # one (the script file changed). It says what changed itself.
        self.reload = reload
        self.store = store  # to let go of a conversation left with nothing in it
        self.conversation = session.conversation
        self.stdin = stdin
        self.stdout = stdout
        # COLUMNS first, then the terminal; 80 in a pipe. Never narrower than a short word.
        self.width = max(20, width or shutil.get_terminal_size().columns)
        self.echo = not _isatty(stdin)

    def say(self, text: str = "") -> None:
        self.stdout.write(wrap(clean(text), self.width) + "\n")

    def run(self, resumed: bool = False) -> int:
        script = self.conversation.script
        if resumed:
            done = self.conversation.position
            self.say(f"Picking up '{script.title}' where you left off ({done} answered).")
            if self.conversation.notice:  # the script changed: what was not taken up
                self.say(self.conversation.notice)
        else:
            self.say(f"{script.title}")
        self.say(COMMANDS)
        turn = self.conversation.turn
        while True:
            fresh = self.reload(self) if self.reload is not None else None
            if fresh is not None:
                self.session, self.conversation = fresh, fresh.conversation
                turn = fresh.conversation.turn
            self.show_says(turn)
            if turn.question is None:
                self.finish()
                return EXIT_OK
            outcome = self.ask(turn.question)
            if isinstance(outcome, int):
                return outcome
            turn = outcome

    def show_says(self, turn: Turn) -> None:
        for say in turn.says:
            self.say()
            # Coach text is Markdown: shown as a reader sees it ("**Hopes:**" as "Hopes:"),
            # with the answers inside as they were given.
            self.say(plain_text(say.markdown).rstrip())

    def ask(self, question: Question) -> Turn | int:
        """Ask until an answer is accepted; an int is the exit code when the person stops."""
        self.show_question(question)
        edited: str | None = None  # from :edit, given on an empty line
        shown_date: str | None = None  # a date shown back, taken with Enter (ISO)
        while True:
            raw = self.read(question)
            if raw is None:
                self.stopped(at_eof=True)
                return EXIT_INTERRUPTED
            command = raw.strip().lower() if "\n" not in raw.strip() else ""
            try:
                if command == ":quit":
                    self.stopped(at_eof=False)
                    return EXIT_OK
                conv = self.conversation
                if command == ":back":
                    return self.write(conv.back, "going back one question")
                if command == ":skip":
                    return self.write(conv.skip, f'skipping "{_quoted(question.text)}"')
                if command == ":edit":
                    edited = self.edit(question, edited)
                    continue
                given: object = raw
                shown = raw  # as typed
                if question.step.type is QuestionType.DATE and raw.strip():
                    # At a terminal the day words mean ("friday", "in 2 weeks") is said
                    # before it is taken; Enter keeps it, anything else is read afresh. An
                    # ISO date means one day: taken as typed. Off a terminal (a script, one
                    # line per answer) every date is taken as typed, and what it read is said.
                    shown_date = None  # until this one reads as a day
                    if self.echo or dates.is_iso(raw):
                        day = date_value(question.step, raw, clock.today())
                        given, shown = day.isoformat(), dates.readable(day)
                        self.say(f"  Taken as {shown} ({given}).")
                    else:
                        shown_date = self.show_date(question, raw)
                        continue
                if not raw.strip() and shown_date is not None:
                    given, shown = shown_date, display(question.step, shown_date, {})
                elif not raw.strip() and edited is not None:
                    given = shown = edited
                elif not raw.strip() and question.offered is not None:
                    given = question.offered
                    shown = display(question.step, given, dict(question.options))
                elif not raw.strip() and question.step.optional:
                    return self.write(conv.skip, f'skipping "{_quoted(question.text)}"')
                what = f'your answer to "{_quoted(question.text)}", which was: {shown}'
                return self.write(functools.partial(conv.answer, given), what)
            except AnswerError as problem:
                self.say(f"  {problem}")
                self.stdout.write("> ")
                self.stdout.flush()

    def show_date(self, question: Question, raw: str) -> str:
        """Say which day `raw` means (AnswerError when none, or out of bounds); its ISO."""
        day = date_value(question.step, raw, clock.today())
        self.say(f"  That is {dates.readable(day)}. Enter to keep it, or type another date:")
        self.stdout.write("> ")
        self.stdout.flush()
        return day.isoformat()

    def write(self, action: Callable[[], Turn], what: str) -> Turn | int:
        """Run an engine action (it writes one transaction), waiting for the database as
        long as another program holds its write lock. `what` says, for the person, what the
        action saves. A Turn when it is written, else the exit code.

        Ctrl+C only sets a flag meanwhile (`_ctrl_c`), read between two tries: a
        KeyboardInterrupt raised wherever the interpreter happens to be would often land in a
        finalizer of a failed try (a closed generator, a `__del__`), where Python prints it as
        "ignored" and drops it, and the wait went on for ever. A try in progress finishes
        (at most the busy timeout); an answer that went through is kept, then Ctrl+C is
        handled as anywhere else."""
        waiting = False
        with _ctrl_c() as stop:
            while True:
                try:
                    turn = self._attempt(action)
                except DatabaseBusy:
                    if stop.is_set():  # during this try's own wait
                        return self.stopped_waiting(what)
                    if not waiting:
                        waiting = True
                        self.say(WAITING)
                        self.stdout.flush()
                    if stop.wait(RETRY_PAUSE_S):
                        return self.stopped_waiting(what)
                    continue
                except LeaseLost as lost:
                    self.lost(lost, what)
                    return EXIT_LEASE_LOST
                if waiting:
                    self.say("The database is free again: saved.")
                break
        if stop.is_set():
            raise KeyboardInterrupt  # after the write: as any Ctrl+C (the CLI says all is kept)
        return turn

    def _attempt(self, action: Callable[[], Turn]) -> Turn:
        conversation = self.conversation
        if conversation.finished:
            # An earlier try stored the last answer but not yet that it is complete.
            conversation.complete()
            return conversation.turn
        return action()

    def saved_so_far(self) -> str:
        answered = sum(1 for entry in self.conversation.history if not entry.skipped)
        words = "1 answer" if answered == 1 else f"{answered} answers"
        return f"Saved: {words} (conversation {self.session.id})."

    def stopped_waiting(self, what: str) -> int:
        """Ctrl+C while waiting: exactly what is saved and what is not."""
        self.say()
        self.say("Stopped while waiting for the database.")
        if self.conversation.finished:
            what = "that the conversation is finished"
        self.say(self.saved_so_far())
        self.say(f"Not saved: {what}.")
        self.say(f"Continue later with: reflectcoach resume {self.session.id}")
        return EXIT_STOPPED

    def lost(self, lost: LeaseLost, what: str) -> None:
        """Another session took the conversation: say so, and what was not saved."""
        self.say()
        self.say(f"{lost} Not saved: {what}.")
        self.say(
            f"Your earlier answers are saved. Continue in that session, or read it with: "
            f"reflectcoach show {self.session.id}"
        )

    def edit(self, question: Question, edited: str | None) -> str | None:
        """:edit: the answer so far in the person's editor; what it saves is offered."""
        if question.step.type not in (QuestionType.TEXT, QuestionType.LONG_TEXT):
            self.say("  :edit is for answers in words.")
        else:
            start = edited if edited is not None else question.offered
            try:
                found = find_editor()
                if found is not None and found[1] is not None:
                    self.say(f"  {found[1]}")
                edited = edit("" if start is None else str(start))
            except EditorError as problem:
                self.say(f"  {problem}")
            else:
                self.say("  From your editor:")
                for line in edited.splitlines() or [""]:
                    self.say(f"    {line}")
                self.say("  Press Enter to give this answer, :edit to change it, or type another.")
        self.stdout.write("> ")
        self.stdout.flush()
        return edited

    def show_question(self, question: Question) -> None:
        step = question.step
        self.say()
        self.say(f"{self.conversation.progress.plain()} {question.text.strip()}")
        if question.hint:
            self.say(f"  {question.hint.strip()}")
        for number, (_, label) in enumerate(question.options, start=1):
            self.say(f"  {number}) {label}")
        labels = dict(question.options)
        how = instructions(step, labels)
        if step.type is QuestionType.LONG_TEXT:
            how += " Finish with an empty line."
        if step.optional and question.offered is None:
            how += " Optional: Enter to skip."
        elif step.optional:
            how += " Optional: :skip to leave it."
        if how.strip():
            self.say(f"  {how.strip()}")
        if question.offered is not None:
            earlier = display(step, question.offered, labels)
            where = "From before" if question.prefilled else "Earlier you said"
            self.say(f"  {where}: {earlier}")
            self.say("  Press Enter to keep it, or type a new answer.")
        self.stdout.write("> ")
        self.stdout.flush()

    def read(self, question: Question) -> str | None:
        raw = self._read(question)
        if raw is not None:
            raw = typed(raw)
        if self.echo:
            # Piped: nobody typed after the "> ", so show what was read there.
            shown = "" if raw is None else raw.replace("\n", "\n  ")
            self.stdout.write(clean(shown) + "\n")
        return raw

    def _read(self, question: Question) -> str | None:
        line = self.stdin.readline()
        if not line:
            return None
        if question.step.type is not QuestionType.LONG_TEXT or line.strip().startswith(":"):
            return line.rstrip("\n")
        lines = [line.rstrip("\n")]
        while lines[-1].strip():
            more = self.stdin.readline()
            if not more:
                break
            lines.append(more.rstrip("\n"))
        return "\n".join(lines).strip("\n")

    def stopped(self, at_eof: bool) -> None:
        self.say()
        if at_eof:
            self.say("Input ended before the conversation did.")
        store = self.store
        if store is not None and store.discard_if_empty(self.session.id, self.session.lease):
            # Opened and left at once: not kept, so the resume list holds only real ones.
            self.say("Nothing was answered, so nothing was kept.")
            return
        self.say(f"Saved. Your answers so far are kept (conversation {self.session.id}).")
        self.say(f"Continue later with: reflectcoach resume {self.session.id}")

    def finish(self) -> None:
        conversation = self.conversation
        record = conversation.record_plain()
        self.say()
        self.say("-" * 60)
        if record:
            self.say(record.rstrip())
            self.say("-" * 60)
        self.say("Your answers:")
        for entry in conversation.history:
            self.say(f"- {entry.question.strip()}")
            answer = "(skipped)" if entry.skipped else entry.text.replace("\n", "\n    ")
            self.say(f"    {answer}")
        self.say()
        if self.reload is not None:  # `reflectcoach try`: a scratch database, gone at the end
            self.say("Not saved: tried against a scratch database.")
            return
        self.say(f"Saved as conversation {self.session.id}.")
        self.say(f"Read it again with: reflectcoach show {self.session.id}")
        if has_private(conversation.record_markdown() or ""):
            self.say(
                "The copy to send, without the parts just for you: "
                f"reflectcoach show {self.session.id} --record"
            )


def _quoted(text: str) -> str:
    """A question on one line, for saying what was or was not saved."""
    return " ".join(text.split())


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: treat as a pipe
        return False
