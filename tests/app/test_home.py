"""The home screen: scripts, the filter, who it is about, in-progress ones, what opens first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import Input, OptionList
from textual.widgets._footer import FooterKey

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.home import HomeData, HomeScreen
from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.store import Store


def option_ids(listing: OptionList) -> list[str | None]:
    return [listing.get_option_at_index(i).id for i in range(listing.option_count)]


async def test_lists_every_builtin_script(make_app, drive) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        scripts = screen.query_one("#scripts", OptionList)
        assert option_ids(scripts) == list(load_catalog([builtin_dir()]).scripts)
        assert scripts.has_focus
        assert screen.query_one("#no-running").display
        assert not screen.query_one("#running").display
        assert screen.check_action("continue", ()) is False
        first = str(scripts.get_option_at_index(0).prompt)
        assert "for " in first  # the audience, in words


async def test_filter_narrows_and_enter_starts(fixture_app, drive, fixture_dir, db_path) -> None:
    app = ReflectCoachApp(db_path=db_path, script_dirs=[builtin_dir(), fixture_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("slash")
        assert app.screen.query_one("#filter", Input).has_focus
        await pilot.press(*"kind of")
        await d.settle()
        assert option_ids(app.screen.query_one("#scripts", OptionList)) == ["every_type"]
        await pilot.press("enter")
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.script.id == "every_type"


async def test_filter_with_no_match_and_escape(make_app, drive) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        field = app.screen.query_one("#filter", Input)
        field.focus()
        field.value = "[bold]zzz nothing"
        await d.settle()
        scripts = app.screen.query_one("#scripts", OptionList)
        assert scripts.option_count == 1 and scripts.get_option_at_index(0).disabled
        await pilot.press("enter")  # nothing to start: a note, not a crash
        await d.settle()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("escape")
        assert field.value == "" and scripts.has_focus
        assert scripts.option_count == len(load_catalog([builtin_dir()]).scripts)


async def test_mentorship_typed_and_suggested(fixture_app, drive, seed, db_path) -> None:
    seed("every_type", "Alexandra")
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("w")
        who = app.screen.query_one("#mentorship", Input)
        assert who.has_focus
        await pilot.press(*"ale")
        await d.settle()
        assert who._suggestion == "Alexandra"  # the existing name, offered
        await pilot.press("right", "enter")  # accept the suggestion, back to the list
        await d.settle()
        assert who.value == "Alexandra"
        assert app.screen.query_one("#scripts").has_focus
        await pilot.press("enter")
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        await d.answer_default()  # one answer: a conversation left empty is not kept
    with Store.open(db_path) as store:
        assert [c["mentorship"] for c in store.conversations()] == ["Alexandra", "Alexandra"]


async def test_in_progress_listed_and_resumed(fixture_app, drive, seed) -> None:
    older = seed("every_type", "Sam", answers=1)
    newer = seed("every_type", None, answers=3)
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        running = app.screen.query_one("#running", OptionList)
        assert set(option_ids(running)) == {older, newer}
        prompts = {
            running.get_option_at_index(i).id: str(running.get_option_at_index(i).prompt)
            for i in range(2)
        }
        assert "with Sam · 1 answer so far · updated 2026-03-14" in prompts[older]
        assert "3 answers so far" in prompts[newer] and "with" not in prompts[newer]
        running.focus()
        running.highlighted = option_ids(running).index(older)
        await pilot.press("enter")
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.id == older


@pytest.mark.plaintext  # the quick fill (store/peek.py) reads plaintext files only
async def test_the_quick_fill_shows_what_the_full_read_finds(fixture_app, drive, seed) -> None:
    # Home's first fill comes from the script index and store/peek.py; the full read (catalog,
    # Store) follows. Both must show the same lists, and the app keeps the index current.
    from reflectcoach.script import index

    seed("every_type", "Sam", answers=1)
    seed("every_type", None, answers=3)
    app = fixture_app()
    assert index.cached_listing(app.script_dirs) is None
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        screen = app.screen
        assert isinstance(screen, HomeScreen) and screen.loaded
        assert index.cached_listing(app.script_dirs) is not None  # written by the full read
        # The quick fill is for a start, before any connection: with the workers' store
        # closed the file is clean again, as it is when the app starts.
        app.worker_store.close()
        quick = screen.quick_read()
        full = screen.read()
    assert quick is not None
    assert (quick.scripts, quick.names, quick.running) == (full.scripts, full.names, full.running)
    assert len(quick.running) == 2 and quick.names == ["Sam"]


async def test_initial_start_opens_over_home(fixture_app, drive) -> None:
    app = fixture_app(start="every_type", mentorship="Kim")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.session.mentorship == "Kim"
        assert [type(s) for s in app.screen_stack] == [HomeScreen, ConversationScreen]
        await pilot.press("escape")
        await d.settle()
        assert isinstance(app.screen, HomeScreen)


async def test_initial_unknown_script_stays_home(fixture_app, drive) -> None:
    app = fixture_app(start="no_such_script")
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        assert isinstance(app.screen, HomeScreen)
        assert any("no_such_script" in n.message for n in app.notices_said)


async def test_initial_review_and_keys_r_i(fixture_app, drive) -> None:
    review = pytest.importorskip("reflectcoach.app.screens.review")
    app = fixture_app(screen="review")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert isinstance(app.screen, review.ReviewScreen)
        app.pop_screen()
        await d.settle()
        await pilot.press("r")
        await d.settle()
        assert isinstance(app.screen, review.ReviewScreen)
        app.pop_screen()
        await d.settle()
        await pilot.press("i")
        await d.settle()
        from reflectcoach.app.screens.insights import InsightsScreen

        assert isinstance(app.screen, InsightsScreen)


async def test_broken_user_script_warns_once(make_app, drive, tmp_path: Path) -> None:
    mine = tmp_path / "scripts"
    mine.mkdir()
    (mine / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    (mine / "also.yaml").write_text("steps: 3\n", encoding="utf-8")
    app = make_app(extra=[mine])
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        warnings = [n for n in app.notices_said if n.severity == "warning"]
        assert len(warnings) == 1
        assert "2 script files had problems" in warnings[0].message
        assert "reflectcoach validate" in warnings[0].message


async def test_database_problem_is_a_notification(tmp_path: Path, drive) -> None:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()  # a folder where the database file should be
    app = ReflectCoachApp(db_path=folder, script_dirs=[builtin_dir()])
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        assert isinstance(app.screen, HomeScreen)
        assert any(n.severity == "error" for n in app.notices_said)
        assert app.screen.query_one("#scripts", OptionList).option_count > 0


async def test_command_palette_starts_a_script(fixture_app, drive) -> None:
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.palette("Start: every")
        await d.wait_for(
            lambda: isinstance(app.screen, ConversationScreen), "the conversation to open"
        )


async def test_command_palette_lists_app_and_system_commands(fixture_app, drive) -> None:
    from textual.command import CommandList

    from reflectcoach.app.screens.help import HelpScreen

    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("ctrl+p", *"theme")

        def offered() -> list[str]:
            lists = app.screen.query(CommandList)
            if not lists:
                return []
            commands = lists.first()
            return [
                str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
            ]

        # Textual's own theme switcher is still there beside ours.
        await d.wait_for(lambda: any("Theme" in p for p in offered()), "the theme command")
        await pilot.press("escape")
        await d.settle()
        await d.palette("help")
        await d.wait_for(lambda: isinstance(app.screen, HelpScreen), "the help screen")


def test_first_paint_imports_no_yaml_sqlite_or_engine() -> None:
    code = (
        "import sys, reflectcoach.app.app\n"
        "heavy = ['yaml', 'sqlite_utils', 'transitions', 'reflectcoach.engine.conversation',\n"
        "         'reflectcoach.store', 'reflectcoach.script.registry']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_command_palette_search_opens_review_search(fixture_app, drive, seed) -> None:
    from reflectcoach.app.screens import review

    seed("every_type", "Alex", answers=2)  # an empty review has no search box
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.palette("search answers")
        await d.wait_for(
            lambda: isinstance(app.screen, review.ReviewScreen) and isinstance(app.focused, Input),
            "review open with its search box focused",
        )


async def test_command_palette_exports_everything(
    fixture_app, drive, seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    seed("every_type", "Alex", answers=2)
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.palette("export all")
        target = tmp_path / "reflectcoach-export-2026-03-14.md"
        await d.wait_for(
            lambda: any(str(target) in n.message for n in app.notices_said), "the export"
        )
        assert "Robin" not in target.read_text(encoding="utf-8")  # defaults were answered
        assert "A short answer" in target.read_text(encoding="utf-8")
        assert any(str(target) in n.message for n in app.notices_said)


# -- the first frame ---------------------------------------------------------------------


def app_class(base: type[ReflectCoachApp] = ReflectCoachApp) -> type[ReflectCoachApp]:
    """A subclass for a test: Textual resolves CSS_PATH against the subclass's file."""
    from textual.app import App

    css = Path(sys.modules[base.__module__].__file__ or "").parent / str(base.CSS_PATH)
    assert issubclass(base, App)
    return type("TestApp", (base,), {"CSS_PATH": str(css)})


async def test_first_frame_is_home_composed_once_and_loading_starts_after_it(
    fixture_dir: Path, db_path: Path, drive
) -> None:
    # No cache yet (a first start): the first frame is the whole form, the scripts list
    # saying it is loading; the catalog is read only after that frame.
    seen: dict[str, object] = {}

    class FirstFrame(app_class()):  # type: ignore[misc]
        def on_ready(self) -> None:  # runs before the app's own on_ready
            home = self.screen
            assert isinstance(home, HomeScreen)
            seen["fields"] = [w.id for w in home.query("#home Input")]
            seen["lists"] = [w.id for w in home.query("#home OptionList")]
            seen["catalog"] = self.loaded_catalog
            seen["continue"] = home.check_action("continue", ())
            seen["keys"] = drawn_keys(home)

    app = FirstFrame(db_path=db_path, script_dirs=[fixture_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        assert seen == {
            "fields": ["mentorship", "filter"],
            "lists": ["due-list", "scripts", "running"],
            "catalog": None,
            "continue": False,
            # The footer's keys are in that frame too (nothing in progress: no Continue).
            "keys": ["Review", "Insights", "Quit", "Help", "palette"],
        }
        assert drawn_keys(app.screen) == seen["keys"]  # and stay as they were
        home = app.screen
        assert isinstance(home, HomeScreen) and home.loaded
        assert option_ids(home.query_one("#scripts", OptionList)) == ["every_type"]
        assert home.query_one("#scripts").has_focus


@pytest.mark.plaintext  # the quick fill (store/peek.py) reads plaintext files only
async def test_a_second_start_is_usable_in_its_first_frame(
    fixture_dir: Path, db_path: Path, drive, seed
) -> None:
    # With the script index written (by the first start) and the file closed clean, the
    # first frame already lists the scripts and what is in progress: nothing is mounted
    # into home after it (one compose, one layout).
    kept = seed("every_type", "Sam", answers=1)
    first = app_class()(db_path=db_path, script_dirs=[fixture_dir])
    async with first.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
    seen: dict[str, object] = {}

    class FirstFrame(app_class()):  # type: ignore[misc]
        def on_ready(self) -> None:
            home = self.screen
            assert isinstance(home, HomeScreen)
            seen["scripts"] = option_ids(home.query_one("#scripts", OptionList))
            seen["running"] = option_ids(home.query_one("#running", OptionList))
            seen["catalog"] = self.loaded_catalog
            seen["widgets"] = len(home.query("#home *"))
            seen["keys"] = drawn_keys(home)

    app = FirstFrame(db_path=db_path, script_dirs=[fixture_dir])
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        home = app.screen
        assert isinstance(home, HomeScreen) and home.loaded
        assert seen["widgets"] == len(home.query("#home *"))  # none mounted later
        # The footer's keys were drawn with the lists, those of what the lists hold.
        assert seen["keys"] == drawn_keys(home)
    assert seen["scripts"] == ["every_type"] and seen["running"] == [kept]
    assert seen["catalog"] is None
    keys = ["Continue", "Set aside", "Review", "Insights", "Quit", "Help", "palette"]
    assert seen["keys"] == keys


def drawn_keys(screen: Screen) -> list[str]:
    """The footer's keys laid out on the screen (a key not yet drawn has no region)."""
    return [k.description for k in screen.query(FooterKey) if k.region.width]


def test_the_collector_waits_for_the_first_frame(fixture_dir: Path, db_path: Path) -> None:
    import gc

    seen: list[bool] = []

    class AtFirstFrame(app_class()):  # type: ignore[misc]
        def on_ready(self) -> None:
            seen.append(gc.isenabled())
            self.exit()

    assert gc.isenabled()
    AtFirstFrame(db_path=db_path, script_dirs=[fixture_dir]).run(headless=True, size=(80, 24))
    assert seen == [False] and gc.isenabled()


def test_an_app_that_owns_its_process_freezes_what_start_up_made(tmp_path: Path) -> None:
    # As the command line starts it (cli/start.py): the collector paused before Textual is
    # imported, back on with the first frame, start-up's objects frozen (in a process of its
    # own: here, the test's garbage would be frozen too).
    code = (
        "import gc\n"
        "gc.disable()\n"
        "from pathlib import Path\n"
        "from reflectcoach.app import app as module\n"
        "class AtFirstFrame(module.ReflectCoachApp):\n"
        "    CSS_PATH = str(Path(module.__file__).parent / 'app.tcss')\n"
        "    def on_ready(self):\n"
        "        self.seen = (gc.isenabled(), gc.get_freeze_count())\n"
        "        self.exit()\n"
        f"app = AtFirstFrame(db_path=Path({str(tmp_path / 'r.db')!r}), script_dirs=[])\n"
        "app.owns_process = True\n"
        "app.run(headless=True, size=(80, 24))\n"
        "print(app.seen[0], app.seen[1] > 10000, gc.isenabled(), gc.get_freeze_count() > 10000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True", "True"]


def test_reflectcoach_alone_opens_home_in_a_terminal(tmp_path: Path) -> None:
    # The console script's own path (cli/start.py, no click): home with its lists and the
    # footer's keys, and ctrl+q leaves with status 0.
    from .terminal import Terminal, app_env

    env = {**app_env(tmp_path), "REFLECTCOACH_DB": str(tmp_path / "r.db")}
    term = Terminal([], env=env, size=(100, 30))
    try:
        term.wait_for_screen(
            lambda screen: (
                "Find a mentor" in screen
                and "Nothing in progress." in screen
                and "^q Quit" in screen
            ),
            "home, usable",
        )
        term.write(b"\x11")
        assert term.proc.wait(timeout=30) == 0
    finally:
        term.close()


async def test_quitting_at_the_first_frame_loads_nothing(
    fixture_dir: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    reads: list[HomeScreen] = []
    monkeypatch.setattr(HomeScreen, "read", lambda self: reads.append(self))

    class QuitAtOnce(app_class()):  # type: ignore[misc]
        def on_ready(self) -> None:
            self.exit()

    app = QuitAtOnce(db_path=db_path, script_dirs=[fixture_dir])
    await app.run_async(headless=True, size=(80, 24))
    # Every thread the app started has finished after this; a loading one would have read.
    await asyncio.get_running_loop().shutdown_default_executor()
    assert reads == [] and app.loaded_catalog is None


async def test_x_sets_aside_and_it_leaves_the_list(fixture_app, drive, seed, db_path) -> None:
    kept = seed("every_type", "Sam", answers=1)
    aside = seed("every_type", "[/bad] Jo", answers=2)
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        running = app.screen.query_one("#running", OptionList)
        running.focus()
        running.highlighted = option_ids(running).index(aside)
        await pilot.press("x")
        await d.settle()
        assert option_ids(app.screen.query_one("#running", OptionList)) == [kept]
        assert any("Set aside" in str(n.message) for n in app.notices_said)
    with Store.open(db_path) as store:
        assert store.conversation(aside)["status"] == "abandoned"
        assert store.conversation(kept)["status"] == "in_progress"


async def test_summaries_wrap_indented_and_even(make_app, drive) -> None:
    from textual.widgets import OptionList

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.pause()
        listing = app.screen.query_one("#scripts", OptionList)
        for index in range(listing.option_count):
            text = str(listing.get_option_at_index(index).prompt)
            title, *summary = text.split("\n")
            assert summary, title
            width = listing.content_size.width
            for line in summary:
                assert line.startswith("  ") and len(line) <= width, (title, line)
            if len(summary) > 1:
                assert len(summary[-1].split()) > 1, (title, summary)  # no word alone


async def test_at_60x20_the_footer_keeps_quit_and_help(review_app, filled_db, drive) -> None:
    from textual.widgets import Footer

    from reflectcoach.app.screens.review import ReviewScreen

    from .conftest import settle

    app = review_app(start="check_in")
    async with app.run_test(size=(60, 20)) as pilot:
        for _ in range(2):  # a conversation, then review (the most keys)
            await settle(pilot)
            await pilot.pause()
            footer = app.screen.query_one(Footer)
            keys = [k for k in footer.children if getattr(k, "action", None)]
            always = [k for k in keys if k.action in ("quit", "help")]
            assert len(always) == 2, type(app.screen)
            for key in always:
                assert footer.region.contains_region(key.region), key.action
                label = str(key.render())
                assert ("Quit" if key.action == "quit" else "Help") in label, label
                for other in keys:
                    assert other is key or not other.region.overlaps(key.region), other.action
            await app.push_screen(ReviewScreen())


async def test_a_dialog_dims_the_screen_behind_it(make_app, drive) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("f1")
        await d.settle()
        assert app.screen.styles.background.a < 1  # the home screen shows through


async def test_notices_on_home_and_review_cover_nothing(filled_db, review_app) -> None:
    from textual.widgets import Static

    from reflectcoach.app.screens.review import ReviewScreen

    from .conftest import settle

    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(2):  # home, then review
            app.notify("Something to say.", markup=False)
            await pilot.pause()
            assert not app._notifications  # no toast over the lists
            line = app.screen.query_one("#notice", Static)
            assert line.display and "Something to say." in str(line.render())
            await app.push_screen(ReviewScreen())
            await settle(pilot)


async def test_home_reads_again_only_when_the_file_changed(
    fixture_app, drive, seed, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Back from a screen that only read, home keeps its lists (no full read competing with
    # the next key); a write by anyone (here another program's connection) is read again.
    from reflectcoach.app.screens.review import ReviewScreen

    kept = seed("every_type", "Sam", answers=1)
    aside = seed("every_type", "Jo", answers=2)
    full_reads: list[HomeData] = []
    fill = HomeScreen.fill

    def counted(self: HomeScreen, data: HomeData, *, full: bool = False) -> None:
        if full:
            full_reads.append(data)
        fill(self, data, full=full)

    monkeypatch.setattr(HomeScreen, "fill", counted)
    app = fixture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)

        async def review_and_back() -> None:
            await pilot.press("r")
            await d.wait_for(lambda: isinstance(app.screen, ReviewScreen), "review")
            await d.settle()
            await pilot.press("escape")
            await d.wait_for(lambda: isinstance(app.screen, HomeScreen), "home")
            await d.settle()

        await d.settle()
        assert len(full_reads) == 1
        await review_and_back()
        assert len(full_reads) == 1
        with Store.open(db_path) as other:
            other.set_status(aside, "abandoned")
        await review_and_back()
        assert len(full_reads) == 2
        assert option_ids(app.screen.query_one("#running", OptionList)) == [kept]


async def test_a_height_that_comes_and_goes_does_not_rewrap_for_ever(make_app, drive) -> None:
    """With no terminal, Textual says 80x24 and Rich 80x25: home rewrapped its summaries on
    each, which showed or hid the list's scrollbar and resized again, for ever (the bench's
    headless probe never exited). Only a new width rewraps."""
    from textual.events import Resize
    from textual.geometry import Size

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        home = app.screen
        assert isinstance(home, HomeScreen)
        rewraps = 0
        rewrap = home._rewrap

        def counted() -> None:
            nonlocal rewraps
            rewraps += 1
            rewrap()

        home._rewrap = counted  # type: ignore[method-assign]
        for height in (25, 24, 25, 24, 25, 24):
            size = Size(80, height)
            home.post_message(Resize(size, size))
            await pilot.pause()
        assert rewraps == 0
        wider = Size(100, 24)
        home.post_message(Resize(wider, wider))
        await pilot.pause()
        await pilot.pause()
        assert rewraps == 1
