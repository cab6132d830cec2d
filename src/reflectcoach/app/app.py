"""The application: shared state (database path, scripts) and the screens' entry points.

The home screen paints before the engine, YAML or SQLite are imported: they load in
workers right after the first paint. So this module (and home.py, commands.py) imports only
Textual and the standard library at module level.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, ScreenStackError
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from reflectcoach.app import asking, background
from reflectcoach.app.collector import PausedCollector
from reflectcoach.app.commands import ReflectCoachCommands
from reflectcoach.app.notices import Notice, NoticeLine, in_words
from reflectcoach.app.screens.home import HomeScreen
from reflectcoach.app.textual_fixes import keep_no_dead_widgets
from reflectcoach.app.workers import WorkerStore
from reflectcoach.core import clock
from reflectcoach.core import settings as saved
from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.script.registry import Catalog
    from reflectcoach.services.tryout import Tryout
    from reflectcoach.store import ConversationHeld, Store
    from reflectcoach.store.key import Key

HOME_CSS = Path(__file__).parent / "screens" / "home.tcss"
# How long a write on the UI thread may wait for another program's lock: short enough that
# nobody notices the pause; past it the conversation waits in a worker instead (screens/
# conversation.py), so a locked database never freezes the app.
UI_BUSY_TIMEOUT_S = 0.1


class ReflectCoachApp(PausedCollector, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "reflectcoach"
    SUB_TITLE = "a reflection coach for mentoring"
    COMMANDS = App.COMMANDS | {ReflectCoachCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            priority=True,
            tooltip="Answers and drafts are kept",
        ),
        Binding("f1,question_mark", "help", "Help", id="help", tooltip="Keys on every screen"),
    ]

    def __init__(
        self,
        *,
        db_path: Path,
        script_dirs: Sequence[Path],
        start: str | None = None,
        mentorship: str | None = None,
        resume: str | None = None,
        screen: str = "home",
        settings: saved.UserSettings | None = None,
        key: Key | None = None,
        tryout: Tryout | None = None,
        watch: bool = False,
    ) -> None:
        super().__init__()
        keep_no_dead_widgets()
        # `reflectcoach try FILE`: that file's conversation, reloaded when it changes (--watch).
        self.tryout = tryout
        self.watch = watch
        # Home's stylesheet is read with the app's, in the one parse at start: as a screen
        # CSS_PATH (or a mode) it would cost two more full parses before the first frame.
        self.css_path = [*self.css_path, HOME_CSS]
        if self.css_monitor is not None:  # `textual run --dev` reads the watched paths
            self.css_monitor.add_paths([HOME_CSS])
        self.db_path = db_path
        # An encrypted database's key (store/key.py): given, found as the CLI finds it
        # (passphrase.py: fd, file, keyring) on first use, or typed on the unlock screen.
        self.key = key
        self._key_looked_for = key is not None
        self.script_dirs = list(script_dirs)
        self.initial = {
            "start": start,
            "mentorship": mentorship,
            "resume": resume,
            "screen": screen,
        }
        self._catalog: Catalog | None = None
        self._catalog_lock = threading.Lock()  # workers on two threads may ask at once
        self._store: Store | None = None
        # Every worker's store: one connection, opened on first use (app/workers.py).
        self.worker_store = WorkerStore(lambda: self.open_store(shared=True))
        self._initial_done = False
        self._stopped: str | None = None  # the line to print after a problem stopped the app
        self._painted = asyncio.Event()
        self._unlocked = asyncio.Event()  # the store can be opened: plaintext, or a key found
        self._toasts: list[Notice] = []  # notices shown as toasts, for a NoticeLine to take
        self.notices_said: list[Notice] = []
        # Tests fix the date so the default export path in snapshots does not change daily.
        self.today: Callable[[], dt.date] = clock.today
        # The pause that takes a lone pending digit (widgets/digits.py): None is Textual's own
        # `set_timer`; tests put a timer here that they fire by hand.
        self.digit_timer: Callable[[float, Callable[[], None]], Any] | None = None
        # None (tests, and anything not started from the command line) keeps them in memory.
        self.settings = settings if settings is not None else saved.UserSettings()
        theme = self.settings.get(saved.THEME)
        if theme and theme in self.available_themes:
            self.theme = theme

    def _handle_exception(self, error: Exception) -> None:
        """The last net: Textual calls this with any exception a handler, worker or timer
        lets out, then exits. Its own version prints a traceback with every frame's locals
        (answers among them); this one writes the traceback, without locals, to a private
        log file (crashlog.py) and keeps one line to print on exit. (Textual 8.2: the hook,
        `_exception`/`_exception_event` and `_close_messages_no_wait` are what its own uses.)"""
        from reflectcoach.core import crashlog

        self._return_code = 1
        if self._exception is None:  # as Textual does: run_test re-raises it for the tests
            self._exception = error
            self._exception_event.set()
        if self._stopped is None:  # the first problem is the one worth a log
            self._stopped = clean(crashlog.report(error))
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        # Called once the terminal is restored. Textual's own prints its exit renderables
        # wrapped and cropped to the terminal's width; the line naming the log is printed
        # whole (soft wrap: the terminal folds it, a copy gets the path in one piece), and
        # as plain text (error_console has no markup or highlighting).
        if self._stopped is not None:
            self.error_console.print(self._stopped, soft_wrap=True)
            self._stopped = None
        super()._print_error_renderables()

    def get_default_screen(self) -> Screen:
        # Home is the bottom of the stack: every other screen leaves back to it.
        return HomeScreen()

    def find_key(self) -> Key | None:
        """The key, looked for once without asking anyone (the unlock screen asks)."""
        if not self._key_looked_for:
            from reflectcoach.services.passphrase import key_for

            self.key = key_for(self.db_path, interactive=False)
            self._key_looked_for = True
        return self.key

    def open_store(self, *, busy_timeout: float | None = None, shared: bool = False) -> Store:
        """A connection of its own: the UI thread's (`main_store`), the workers' shared one
        (`worker_store`), or one for a worker that waits on a lock and must not hold the
        shared one meanwhile."""
        from reflectcoach.store import Store

        store = Store.open(
            self.db_path, busy_timeout=busy_timeout, key=self.find_key(), shared=shared
        )
        for notice in store.notices:  # workers open stores too: notify hops to the app's thread
            self.notify(clean(notice), title="Privacy", timeout=15, markup=False)
        return store

    def catalog(self, *, fresh: bool = False) -> Catalog:
        """The scripts, loaded once (call from a worker the first time: it parses YAML);
        `fresh` reads the folders again (call from a worker: a script may have been fixed)."""
        with self._catalog_lock:
            if self._catalog is None or fresh:
                from reflectcoach.script.registry import load_catalog

                self._catalog = load_catalog(self.script_dirs)
            return self._catalog

    @property
    def loaded_catalog(self) -> Catalog | None:
        """The catalog if a worker has loaded it already (never parses on the caller)."""
        return self._catalog

    def main_store(self) -> Store:
        """The Store conversations write through: opened on the main thread, kept open. Its
        writes wait at most UI_BUSY_TIMEOUT_S for a lock (DatabaseBusy after that)."""
        if self._store is None:
            self._store = self.open_store(busy_timeout=UI_BUSY_TIMEOUT_S)
        return self._store

    def on_ready(self) -> None:
        # Ready: the first frame is out. Work that waited for it (the home screen's loading)
        # may start, unless the app is already on its way out; for an encrypted database
        # without a key, once the unlock screen has one.
        self.collect_again()
        self._ask_key_if_needed()
        self._painted.set()
        # The method, not a coroutine made now: an app that ends first leaves none unawaited.
        self.run_worker(self._sync_after_first_paint, group="sync", exit_on_error=False)
        if self.settings.problem:
            self.notify(
                clean(self.settings.problem),
                title="Settings",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _ask_key_if_needed(self) -> None:
        from reflectcoach.store import StoreError
        from reflectcoach.store.files import looks_encrypted

        try:
            found = self.find_key()
        except StoreError as problem:  # a passphrase file that cannot be read: said, then asked
            self._key_looked_for = True
            self.notify(clean(str(problem)), title="Passphrase", severity="error", markup=False)
            found = None
        if found is not None or not looks_encrypted(self.db_path):
            self._unlocked.set()
            return
        from reflectcoach.app.screens.unlock import UnlockScreen
        from reflectcoach.services import remember

        def unlocked(key: Key | None) -> None:
            if key is not None:
                self.key = key
                self._unlocked.set()

        self.push_screen(UnlockScreen(keyring=remember.available()), unlocked)

    async def first_paint(self) -> bool:
        """Wait until the first frame is out (and an encrypted database is unlocked); False
        if the app is exiting by then (so no thread is worth starting: the process would
        wait for it)."""
        await self._painted.wait()
        await self._unlocked.wait()
        return not self._exit  # set by App.exit()

    # -- notices and quitting ----------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """In words (no Markdown backticks); in the screen's NoticeLine if it has one, where
        it covers nothing, else as a toast. Any thread may call it: a worker's notice (a store
        opened in a worker tightens a loose folder and says so) is shown by the app's own."""
        if self._thread_id and threading.get_ident() != self._thread_id:
            self.call_from_thread(
                self.notify, message, title=title, severity=severity, timeout=timeout, markup=markup
            )
            return
        message, title = in_words(message), in_words(title)
        seconds = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        notice = Notice(message, title, severity, time.monotonic() + seconds, markup)
        self.notices_said.append(notice)  # every notice, wherever shown (tests read it)
        try:
            lines = self.screen.query(NoticeLine)
        except ScreenStackError:  # before the first screen, or after the last
            lines = None
        if lines and not markup:
            lines.first().show(notice)
            if severity != "information":
                # A warning is still news to the screen that comes up next (a conversation
                # started at once over home): it takes it into its own line.
                self._toasts = [*(t for t in self._toasts if t.left > 0), notice]
            return
        self._toasts = [*(t for t in self._toasts if t.left > 0), notice]
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def take_notices(self) -> list[Notice]:
        """The notices still showing as toasts, which are cleared (for a NoticeLine)."""
        live = [t for t in self._toasts if t.left > 0]
        self._toasts = []
        self.clear_notifications()
        # A toast being mounted on the new screen right now (as it was pushed) is not there
        # yet for this clear to remove: clear once more after the next refresh, unless a
        # new toast came meanwhile.
        self.call_after_refresh(self._clear_stray_toasts)
        return live

    def _clear_stray_toasts(self) -> None:
        if not self._toasts:
            self.clear_notifications()

    async def action_quit(self) -> None:
        """ctrl+q: a screen with something at stake (a conversation) may ask first."""
        ask = getattr(self.screen, "confirm_quit", None)
        if ask is not None and not ask():
            return  # it asks, and quits itself if the person says so
        self.exit()

    # -- syncing with the person's other devices (sync/) ----------------------------------

    async def _sync_after_first_paint(self) -> None:
        """When syncing is set up: a sync in a thread once the first frame is out (home's
        speed budget stands), said in one notice."""
        if not await self.first_paint():
            return
        self.run_worker(self._sync_in_thread, thread=True, group="sync", exit_on_error=False)

    def _sync_in_thread(self) -> None:
        background.sync_in_thread(self)

    def _sync_on_quit(self) -> None:
        background.sync_on_quit(self)

    def on_unmount(self) -> None:
        self._sync_on_quit()
        self.worker_store.close()
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- settings --------------------------------------------------------------------------

    def remember(self, key: str, value: str | None) -> None:
        """Keep a choice for the next run; a failure to save is said, never raised."""
        problem = self.settings.set(key, value)
        if problem:
            self.notify(clean(problem), title="Settings", severity="warning", markup=False)

    def watch_theme(self, theme: str) -> None:
        # Chosen in the palette (or anywhere): the next start uses it too.
        self.remember(saved.THEME, theme)

    # -- screenshots -----------------------------------------------------------------------

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """The palette's Screenshot (and `action_screenshot`): app/screenshot.py's deliver."""
        from reflectcoach.app import screenshot  # only when a screenshot is taken

        return screenshot.deliver(self, filename, path, time_format)

    # -- what to open first ----------------------------------------------------------------

    def run_initial(self) -> None:
        """Open what the command line asked for, once the home screen has its data."""
        if self._initial_done:
            return
        self._initial_done = True
        start, resume, screen = (
            self.initial["start"],
            self.initial["resume"],
            self.initial["screen"],
        )
        if self.tryout is not None:
            self.open_tryout()
        elif start:
            self.open_conversation(script_id=start, mentorship=self.initial["mentorship"])
        elif resume is not None:
            self.open_conversation(resume=resume)
        elif screen == "review":
            self.run_worker(self.open_review(), exclusive=False)
        elif screen == "insights":
            self.action_insights()

    # -- conversations ---------------------------------------------------------------------

    def open_conversation(
        self,
        *,
        script_id: str | None = None,
        mentorship: str | None = None,
        resume: str | None = None,
        take_over: bool = False,
        closed_asked: bool = False,
    ) -> None:
        """Start `script_id` (for `mentorship`), or resume `resume` ("" = the latest in
        progress), and show it. Problems become a notification, never a crash; a
        conversation another session holds is offered to read or take over. A conversation
        started on a closed mentorship says so first: reopen it, or go on on its own."""
        from reflectcoach.app.screens.conversation import ConversationScreen
        from reflectcoach.engine.conversation import ResumeError
        from reflectcoach.services import session
        from reflectcoach.store import ConversationHeld, StoreError

        try:
            store = self.main_store()
            if resume is not None:
                running = session.resume(store, self.catalog(), resume or None, take_over=take_over)
            else:
                script = self.catalog().get(script_id or "")
                if script is None:
                    self.notify(
                        clean(
                            f"There is no script '{script_id}'. "
                            "The home screen lists the ones available."
                        ),
                        title="Unknown script",
                        severity="error",
                        markup=False,
                    )
                    return
                if not mentorship and not closed_asked and session.mentorship_bound(script):
                    self.ask_which(script.id, script.title)
                    return
                if mentorship and not closed_asked and not script.closes_mentorship:
                    found = store.mentorships.get(mentorship)
                    if found is not None and found.closed:
                        self.ask_if_closed(script.id, found.name, found.closed_at)
                        return
                running = session.start(store, script, mentorship, catalog=self.catalog())
        except ConversationHeld as held:
            self.offer_held(held)
            return
        except (ResumeError, StoreError) as problem:
            self.notify(clean(str(problem)), title="Cannot open", severity="error", markup=False)
            return
        if running.conversation.finished:
            from reflectcoach.app.screens.finished import FinishedScreen

            notice = running.conversation.notice
            if notice:  # the script changed and what still fits ends it (else: the screen says)
                self.notify(
                    clean(notice), title="Picked up with changes", severity="warning", markup=False
                )
            self.push_screen(FinishedScreen(running))
            return
        if running.took_from is not None:
            self.notify(
                clean(
                    f"This conversation was open in another session "
                    f"({running.took_from.describe()}); it is answered here now, and that "
                    "session can no longer save to it."
                ),
                title="Taken over",
                severity="warning",
                markup=False,
            )
        self.push_screen(ConversationScreen(running, resumed=resume is not None))

    def ask_which(self, script_id: str, title: str) -> None:
        asking.ask_which(self, script_id, title)

    def ask_if_closed(self, script_id: str, name: str, closed_at: str | None) -> None:
        asking.ask_if_closed(self, script_id, name, closed_at)

    def open_tryout(self) -> None:
        """The tried script's conversation; with --watch, the file looked at twice a second."""
        background.open_tryout(self)

    def offer_held(self, held: ConversationHeld) -> None:
        """Another session holds the conversation: read it, take it over, or leave it."""
        from reflectcoach.app.screens.held import HeldScreen
        from reflectcoach.app.screens.transcript import TranscriptScreen

        conversation_id = held.conversation_id

        def chosen(choice: str | None) -> None:
            if choice == "read":
                self.push_screen(TranscriptScreen(conversation_id))
            elif choice == "take":
                self.open_conversation(resume=conversation_id, take_over=True)

        self.push_screen(
            HeldScreen(
                f"{held} You can read it here, or take it over: the other session's next "
                "answer would then not be saved (nothing it saved already is lost)."
            ),
            chosen,
        )

    def start_script(self, script_id: str) -> None:
        """Start a script for whoever is chosen on the home screen (used by the palette)."""
        home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
        self.open_conversation(
            script_id=script_id, mentorship=home.starting_with() if home else None
        )

    # -- other screens ---------------------------------------------------------------------

    async def open_review(self, *, search: bool = False) -> None:
        """Push the review screen; `search` puts the focus in its search box."""
        from reflectcoach.app.screens.review import ReviewScreen

        screen = ReviewScreen()
        await self.push_screen(screen)
        if search:
            # After the screen's own mount has placed the focus (on its table).
            screen.call_after_refresh(screen.action_search)

    async def action_review(self) -> None:
        await self.open_review()

    async def action_search(self) -> None:
        await self.open_review(search=True)

    def open_mentorship(self, name: str | None) -> None:
        """The mentorship screen for `name`, or a word on how to choose one."""
        from reflectcoach.app.screens.mentorship import MentorshipScreen

        if not name or not name.strip():
            self.notify(
                "Choose a mentorship first: a conversation with one, or a name under Who.",
                markup=False,
            )
            return
        self.push_screen(MentorshipScreen(name))

    def open_brief(self, name: str | None) -> None:
        """The brief for `name`'s next meeting, or a word on how to choose a mentorship."""
        from reflectcoach.app.screens.brief import BriefScreen

        if not name or not name.strip():
            self.notify(
                "Choose a mentorship first: a conversation with one, or a name under Who.",
                markup=False,
            )
            return
        self.push_screen(BriefScreen(name))

    def add_note(self, name: str | None) -> None:
        """A talking point for `name`'s next meeting (the dialog), or a word on choosing."""
        from reflectcoach.app.screens.note import NoteScreen

        if not name or not name.strip():
            self.notify(
                "Choose a mentorship first: a conversation with one, or a name under Who.",
                markup=False,
            )
            return
        self.push_screen(NoteScreen(name))

    def open_partner(self, name: str) -> None:
        """The Partner screen of the mentorship `name`: sharing with the other person."""
        from reflectcoach.app.screens.partner import PartnerScreen

        self.push_screen(PartnerScreen(name))

    def open_commitments(self, mentorship: str | None = None) -> None:
        """The Commitments screen, on one mentorship's (or every one's) open commitments."""
        from reflectcoach.app.screens.commitments import CommitmentsScreen

        self.push_screen(CommitmentsScreen(mentorship))

    def follow_up(self, mentorship: str | None) -> None:
        """Start the conversation that follows `mentorship`'s commitments up (due.py picks
        it), as home starts any conversation; a word instead when no script does."""
        from reflectcoach.services.due import follow_up_script

        script_id = follow_up_script(self.catalog().scripts)
        if script_id is None:
            self.notify(
                "No script here follows commitments up (one with a follow_up step).",
                markup=False,
            )
            return
        self.open_conversation(script_id=script_id, mentorship=mentorship)

    def action_insights(self) -> None:
        from reflectcoach.app.screens.insights import InsightsScreen

        self.push_screen(InsightsScreen())

    def action_help(self) -> None:
        from reflectcoach.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            # Opened at the section of the screen it came from (or the one beneath a dialog).
            self.push_screen(HelpScreen([type(s) for s in reversed(self.screen_stack)]))

    def action_export_all(self) -> None:
        background.ask_export_all(self)

    @work(thread=True, exclusive=True, group="export-all")
    def export_all(self, target: Path) -> None:
        background.export_all(self, target)
