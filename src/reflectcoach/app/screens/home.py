"""Home: choose who this is about, pick a conversation to start, or one to pick up again.

Imports only Textual and the standard library (and `reflectcoach.core.text`, which is pure
standard library). It is composed once, whole: the fields and lists are in the first frame,
already filled from caches (the script index, a read-only stdlib sqlite3 query: a few ms),
so home is usable with its first frame and Textual styles and lays it out once, not a frame
and then a form mounted into it. Once that frame is out, the catalog (YAML) and the Store
(sqlite-utils) load in a thread and refresh the lists if they differ (`HomeScreen.load`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key, Resize
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from reflectcoach.app.notices import NoticeLine, take_warnings
from reflectcoach.app.widgets.content import balanced
from reflectcoach.app.widgets.due_list import DueList
from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.script_problems import ScriptProblems
from reflectcoach.core import settings
from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp

AUDIENCE = {"mentee": "for mentees", "mentor": "for mentors", "anyone": "for anyone"}


@dataclass(frozen=True, slots=True)
class ScriptEntry:
    id: str
    title: str
    summary: str
    audience: str

    def matches(self, words: list[str]) -> bool:
        haystack = f"{self.title} {self.summary} {self.id} {self.audience}".casefold()
        return all(word in haystack for word in words)

    def prompt(self, width: int = 0) -> Content:
        """The title, then the summary indented under it: wrapped here, at `width` (the
        list's), so its later lines keep the indent and the lines come out even, with no
        word left alone on the last one. 0: one line, wrapped by the list."""
        summary = clean(self.summary)
        lines = balanced(summary, width - SUMMARY_INDENT) if width > 20 else [summary]
        indent = " " * SUMMARY_INDENT
        return Content.assemble(
            (clean(self.title), "bold"),
            (f"  {AUDIENCE.get(self.audience, 'for ' + clean(self.audience))}", "$text-muted"),
            "\n",
            ("\n".join(indent + line for line in lines), "$text-muted"),
        )


SUMMARY_INDENT = 2
SCRIPTS_MARGIN = 6  # the screen's width less the scripts list's content width (home.tcss)


@dataclass(frozen=True, slots=True)
class RunningEntry:
    """A conversation in progress."""

    id: str
    title: str
    mentorship: str | None
    answered: int
    updated: str  # YYYY-MM-DD

    def prompt(self) -> Content:
        who = f" · with {clean(self.mentorship)}" if self.mentorship else ""
        plural = "" if self.answered == 1 else "s"
        return Content.assemble(
            (clean(self.title), "bold"),
            who,
            (f" · {self.answered} answer{plural} so far · updated {self.updated}", "$text-muted"),
        )


def running_entry(row: Any) -> RunningEntry:
    """A row of `Store.conversations` (or `peek.home_lists`) as home lists it."""
    from reflectcoach.app.widgets.review_format import day

    return RunningEntry(
        row["id"],
        row["title"],
        row["mentorship"],
        row["answer_count"],
        day(row["updated_at"]),  # local, as review shows it
    )


@dataclass(slots=True)
class HomeData:
    """What home's lists show; each list home gains is a field here, read in both reads."""

    scripts: list[ScriptEntry]
    names: list[str] = field(default_factory=list)
    running: list[RunningEntry] = field(default_factory=list)
    problem: str | None = None  # the database could not be read: said in a notice
    diagnostics: list[Any] = field(default_factory=list)  # the catalog's
    due: list[Any] = field(default_factory=list)  # due.DueLine: read with the full read only


class HomeScreen(Screen[None]):
    # No CSS_PATH: the app reads home.tcss with its own stylesheet (see ReflectCoachApp), so
    # the first screen costs no second CSS parse.
    AUTO_FOCUS = "#scripts"
    BINDINGS: ClassVar[list[BindingType]] = [
        # The two fields' placeholders show their keys, which leaves room in an 80-column
        # footer for the keys that act on the lists.
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            id="filter",
            tooltip="Type to narrow the list",
            show=False,
        ),
        Binding(
            "w",
            "focus_who",
            "Who",
            id="who",
            tooltip="Who is this conversation about?",
            show=False,
        ),
        Binding("c", "continue", "Continue", id="continue", tooltip="Resume the highlighted one"),
        Binding(
            "x",
            "set_aside",
            "Set aside",
            id="set-aside",
            tooltip="Off this list; it stays in review",
        ),
        Binding(
            "m",
            "mentorship",
            "Mentorship",
            id="mentorship-open",
            tooltip="This conversation's mentorship (or Who's) whole",
            show=False,  # the footer is full at 80 columns; help lists it
        ),
        Binding(
            "f",
            "follow_up",
            "Follow up",
            id="follow-up",
            tooltip="Check in on the due list's mentorship",
            show=False,
        ),
        Binding(
            "k",
            "commitments",
            "Commitments",
            id="commitments",
            tooltip="Mark what is due (done, not yet...)",
            show=False,
        ),
        Binding(
            "b",
            "brief",
            "Brief",
            id="brief",
            tooltip="One page for the next meeting of this mentorship",
            show=False,
        ),
        Binding(
            "n",
            "note",
            "Note",
            id="note",
            tooltip="A talking point for this mentorship's next meeting",
            show=False,
        ),
        Binding("r", "app.review", "Review", id="review", tooltip="Browse past conversations"),
        Binding("i", "app.insights", "Insights", id="insights", tooltip="Trends over time"),
        Binding("q", "app.quit", "Quit", id="quit-home", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[ScriptEntry] = []
        self.shown: list[ScriptEntry] = []
        self._summary_width = 0  # the width the summaries were wrapped at
        self._resized_width = -1  # the screen's width at its last resize
        self.running: list[RunningEntry] = []
        self.quick: HomeData | None = None  # the caches' lists, read in compose
        self.read_mark: object = None  # the file and the day the full read saw (`read`)
        self.shown_once = False  # the lists were drawn from some data (quick or full)
        self.loaded = False  # ... from the catalog and the Store (not only caches)
        # Some script had errors: read the folders again each time home is back, so the
        # list of problems goes as soon as the file is fixed.
        self.scripts_broken = False

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        # Composed once, filled: what the caches vouch for is read here, on the UI thread
        # (no thread may start before the first paint: asyncio waits for them at exit).
        self.quick = self.quick_read()
        if self.quick is not None:
            # Before the footer composes: `check_action` shows Continue and Set aside by it.
            self.running = self.quick.running
        yield Header()
        yield Vertical(*self.form(), id="home")
        yield NoticeLine()  # notices here, not as toasts over the lists
        # Its keys in the first frame, with the lists: home is usable from that frame.
        yield KeysFooter(at_once=True)

    def form(self) -> list[Widget]:
        """The fields and lists inside #home."""
        who = Input(
            # Whoever the last conversation started here was about: usually the next one is.
            self.rc_app.settings.get(settings.MENTORSHIP) or "",
            placeholder="nobody in particular, or type a name (w)",
            id="mentorship",
            compact=True,
            max_length=200,
        )
        narrow = Input(placeholder="type to narrow the scripts (/)", id="filter", compact=True)
        if self.app.is_headless:
            who.cursor_blink = narrow.cursor_blink = False
        scripts = OptionList(
            Option(Content("Loading the scripts…"), disabled=True), id="scripts", markup=False
        )
        running = OptionList(id="running", markup=False)
        running.display = False
        nothing = Static(
            Content("Nothing in progress."), id="no-running", classes="empty", markup=False
        )
        nothing.display = False
        return [
            Horizontal(Label("Who is this about?", classes="field-label"), who, classes="field"),
            Horizontal(Label("Filter", classes="field-label"), narrow, classes="field"),
            ScriptProblems(id="script-problems"),
            DueList(id="due"),
            Label("Start a conversation (Enter)", classes="section"),
            scripts,
            Label("Pick up where you left off (c)", classes="section", id="running-label"),
            running,
            nothing,
        ]

    def on_mount(self) -> None:
        if self.quick is not None:
            self.fill(self.quick)
        self.load()

    def on_screen_resume(self) -> None:
        take_warnings(self)
        # Coming back, Textual gives the focus to whatever had it: after a script was started
        # from the filter that is the filter, where `c` or `r` would be typed as letters and
        # the footer loses the lists' keys. The lists are where home's keys work.
        if isinstance(self.focused, Input):
            self.query_one("#scripts").focus()
        # Back from a conversation: the in-progress list and the names may have changed.
        # (The full read is skipped when nothing was written since: `read`.)
        if self.loaded:
            self.load()

    # -- loading ---------------------------------------------------------------------------

    @work(exclusive=True, group="home-load")
    async def load(self) -> None:
        """Once the first frame is out, read everything properly and refresh the lists if
        that changed anything.

        The first frame is filled from what needs neither YAML nor sqlite-utils
        (`quick_read`, in `compose`): the script index's cached listing and a read-only
        stdlib sqlite3 query (`store.peek`). The full read (`read`: catalog, Store.open with
        its checks and notices, the due list) waits until that frame is out, so its imports
        do not hold the GIL while home paints; it also leaves the catalog and the Store
        modules loaded for the first conversation. Started on mount, so waiting for workers
        covers it; no thread starts before the first paint (asyncio waits for executor
        threads at shutdown)."""
        if not await self.rc_app.first_paint():
            return
        if self.shown_once:
            await self.painted()  # home as it is drawn before the read holds the GIL
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(None, self.read)
        if data is not None:
            self.fill(data, full=True)

    async def painted(self) -> None:
        """Until the frame with the latest changes has been drawn."""
        drawn = asyncio.Event()
        self.call_after_refresh(drawn.set)
        await drawn.wait()

    def quick_read(self) -> HomeData | None:
        """The lists from caches alone, or None if a cache cannot vouch for them (in a thread)."""
        from reflectcoach.script import index
        from reflectcoach.store import peek

        app = self.rc_app
        if self.scripts_broken:
            return None
        listing = index.cached_listing(app.script_dirs)
        if listing is None:
            return None
        lists = peek.home_lists(app.db_path)
        if lists is None:
            return None
        names, rows = lists
        scripts = [ScriptEntry(s["id"], s["title"], s["summary"], s["audience"]) for s in listing]
        return HomeData(scripts, names, [running_entry(row) for row in rows])

    def read(self) -> HomeData | None:
        """The catalog and the store's in-progress conversations (in a thread: blocking);
        None when what home shows was read from the file as it still is, on the same day
        (a return to home after reading alone: its lists stay, nothing competes with the
        next key)."""
        from reflectcoach.script import index
        from reflectcoach.services.due import PER_MENTORSHIP, due_lines, nudge_lines
        from reflectcoach.store import StoreError
        from reflectcoach.store.nudges import nudges

        app = self.rc_app
        fresh = self.scripts_broken or index.cached_listing(app.script_dirs) is None
        catalog = app.catalog(fresh=self.scripts_broken)
        if fresh:  # so that the next start fills home from the index
            index.remember(app.script_dirs, catalog)
        scripts = [
            ScriptEntry(s.id, s.title, s.summary, str(s.audience)) for s in catalog.scripts.values()
        ]
        data = HomeData(scripts, diagnostics=list(catalog.diagnostics))
        try:
            with app.worker_store() as store:
                today = app.today()
                # Taken before reading: a commit while this reads makes the next visit
                # read again.
                mark = (store, store.change_mark(), today)  # marks of one connection
                if not fresh and mark == self.read_mark and data.scripts == self.scripts:
                    return None
                data.names = store.mentorships.names()
                rows = store.conversations(status="in_progress", by="updated_at", limit=50)
                data.due = due_lines(store.commitments.due_soon(today, PER_MENTORSHIP), today)
                data.due += nudge_lines(nudges(store.db, today))
                self.read_mark = mark
        except StoreError as error:
            data.problem = str(error)
        else:
            data.running = [running_entry(row) for row in rows]
        return data

    def fill(self, data: HomeData, *, full: bool = False) -> None:
        """Show `data`; `full` once it comes from the catalog and the Store themselves."""
        first = full and not self.loaded
        self.loaded = self.loaded or full
        self.query_one("#mentorship", Input).suggester = SuggestFromList(
            data.names, case_sensitive=False
        )
        self.scripts_broken = any(d.severity == "error" for d in data.diagnostics)
        self.query_one(ScriptProblems).show(data.diagnostics)
        if data.scripts != self.scripts or not self.shown_once:
            self.scripts = data.scripts
            self.show_scripts()
        if data.running != self.running or not self.shown_once:
            self.running = data.running
            self.show_running()
        self.shown_once = True
        if full:  # the quick fill does not read commitments (store/peek.py reads no more)
            self.query_one(DueList).show(data.due)
        if data.problem:
            self.notify(clean(data.problem), title="Database", severity="error", markup=False)
        if first and data.diagnostics:
            self.warn_about(data.diagnostics)
        if first:
            self.rc_app.run_initial()

    def warn_about(self, diagnostics: list[Any]) -> None:
        files = {d.path for d in diagnostics}
        count = len(files)
        self.notify(
            f"{count} script file{'s' if count != 1 else ''} had problems and "
            f"{'were' if count != 1 else 'was'} skipped or loaded with warnings. "
            "Run reflectcoach validate on your scripts folder to see them.",
            title="Scripts",
            severity="warning",
            markup=False,
        )

    # -- lists -----------------------------------------------------------------------------

    def show_scripts(self) -> None:
        words = self.query_one("#filter", Input).value.casefold().split()
        listing = self.query_one("#scripts", OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        self.shown = [s for s in self.scripts if s.matches(words)]
        # The list's width less its padding and a scrollbar's room: the summary's lines.
        # Before the first layout (the fill in the first frame) the list is as wide as the
        # screen less home's padding and the list's own (SCRIPTS_MARGIN), so the first frame
        # is wrapped right and not laid out a second time; `_rewrap` checks it once laid out.
        laid_out = listing.content_size.width
        width = (laid_out or self.app.size.width - SCRIPTS_MARGIN) - 2
        self._summary_width = width
        listing.set_options(Option(s.prompt(width), id=s.id) for s in self.shown)
        if width <= 20:
            self.call_after_refresh(self._rewrap)  # not laid out yet
        if not self.shown:
            listing.add_option(Option(Content("No script matches the filter."), disabled=True))
            return
        ids = [s.id for s in self.shown]
        listing.highlighted = ids.index(keep) if keep in ids else 0

    def on_resize(self, event: Resize) -> None:
        # Only a new width can change how the summaries wrap. A height that alternates (when
        # Textual and Rich disagree on the terminal's size: 80x24 and 80x25 with no terminal)
        # would otherwise rewrap, show or hide the list's scrollbar and resize again, for ever.
        if event.size.width != self._resized_width:
            self._resized_width = event.size.width
            self.call_after_refresh(self._rewrap)

    def _rewrap(self) -> None:
        """The summaries again when the list's width changed (laid out, or resized)."""
        found = self.query("#scripts")
        if not found or not self.shown:
            return
        width = found.first(OptionList).content_size.width - 2
        if width > 20 and width != self._summary_width:
            self.show_scripts()

    def show_running(self) -> None:
        listing = self.query_one("#running", OptionList)
        listing.set_options(Option(r.prompt(), id=r.id) for r in self.running)
        listing.display = bool(self.running)
        self.query_one("#no-running").display = not self.running
        if self.running:
            listing.highlighted = 0
        self.refresh_bindings()

    @property
    def mentorship(self) -> str | None:
        return self.query_one("#mentorship", Input).value.strip() or None

    def starting_with(self) -> str | None:
        """Who a conversation started now is about, kept as the next start's default."""
        who = self.mentorship
        self.rc_app.remember(settings.MENTORSHIP, who)
        return who

    # -- acting ----------------------------------------------------------------------------

    def start_highlighted(self) -> None:
        option = self.query_one("#scripts", OptionList).highlighted_option
        if option is None or option.id is None:
            self.notify("Pick a script first.", markup=False)
            return
        self.rc_app.open_conversation(script_id=option.id, mentorship=self.starting_with())

    @on(OptionList.OptionSelected, "#scripts")
    def _script_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.start_highlighted()

    @on(OptionList.OptionSelected, "#running")
    def _running_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.rc_app.open_conversation(resume=event.option.id)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.show_scripts()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.start_highlighted()

    @on(Input.Submitted, "#mentorship")
    def _who_submitted(self) -> None:
        self.query_one("#scripts").focus()

    def on_key(self, event: Key) -> None:
        focused = self.focused
        if not isinstance(focused, Input):
            return
        if event.key == "escape":
            # Escape leaves the field, like leaving a screen, and takes the list with it.
            event.stop()
            if focused.id == "filter":
                focused.value = ""
            self.query_one("#scripts").focus()
        elif focused.id == "filter" and event.key in ("down", "up"):
            # Keep typing while moving through the list, as in a fuzzy finder.
            event.stop()
            listing = self.query_one("#scripts", OptionList)
            if event.key == "down":
                listing.action_cursor_down()
            else:
                listing.action_cursor_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("continue", "set_aside"):
            return bool(self.running)
        return True

    def action_focus_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_focus_who(self) -> None:
        self.query_one("#mentorship").focus()

    def action_continue(self) -> None:
        option = self.query_one("#running", OptionList).highlighted_option
        if option is not None and option.id:
            self.rc_app.open_conversation(resume=option.id)

    def action_mentorship(self) -> None:
        """The resume list's highlighted conversation's mentorship when the list has the
        focus, else the name typed under Who."""
        listing = self.query("#running").results(OptionList)
        running = next(listing, None)
        if running is not None and running.has_focus and running.highlighted is not None:
            entry = self.running[running.highlighted]
            if entry.mentorship:
                self.rc_app.open_mentorship(entry.mentorship)
                return
        self.rc_app.open_mentorship(self.mentorship)

    def chosen_mentorship(self) -> str | None:
        """The resume list's highlighted conversation's mentorship when the list has the
        focus, else the name under Who, else the due list's highlighted one."""
        running = next(self.query("#running").results(OptionList), None)
        if running is not None and running.has_focus and running.highlighted is not None:
            entry = self.running[running.highlighted]
            if entry.mentorship:
                return entry.mentorship
        if self.mentorship:
            return self.mentorship
        due = next(self.query(DueList).results(DueList), None)
        line = due.chosen() if due is not None else None
        return line.mentorship if line is not None else None

    def action_brief(self) -> None:
        self.rc_app.open_brief(self.chosen_mentorship())

    def action_note(self) -> None:
        self.rc_app.add_note(self.chosen_mentorship())

    def action_follow_up(self) -> None:
        due = next(self.query(DueList).results(DueList), None)
        line = due.chosen() if due is not None else None
        if line is None:
            self.notify("Nothing is due: no commitment to follow up.", markup=False)
        else:
            self.rc_app.follow_up(line.mentorship)

    def action_commitments(self) -> None:
        due = next(self.query(DueList).results(DueList), None)
        line = due.chosen() if due is not None else None
        self.rc_app.open_commitments(line.mentorship if line is not None else None)

    def action_set_aside(self) -> None:
        option = self.query_one("#running", OptionList).highlighted_option
        if option is not None and option.id:
            self.set_aside(option.id)

    @work(thread=True, group="home-set-aside")
    def set_aside(self, conversation_id: str) -> None:
        """Mark it abandoned: off the resume list, still in review, and resumable from there."""
        from reflectcoach.store import StoreError

        try:
            with self.rc_app.worker_store() as store:
                store.set_status(conversation_id, "abandoned")
        except StoreError as problem:
            self.app.call_from_thread(
                self.notify, clean(str(problem)), severity="error", markup=False
            )
            return
        self.app.call_from_thread(
            self.notify,
            "Set aside. It stays in review, where c takes it up again (or, in a terminal, "
            f"reflectcoach resume {conversation_id}).",
            title="Conversation set aside",
            markup=False,
        )
        self.app.call_from_thread(self.load)
