"""Home: choose who this is about, pick a conversation to start, or one to pick up again.

Imports only Textual and the standard library (and `reflectcoach.text`, which is pure
standard library), and its first frame is only the header and footer, so the first paint is
as quick as a bare Textual app's. Right after it, the fields and lists are mounted while the
scripts (YAML) and the store (SQLite) load in a thread, then the lists fill in.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from reflectcoach import settings
from reflectcoach.app.widgets.due_list import DueList
from reflectcoach.app.widgets.script_problems import ScriptProblems
from reflectcoach.text import clean

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

    def prompt(self) -> Content:
        return Content.assemble(
            (clean(self.title), "bold"),
            (f"  {AUDIENCE.get(self.audience, 'for ' + clean(self.audience))}", "$text-muted"),
            "\n",
            (f"  {clean(self.summary)}", "$text-muted"),
        )


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
        Binding("r", "app.review", "Review", id="review", tooltip="Browse past conversations"),
        Binding("i", "app.insights", "Insights", id="insights", tooltip="Trends over time"),
        Binding("q", "app.quit", "Quit", id="quit-home", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[ScriptEntry] = []
        self.shown: list[ScriptEntry] = []
        self.running: list[RunningEntry] = []
        self.built = False
        self.loaded = False
        # Some script had errors: read the folders again each time home is back, so the
        # list of problems goes as soon as the file is fixed.
        self.scripts_broken = False

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        # The first frame is only the frame: the fields and lists are mounted right after it
        # (`build`), while the scripts and the store load, so the app shows up as soon as a
        # bare Textual app does.
        yield Header()
        yield Vertical(id="home")
        yield Footer()

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

    async def build(self) -> None:
        if self.built:
            return
        self.built = True
        await self.query_one("#home").mount_all(self.form())
        if self.focused is None:  # what AUTO_FOCUS does for a screen composed whole
            self.query_one("#scripts").focus()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # Coming back, Textual gives the focus to whatever had it: after a script was started
        # from the filter that is the filter, where `c` or `r` would be typed as letters and
        # the footer loses the lists' keys. The lists are where home's keys work.
        if isinstance(self.focused, Input):
            self.query("#scripts").focus()  # nothing to focus before `build`
        # Back from a conversation: the in-progress list and the names may have changed.
        if self.loaded:
            self.load()

    # -- loading ---------------------------------------------------------------------------

    @work(exclusive=True, group="home-load")
    async def load(self) -> None:
        """Once the first frame is out: read the scripts and the store in a thread, mount
        the form meanwhile, then fill the lists.

        Started on mount, so waiting for workers covers it; the thread starts after the
        first paint, so it neither slows that frame nor (when the app quits right away)
        holds up the exit: asyncio waits for executor threads at shutdown."""
        if not await self.rc_app.first_paint():
            return
        reading = asyncio.get_running_loop().run_in_executor(None, self.read)
        await self.build()
        data = await reading
        self.fill(*data)

    def read(
        self,
    ) -> tuple[list[ScriptEntry], list[str], list[RunningEntry], str | None, list[Any]]:
        """The catalog and the store's in-progress conversations (in a thread: blocking)."""
        from reflectcoach.app.widgets.review_format import day
        from reflectcoach.store import StoreError

        app = self.rc_app
        catalog = app.catalog(fresh=self.scripts_broken)
        scripts = [
            ScriptEntry(s.id, s.title, s.summary, str(s.audience)) for s in catalog.scripts.values()
        ]
        problem: str | None = None
        names: list[str] = []
        running: list[RunningEntry] = []
        try:
            with app.open_store() as store:
                names = store.mentorships()
                rows = store.conversations(status="in_progress", by="updated_at", limit=50)
        except StoreError as error:
            problem = str(error)
        else:
            running = [
                RunningEntry(
                    row["id"],
                    row["title"],
                    row["mentorship"],
                    row["answer_count"],
                    day(row["updated_at"]),  # local, as review shows it
                )
                for row in rows
            ]
        diagnostics = list(catalog.diagnostics)
        return scripts, names, running, problem, diagnostics

    def fill(
        self,
        scripts: list[ScriptEntry],
        names: list[str],
        running: list[RunningEntry],
        problem: str | None,
        diagnostics: list[Any],
    ) -> None:
        first = not self.loaded
        self.loaded = True
        self.scripts = scripts
        self.running = running
        self.query_one("#mentorship", Input).suggester = SuggestFromList(
            names, case_sensitive=False
        )
        self.scripts_broken = any(d.severity == "error" for d in diagnostics)
        self.query_one(ScriptProblems).show(diagnostics)
        self.show_scripts()
        self.show_running()
        self.query_one(DueList).load()
        if problem:
            self.notify(clean(problem), title="Database", severity="error", markup=False)
        if first and diagnostics:
            self.warn_about(diagnostics)
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
        listing.set_options(Option(s.prompt(), id=s.id) for s in self.shown)
        if not self.shown:
            listing.add_option(Option(Content("No script matches the filter."), disabled=True))
            return
        ids = [s.id for s in self.shown]
        listing.highlighted = ids.index(keep) if keep in ids else 0

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
        found = self.query("#mentorship").results(Input)  # none before `build`
        who = next(found, None)
        return (who.value.strip() or None) if who is not None else None

    def starting_with(self) -> str | None:
        """Who a conversation started now is about, kept as the next start's default."""
        who = self.mentorship
        if self.built:
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
        self.query("#filter").focus()  # nothing to focus before `build`

    def action_focus_who(self) -> None:
        self.query("#mentorship").focus()

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
            with self.rc_app.open_store() as store:
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
