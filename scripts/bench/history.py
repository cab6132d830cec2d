"""The `history` group: queries, screens and the command line on the generated history."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.screens.home import HomeScreen
from reflectcoach.app.screens.insights import InsightsScreen
from reflectcoach.app.screens.mentorship import MentorshipScreen
from reflectcoach.app.screens.review import COUNT_LIMIT, ReviewScreen
from reflectcoach.app.widgets.due_list import DueList
from reflectcoach.app.widgets.insights_series import SHOWN_POINTS, SeriesPanel
from reflectcoach.app.widgets.mentorship_commitments import OPEN_SHOWN
from reflectcoach.app.widgets.mentorship_timeline import PAGE, MentorshipTimeline
from reflectcoach.app.widgets.rating_plot import RatingPlot
from reflectcoach.app.widgets.review_table import ReviewTable
from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.services.mentorship_view import load_page
from reflectcoach.services.ratings import mentorship_ratings, rating_list, with_points
from reflectcoach.store.queries import CONVERSATION_COLUMNS

from .common import (
    INFO,
    MB,
    REFLECTCOACH,
    Budget,
    Context,
    Row,
    Stat,
    interleaved,
    run_child,
    sample_pair,
    wall,
)
from .paint import PaintWatch, composited, until
from .screen_floor import PLOT_FLOOR, plot_floor, table_floor
from .workloads import db_files_size, ensure_history, opened

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from reflectcoach.script.model import Script
    from reflectcoach.store import Store

TABLE_FLOOR = "bare Textual screen from a key: Header, DataTable of the same 100 rows, Footer"


async def _screen_opens(db: Path, runs: int) -> dict[str, list[float]]:
    """Open review and insights from home on `db`, `runs` times each: ms from the key to
    the screen painted with its data (review: the table's rows; insights: the first question's
    series plotted)."""
    app = ReflectCoachApp(db_path=db, script_dirs=[builtin_dir()])
    found: dict[str, list[float]] = {"review": [], "insights": []}
    async with app.run_test(size=(100, 40)) as pilot:
        watch = PaintWatch(app)
        await until(
            pilot,
            lambda: isinstance(app.screen, HomeScreen) and app.screen.loaded,
            "the home screen",
        )
        await app.workers.wait_for_complete()
        # The app `reflectcoach` starts freezes what start-up made once home is drawn
        # (app/collector.py): no collection walks it again. This one runs inside the bench,
        # where Pilot never calls `App.run`: the bench freezes at the same point, what it and
        # the earlier groups made included, as start-up's own objects would be.
        gc.collect()
        gc.freeze()

        def review_shown() -> bool:
            screen = app.screen
            if not isinstance(screen, ReviewScreen) or not screen.loaded:
                return False
            table = screen.query(ReviewTable)
            return bool(table) and table.first().row_count > 0 and composited(screen, table.first())

        def insights_shown() -> bool:
            screen = app.screen
            if not isinstance(screen, InsightsScreen):
                return False
            panels = screen.query(SeriesPanel)
            if not panels:
                return False
            # Its data: the series' values, plotted on the question's scale. (A Sparkline
            # until the panel became a RatingPlot: waiting for one hung the group for 120 s.)
            plot = panels.first().query(RatingPlot)
            return bool(plot) and bool(plot.first().values) and composited(screen, plot.first())

        for _ in range(runs):
            for name, key, shown in (
                ("review", "r", review_shown),
                ("insights", "i", insights_shown),
            ):
                await pilot.pause()
                watch.expect(shown)
                start = time.perf_counter()
                await pilot.press(key)
                painted = await watch.wait(timeout=120)
                found[name].append((painted - start) * 1000)
                await app.workers.wait_for_complete()
                await pilot.press("escape")
                await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
        found.update(await _mentorship_opens(app, pilot, watch, runs))
        found.update(await _due_list_shows(app, pilot, watch, runs))
    gc.unfreeze()
    return found


async def _due_list_shows(
    app: Any, pilot: Pilot[Any], watch: PaintWatch, runs: int
) -> dict[str, list[float]]:
    """Escape from review back to home: ms to home's due list painted, read afresh (it is
    emptied first), after home's own read of the store (which starts the due list's). Home
    reads again only when the file changed since its last read, so another connection
    commits first (as `reflectcoach` in a second terminal would)."""
    found: dict[str, list[float]] = {"due list": []}
    home = app.screen
    due = home.query_one(DueList)

    def due_shown() -> bool:
        return app.screen is home and bool(due.lines) and due.display and composited(home, due)

    for _ in range(runs):
        await pilot.press("r")
        await until(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded, "review"
        )
        await app.workers.wait_for_complete()
        # As a person would: review's rows on screen before the escape. What runs once its
        # first frame is out (app/collector.py) belongs to review's row, not this one.
        watch.expect(lambda: isinstance(app.screen, ReviewScreen))
        app.screen.refresh()
        await watch.wait(timeout=60)
        await pilot.pause()
        due.show([])
        other = sqlite3.connect(app.db_path)
        # A commit that changes a page (SQLite counts no change for one that writes the
        # same value) and nothing home shows: one title gains or loses a trailing space.
        with other:
            other.execute(
                "UPDATE conversations SET title = CASE WHEN title GLOB '* ' "
                "THEN rtrim(title) ELSE title || ' ' END WHERE rowid = 1"
            )
        other.close()
        watch.expect(due_shown)
        start = time.perf_counter()
        await pilot.press("escape")
        found["due list"].append((await watch.wait(timeout=120) - start) * 1000)
        await app.workers.wait_for_complete()
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
    return found


async def _mentorship_opens(
    app: Any, pilot: Pilot[Any], watch: PaintWatch, runs: int
) -> dict[str, list[float]]:
    """Home's `m` on the mentorship named under Who (the history's busiest, ~1,000
    conversations): ms to its timeline painted, and to its first rating plotted."""
    plots = PaintWatch(app)  # a second watch on the same paints, for the second moment
    found: dict[str, list[float]] = {"mentorship timeline": [], "mentorship plot": []}

    def timeline_shown() -> bool:
        screen = app.screen
        if not isinstance(screen, MentorshipScreen):
            return False
        table = screen.query_one(MentorshipTimeline)
        return table.row_count > 0 and composited(screen, table)

    def plot_shown() -> bool:
        screen = app.screen
        if not isinstance(screen, MentorshipScreen) or not screen.ratings_read:
            return False
        plot = screen.query_one(RatingPlot)
        return bool(plot.values) and composited(screen, plot)

    app.screen.query_one("#mentorship").value = "Ada"
    app.screen.query_one("#scripts").focus()
    for _ in range(runs):
        await pilot.pause()
        watch.expect(timeline_shown)
        plots.expect(plot_shown)
        start = time.perf_counter()
        await pilot.press("m")
        found["mentorship timeline"].append((await watch.wait(timeout=120) - start) * 1000)
        found["mentorship plot"].append((await plots.wait(timeout=120) - start) * 1000)
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
    return found


def first_series(store: Store, scripts: Mapping[str, Script], name: str) -> object:
    """What the mentorship screen reads for its ratings before it paints them: the list (its
    wordings are read after), and the first one's points."""
    listed = rating_list(store, scripts, name, wordings=False)
    return with_points(store, scripts, listed[0]) if listed else None


def query_rows(
    ctx: Context, group: str, big: Path, summary: dict[str, Any], *, size_budget: Budget
) -> None:
    """The review, search and insights queries on the history at `big`, each against its
    floor, and the file's size against its raw data."""
    common, rare = summary["common_word"], summary["rare_word"]
    with opened(big) as store:
        raw_bytes = store.db.execute(
            "SELECT (SELECT sum(length(question) + length(coalesce(answer_text, '')) "
            "+ length(answer_json) + length(step_id) + length(answered_at) + 12 + 4) FROM answers) "
            "+ (SELECT sum(length(coalesce(record, '')) + 200) FROM conversations)"
        ).fetchone()[0]
    size = db_files_size(big)
    ctx.add(
        Row(
            group,
            "database file size (db + wal + shm)",
            "MB",
            Stat([size / MB]),
            "raw bytes of the data",
            Stat([raw_bytes / MB]),
            size_budget,
        )
    )

    columns = ", ".join(CONVERSATION_COLUMNS)
    conn = sqlite3.connect(big)

    def raw(sql: str, *params: Any) -> Callable[[], object]:
        return lambda: conn.execute(sql, params).fetchall()

    page = f"SELECT {columns} FROM conversations{{}} ORDER BY started_at DESC, rowid DESC LIMIT 100"
    fts_top = "SELECT rowid FROM answers_fts WHERE answers_fts MATCH ? ORDER BY rowid DESC LIMIT 50"
    fts_all = "SELECT count(*) FROM answers_fts WHERE answers_fts MATCH ?"
    scan = "SELECT count(*) FROM answers"

    builtin = load_catalog([builtin_dir()]).scripts
    with opened(big) as store:
        script_id = store.insights.script_ids()[0]
        mentorship = store.mentorships.names()[0]
        numeric = store.db.execute(
            "SELECT c.script_id, a.step_id, coalesce(c.mentorship, '') FROM answers a "
            "JOIN conversations c ON c.id = a.conversation_id WHERE a.type = 'scale' LIMIT 1"
        ).fetchone()
        cases: list[tuple[str, Callable[[], object], str, Callable[[], object], Budget]] = [
            (
                "SELECT 1 round trip through the Store",
                lambda: store.db.execute("SELECT 1").fetchall(),
                "sqlite3 SELECT 1",
                raw("SELECT 1"),
                INFO,
            ),
            (
                "review first page: conversations(limit=100)",
                lambda: store.conversations(limit=100),
                "raw SELECT of the same 100 rows",
                raw(page.format("")),
                Budget("below", 100),
            ),
            (
                "review total: count()",
                lambda: store.count(),
                "SELECT count(*) FROM conversations",
                raw("SELECT count(*) FROM conversations"),
                INFO,
            ),
            (
                f"filter by script: conversations(script_id={script_id!r})",
                lambda: store.conversations(script_id=script_id, limit=100),
                "raw SELECT of the same 100 rows",
                raw(page.format(" WHERE script_id = ?"), script_id),
                Budget("below", 100),
            ),
            (
                f"filter by mentorship: conversations(mentorship={mentorship!r})",
                lambda: store.conversations(mentorship=mentorship, limit=100),
                "raw SELECT of the same 100 rows",
                raw(page.format(" WHERE mentorship = ?"), mentorship),
                Budget("below", 100),
            ),
        ]
        for word, label in ((common, "common"), (rare, "rare")):
            phrase = f'"{word}"'
            cases += [
                (
                    f"search({word!r}, limit=50), {label} word",
                    lambda w=word: store.search(w, limit=50),
                    "raw FTS: newest 50 matching rowids",
                    raw(fts_top, phrase),
                    Budget("below", 100),
                ),
                (
                    f"conversations(query={word!r}), {label} word",
                    lambda w=word: store.conversations(query=w, limit=100),
                    "raw FTS: count every match",
                    raw(fts_all, phrase),
                    Budget("below", 100),
                ),
                (
                    f"review search total: count(query={word!r}, at_most={COUNT_LIMIT + 1:,}) "
                    "(review says 'more than' beyond)",
                    lambda w=word: store.count(query=w, at_most=COUNT_LIMIT + 1),
                    "raw FTS: count every match",
                    raw(fts_all, phrase),
                    Budget("below", 100),
                ),
                (
                    f"count(query={word!r}), every match (CLI, export)",
                    lambda w=word: store.count(query=w),
                    "raw FTS: count every match",
                    raw(fts_all, phrase),
                    INFO,
                ),
            ]
        cases += [
            (
                # What insights reads to plot one question in one mentorship.
                f"insights, one question: question_points({numeric[0]!r}, {numeric[1]!r}, "
                f"{numeric[2]!r}, newest={SHOWN_POINTS})",
                lambda: store.insights.question_points(*numeric, newest=SHOWN_POINTS),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
            (
                "insights screen: numeric_questions() (the question list)",
                lambda: store.insights.numeric_questions(),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
            (
                "mentorship screen: load_page('Ada') (latest 100 conversations, first "
                "commitments, their counts)",
                lambda: load_page(store, "Ada", conversations=PAGE, open_shown=OPEN_SHOWN),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
            (
                "mentorship screen: rating_list('Ada', wordings=False), its first series' points",
                lambda: first_series(store, builtin, "Ada"),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
            (
                "mentorship show: mentorship_ratings('Ada') (every rating, grouped)",
                lambda: mentorship_ratings(store, builtin, "Ada"),
                "SELECT count(*) FROM answers",
                raw(scan),
                Budget("below", 100),
            ),
        ]
        for name, real_fn, floor_name, floor_fn, budget in cases:
            real, floor = sample_pair(real_fn, floor_fn, ctx.query_runs)
            ctx.add(Row(group, name, "ms", real, floor_name, floor, budget))

    # The raw floor connection closes first: with a connection of another kind open, its log
    # beside the file, Store.open would run the integrity check (the file may be changing
    # behind it), reading every page, which is not what opening review costs.
    conn.close()

    def fresh_page() -> None:
        with opened(big) as fresh:
            fresh.conversations(limit=100)
            fresh.count()

    def fresh_floor() -> None:
        connection = sqlite3.connect(big)
        connection.execute(page.format("")).fetchall()
        connection.close()

    real, floor = sample_pair(fresh_page, fresh_floor, ctx.query_runs)
    ctx.add(
        Row(
            group,
            "review screen load: Store.open + conversations(limit=100) + count()",
            "ms",
            real,
            "sqlite3.connect + raw page SELECT",
            floor,
            Budget("below", 100),
        )
    )


def screen_rows(ctx: Context, group: str, big: Path, *, screen_budget: Budget) -> None:
    """Review, insights, the busiest mentorship and home's due list painted in the real app
    on the history at `big` (Pilot, timed by the frame that shows them)."""
    runs = 3 if ctx.quick else 5
    # The floor before and after the app's runs, so a busier minute hits both.
    floor = asyncio.run(table_floor(big, (runs + 1) // 2))
    plot = asyncio.run(plot_floor(big, (runs + 1) // 2))
    opens = asyncio.run(_screen_opens(big, runs))
    floor += asyncio.run(table_floor(big, runs // 2 + 1))
    plot += asyncio.run(plot_floor(big, runs // 2 + 1))
    floors = {"review": (TABLE_FLOOR, floor), "insights": (PLOT_FLOOR, plot)}
    for name, what, budget in (
        ("review", "its table filled", screen_budget),
        ("insights", "its first series plotted", screen_budget),
        ("mentorship timeline", "Ada's conversations", Budget("below", 100)),
        ("mentorship plot", "its first rating plotted", Budget("below", 100)),
    ):
        floor_name, floor_ms = floors.get(name, ("—", None))
        ctx.add(
            Row(
                group,
                f"app: open {name} from home on this history -> {what} painted",
                "ms",
                Stat(opens[name]),
                floor_name,
                None if floor_ms is None else Stat(floor_ms),
                budget,
            )
        )
    ctx.add(
        Row(
            group,
            "app: escape from review to home -> its due list painted (read afresh after a commit)",
            "ms",
            Stat(opens["due list"]),
            "—",
            None,
            Budget("below", 100),
        )
    )


def group_history(ctx: Context) -> None:
    history = ensure_history(ctx)
    summary = history["summary"]
    ctx.add(
        Row(
            "history",
            f"generate {summary['conversations']:,} conversations / {summary['answers']:,} answers",
            "ms",
            Stat([history["generation_ms"]]),
            "—",
            None,
            INFO,
            "one run (make_history, one transaction, FTS rebuilt at the end)",
        )
    )
    big: Path = history["big"]
    query_rows(ctx, "history", big, summary, size_budget=Budget("below", 200))
    screen_rows(ctx, "history", big, screen_budget=INFO)
    cli = ctx.env(REFLECTCOACH_DB=str(big))
    results = interleaved(
        {
            "version": lambda: run_child([REFLECTCOACH, "--version"], cli),
            "due": lambda: run_child([REFLECTCOACH, "commitments", "--due"], cli),
        },
        ctx.process_runs,
    )
    ctx.add(
        Row(
            "history",
            "cli: reflectcoach commitments --due on this history",
            "ms",
            wall(results["due"]),
            "reflectcoach --version",
            wall(results["version"]),
            Budget("ratio", 1.5),
        )
    )
