"""Keeping what is typed into a question as a draft in the store, as it is typed.

Each edit restarts a short timer; when it runs out the text is written from a thread worker
with its own Store, so a key press never waits for SQLite. Leaving, going back and quitting
`flush()` on the UI thread instead, so nothing typed is lost however the question is left.

Writes can overlap (a worker still writing when a flush starts): each carries the edit
number it saw, and one older than what was last written is dropped. A write that arrives
after the question was answered is refused by the store itself (store/drafts.py), and so is
one from a session whose conversation another session has taken (LeaseLost: said once, as
any draft that cannot be kept).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reflectcoach.core.text import clean
from reflectcoach.store import StoreError

if TYPE_CHECKING:
    from textual.timer import Timer

    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.app.screens.conversation import ConversationScreen
    from reflectcoach.store import Lease, Store

# After the last key press: long enough that a typist's words are one write, short enough
# that a crash loses at most this much.
DEBOUNCE = 0.5  # seconds


@dataclass(frozen=True, slots=True)
class _Place:
    seq: int
    step_id: str


class DraftKeeper:
    """The draft of the question on `screen`: `ask` when one is shown, `typed` on every
    edit, `flush` before leaving it, `answered` once it is answered or skipped."""

    def __init__(
        self, screen: ConversationScreen, conversation_id: str, lease: Lease | None = None
    ) -> None:
        self.screen = screen
        self.conversation_id = conversation_id
        self.lease = lease  # drafts, like answers, are written only while it is ours
        self._place: _Place | None = None
        self._text = ""  # as typed now
        self._kept = ""  # as written (or as shown, until the first edit)
        self._has_row = False  # the store holds a draft for this question
        self._edit = 0  # counts edits; a write carries the one it saw
        self._written = 0  # the newest edit written
        self._timer: Timer | None = None
        self._lock = threading.Lock()  # one write at a time, worker or flush
        self.failed = False  # the last write failed (said once on screen)

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.screen.app  # type: ignore[return-value]

    @property
    def has_draft(self) -> bool:
        """Is there a draft (kept, or typed and about to be) for the question shown? An
        earlier answer filled in and left alone is not one."""
        return bool(self._text.strip()) and (self._has_row or self._dirty)

    @property
    def written(self) -> bool:
        """Is the text shown now in the store as the draft (nothing newer on its way)?"""
        return bool(self._text.strip()) and self._has_row and not self._dirty

    def stored(self, seq: int, step_id: str) -> str | None:
        """The draft kept for the question at `seq` (None if none, or it cannot be read)."""
        try:
            return self.rc_app.main_store().drafts.get(
                self.conversation_id, seq=seq, step_id=step_id
            )
        except StoreError:
            return None  # a draft is a convenience: the question can still be answered

    def ask(self, seq: int, step_id: str, text: str, *, kept: bool) -> None:
        """A question is shown holding `text` (`kept`: it is the stored draft). Nothing is
        written until it is edited."""
        self._cancel_timer()
        self._place = _Place(seq, step_id)
        self._text = self._kept = text
        self._has_row = kept

    def typed(self, text: str) -> None:
        if self._place is None or text == self._text:
            return
        self._text = text
        self._edit += 1
        self._cancel_timer()
        self._timer = self.screen.set_timer(DEBOUNCE, self.due, name="draft")

    def due(self) -> None:
        """The pause after typing: write in a thread (the timer calls this)."""
        self._timer = None
        if self._place is None or not self._dirty:
            return
        place, text, edit = self._place, self._text, self._edit

        def write() -> None:
            try:
                with self.rc_app.worker_store() as store:
                    self._write(store, place, text, edit)
            except StoreError as problem:
                self._failed(str(problem))

        self.screen.run_worker(write, thread=True, group="draft", exit_on_error=False)

    def flush(self) -> None:
        """Write now, on this thread (leaving, back, quit): waits for a write under way."""
        self._cancel_timer()
        if self._place is not None and self._dirty:
            self._write(self.rc_app.main_store(), self._place, self._text, self._edit)

    def answered(self) -> None:
        """The question was answered or skipped: its draft went in the same transaction."""
        self._cancel_timer()
        self._place = None
        self._text = self._kept = ""
        self._has_row = False

    @property
    def _dirty(self) -> bool:
        return self._text != self._kept

    def _write(self, store: Store, place: _Place, text: str, edit: int) -> None:
        with self._lock:
            if edit < self._written:
                return  # a newer edit is written already
            try:
                store.drafts.save(
                    self.conversation_id,
                    seq=place.seq,
                    step_id=place.step_id,
                    text=text,
                    lease=self.lease,
                )
            except StoreError as problem:
                self._failed(str(problem))
                return
            self._written = edit
            if self._place == place:
                self._kept = text
                self._has_row = bool(text.strip())
            self.failed = False

    def _failed(self, problem: str) -> None:
        if self.failed:
            return
        self.failed = True
        message = clean(f"What you are typing could not be kept as a draft: {problem}")
        if threading.current_thread() is threading.main_thread():
            self.screen.notify(message, title="Draft not saved", severity="warning", markup=False)
        else:
            self.rc_app.call_from_thread(
                self.screen.notify,
                message,
                title="Draft not saved",
                severity="warning",
                markup=False,
            )

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
