"""Insights: a list of the numeric questions; the highlighted one plotted with every value
written out (read only when highlighted); monthly counts."""

from __future__ import annotations

import gc

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Select, Static

from reflectcoach.app.screens.insights import (
    NO_CONVERSATIONS,
    NO_SERIES,
    InsightsScreen,
    no_series_text,
)
from reflectcoach.app.widgets.insights_counts import MonthlyCounts
from reflectcoach.app.widgets.insights_questions import QuestionList
from reflectcoach.app.widgets.insights_series import SHOWN_POINTS, SeriesPanel
from reflectcoach.app.widgets.rating_plot import RatingPlot

from .conftest import MARKUP_MENTORSHIP, settle

ENERGY = "How is your energy [1-5]?"
HOURS = "How many hours went into it?"
PROGRESS = "How far along is it, from 1 to 10?"


async def open_insights(pilot: Pilot) -> InsightsScreen:
    await settle(pilot)
    screen = InsightsScreen()
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def text(widget: Static) -> str:
    return str(widget.render()).replace("\u00a0", " ")


def listed(screen: InsightsScreen) -> list[str]:
    """Each option as shown: its lines joined by " | "; a script's title as "# title"."""
    options = screen.query_one(QuestionList).options
    return [
        ("# " if option.disabled else "") + str(option.prompt).replace("\n", " | ")
        for option in options
    ]


def shown(screen: InsightsScreen) -> dict[str, object]:
    panel = screen.query_one(SeriesPanel)
    return {
        "question": text(panel.query_one(".series-question", Static)),
        "about": text(panel.query_one(".series-about", Static)),
        "values": text(panel.query_one(".series-values", Static)),
        "plot": list(panel.query_one(RatingPlot).values),
    }


def visible(screen: InsightsScreen, selector: str) -> bool:
    return screen.query_one(selector).display


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Every store.insights.question_points call the app makes, with its arguments."""
    from reflectcoach.store.insights import Insights

    calls: list[dict[str, object]] = []
    original = Insights.question_points

    def spy(self, script_id, step_id, mentorship, **more):
        calls.append({"script_id": script_id, "step_id": step_id, "mentorship": mentorship})
        calls[-1].update(more)
        return original(self, script_id, step_id, mentorship, **more)

    monkeypatch.setattr(Insights, "question_points", spy)
    return calls


async def test_questions_are_listed_and_the_first_is_plotted(filled_db, review_app, reads) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        # Scripts by title; the markup mentorship is named literally, and did nothing.
        assert listed(screen) == [
            "# Goal review",
            f"{PROGRESS} | 2 answers · Ada",
            "# Weekly check-in",
            f"{ENERGY} | 3 answers · Ada",
            f"{ENERGY} | 2 answers · {MARKUP_MENTORSHIP}",
            f"{HOURS} | 3 answers · Ada",
            f"{HOURS} | 2 answers · {MARKUP_MENTORSHIP}",
        ]
        heading = screen.query_one("#insights-numbers-heading", Static)
        assert text(heading) == "How your numbers moved · 5 questions"
        questions = screen.query_one(QuestionList)
        assert app.focused is questions and questions.highlighted == 1
        assert questions.virtual_size.height == 2 + 5 * 2  # titles a line, questions two
        assert shown(screen) == {
            "question": PROGRESS,
            "about": "Goal review · Ada · 2 answers · lowest 6, highest 8 · scale 1-10",
            "values": "2026-01-26: 6   2026-02-23: 8",
            "plot": [6, 8],
        }
        # Only the question on show was read, never every series at once, and only as
        # many of its points as the panel shows.
        assert reads == [
            {
                "script_id": "goal_review",
                "step_id": "progress",
                "mentorship": "Ada",
                "newest": SHOWN_POINTS,
            }
        ]
        assert app.is_running


def test_an_option_is_as_tall_as_its_lines_where_the_list_does_not_wrap() -> None:
    from reflectcoach.app.widgets.insights_questions import Lines, prompt

    question = {"question": "How far " * 30, "count": 3, "mentorship": "Ada"}
    option = prompt(question)
    assert isinstance(option, Lines)
    assert option.get_height({"text_wrap": "nowrap"}, 20) == 2  # type: ignore[arg-type]
    # Where lines wrap, measured as any Content is: the long question takes several.
    wrapped = option.get_height({"text_wrap": "wrap"}, 20)  # type: ignore[arg-type]
    assert wrapped > 2 and wrapped == Content(option.plain).get_height({}, 20)  # type: ignore[arg-type]


async def test_choosing_another_question_plots_it(filled_db, review_app, reads) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        await pilot.press("down")  # past the script's title, to its first question
        await settle(pilot)
        assert shown(screen) == {
            "question": ENERGY,
            "about": "Weekly check-in · Ada · 3 answers · lowest 3, highest 5 · scale 1-5",
            "values": "2026-01-05: 3   2026-01-12: 4   2026-01-19: 5",
            "plot": [3, 4, 5],
        }
        await pilot.press("down")
        await settle(pilot)
        # The markup mentorship is named literally, and did nothing.
        assert shown(screen) == {
            "question": ENERGY,
            "about": f"Weekly check-in · {MARKUP_MENTORSHIP} · 2 answers · "
            "lowest 2, highest 3 · scale 1-5",
            "values": "2026-02-02: 2   2026-02-09: 3",
            "plot": [2, 3],
        }
        await pilot.press("down")
        await settle(pilot)
        assert shown(screen)["values"] == "2026-01-05: 4   2026-01-12: 2.5   2026-01-19: 6"
        assert shown(screen)["plot"] == [4, 2.5, 6]
        await pilot.press("end")
        await settle(pilot)
        assert shown(screen)["values"] == "2026-02-02: 1   2026-02-09: 3"
        # Back to a question already read: shown again without reading it again.
        await pilot.press("home")
        await settle(pilot)
        assert shown(screen)["values"] == "2026-01-26: 6   2026-02-23: 8"
        assert [(r["step_id"], r["mentorship"]) for r in reads] == [
            ("progress", "Ada"),
            ("energy", "Ada"),
            ("energy", MARKUP_MENTORSHIP),
            ("hours", "Ada"),
            ("hours", MARKUP_MENTORSHIP),
        ]
        assert app.is_running


async def test_a_question_asked_without_a_mentorship(filled_db, review_app, db_path, reads) -> None:
    from reflectcoach.store import Store

    with Store.open(db_path) as store:
        for day, energy in (("2026-03-20", 2), ("2026-03-27", 4)):
            store.clock = lambda day=day: f"{day}T08:00:00.000000Z"
            conversation_id = store.start(
                script_id="check_in",
                script_version=1,
                script_sha256="0" * 64,
                title="Weekly check-in",
                mentorship=None,
                current_step="energy",
            )
            store.journal(conversation_id).answered(
                step_id="energy",
                question=ENERGY,
                qtype="scale",
                text=str(energy),
                value=energy,
                skipped=False,
                seq=0,
                position=1,
                current_step="hours",
                discard_from=None,
            )
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        assert listed(screen)[2:4] == [
            "# Weekly check-in",
            f"{ENERGY} | 2 answers · no mentorship named",
        ]
        await pilot.press("down")
        await settle(pilot)
        assert shown(screen) == {
            "question": ENERGY,
            "about": "Weekly check-in · no mentorship named · 2 answers · "
            "lowest 2, highest 4 · scale 1-5",
            "values": "2026-03-20: 2   2026-03-27: 4",
            "plot": [2, 4],
        }
        # Read as the conversations without a mentorship (""), not as every mentorship's.
        assert reads[-1] == {
            "script_id": "check_in",
            "step_id": "energy",
            "mentorship": "",
            "newest": SHOWN_POINTS,
        }


async def test_mentorship_filter_narrows_the_questions(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        await pilot.press("m")
        select = screen.query_one("#insights-mentorship", Select)
        assert app.focused is select
        select.value = MARKUP_MENTORSHIP
        await settle(pilot)
        assert listed(screen) == [
            "# Weekly check-in",
            f"{ENERGY} | 2 answers · {MARKUP_MENTORSHIP}",
            f"{HOURS} | 2 answers · {MARKUP_MENTORSHIP}",
        ]
        assert shown(screen)["values"] == "2026-02-02: 2   2026-02-09: 3"
        assert str(select.query_one("#label", Static).render()) == MARKUP_MENTORSHIP
        await pilot.press("tab")  # from the mentorship to the page (it scrolls) ...
        assert app.focused is screen.query_one("#insights-body")
        await pilot.press("tab")  # ... and on to the questions
        assert app.focused is screen.query_one(QuestionList)
        await pilot.press("down")
        await settle(pilot)
        assert shown(screen)["values"] == "2026-02-02: 1   2026-02-09: 3"

        select.value = "Grace"  # one answer per question: nothing to draw a line through
        await settle(pilot)
        assert not visible(screen, "#insights-numbers")
        empty = screen.query_one("#insights-no-series", Static)
        assert empty.display and text(empty) == no_series_text("Grace")
        assert "Grace" in text(empty) and "All mentorships" in text(empty)
        # The monthly table still counts everyone.
        assert screen.query_one(MonthlyCounts).row_count == 4

        select.clear()  # back to every mentorship
        await settle(pilot)
        assert len(listed(screen)) == 7 and visible(screen, "#insights-numbers")
        assert not empty.display


async def test_monthly_counts_per_script(filled_db, review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        counts = screen.query_one(MonthlyCounts)
        labels = [column.label.plain for column in counts.columns.values()]
        assert labels == [
            "Month",
            "Goal review",
            "Mentorship retrospective",
            "Weekly check-in",
            "Total",
        ]
        rows = [[cell.plain for cell in counts.get_row_at(i)] for i in range(counts.row_count)]
        assert rows == [
            ["2026-03", "1", "1", "1", "3"],
            ["2026-02", "2", "", "2", "4"],
            ["2026-01", "1", "", "3", "4"],
            ["2025-12", "", "1", "", "1"],
        ]
        # Keyboard: the questions have the focus; tab goes on to the table, m to the
        # mentorship.
        questions = screen.query_one(QuestionList)
        assert app.focused is questions
        await pilot.press("tab")
        assert app.focused is counts
        await pilot.press("shift+tab")
        assert app.focused is questions
        await pilot.press("m")
        assert app.focused is screen.query_one("#insights-mentorship", Select)


async def test_insights_without_data_explain_what_will_appear(review_app) -> None:
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        status = screen.query_one("#insights-status", Static)
        assert status.display and text(status) == NO_CONVERSATIONS
        assert not visible(screen, MonthlyCounts)
        assert not visible(screen, "#insights-numbers")
        await pilot.press("escape")
        assert app.screen is not screen


async def test_insights_with_conversations_but_no_series(review_app, db_path) -> None:
    from reflectcoach.store import Store

    with Store.open(db_path) as store:
        store.start(
            script_id="retro",
            script_version=1,
            script_sha256="0" * 64,
            title="Mentorship retrospective",
            mentorship=None,
            current_step="changed",
        )
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        empty = screen.query_one("#insights-no-series", Static)
        assert empty.display and text(empty) == NO_SERIES
        assert not visible(screen, "#insights-numbers")
        assert screen.query_one(MonthlyCounts).row_count == 1


async def test_a_series_that_cannot_be_read_says_so(
    filled_db, review_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflectcoach.store import StoreError
    from reflectcoach.store.insights import Insights

    original = Insights.question_points

    def failing(self, script_id, step_id, mentorship, **more):
        if step_id == "hours":
            raise StoreError("The reflection database is [b]locked[/b].")
        return original(self, script_id, step_id, mentorship, **more)

    monkeypatch.setattr(Insights, "question_points", failing)
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        await pilot.press("down", "down", "down")
        await settle(pilot)
        assert shown(screen)["question"] == "⚠ The reflection database is [b]locked[/b]."
        assert shown(screen)["values"] == ""
        await pilot.press("up")  # read before: still there
        await settle(pilot)
        assert shown(screen)["values"] == "2026-02-02: 2   2026-02-09: 3"
        assert app.is_running


async def test_numbers_too_large_for_a_plot_do_not_stop_insights(review_app, db_path) -> None:
    """Two 310-digit answers to a number question without `max` (kept before answers were
    bounded, or imported) and two ordinary ones: the ordinary ones are plotted, and the
    screen works on."""
    from reflectcoach.store import Store

    with Store.open(db_path) as store:
        for hours in (10**310, 10**310 + 1, 3, 4):
            conversation_id = store.start(
                script_id="check_in",
                script_version=1,
                script_sha256="0" * 64,
                title="Weekly check-in",
                mentorship="Ada",
                current_step="hours",
            )
            store.journal(conversation_id).answered(
                step_id="hours",
                question=HOURS,
                qtype="number",
                text=str(hours),
                value=hours,
                skipped=False,
                seq=0,
                position=1,
                current_step="note",
                discard_from=None,
            )
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        assert shown(screen)["question"] == HOURS
        assert shown(screen)["plot"] == [3.0, 4.0]
        values = shown(screen)["values"]
        assert isinstance(values, str) and values.count(":") == 2, values
        assert ": 3   " in values and values.endswith(": 4")
        assert app.is_running


def test_every_binding_is_described() -> None:
    from textual.binding import Binding

    bindings = [b for b in InsightsScreen.BINDINGS if isinstance(b, Binding)]
    assert {b.key for b in bindings} == {"escape", "m"}
    assert all(b.description and b.tooltip for b in bindings)


async def test_a_list_that_cannot_be_read_says_so_until_another_can(
    filled_db, review_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflectcoach.store import StoreError
    from reflectcoach.store.insights import Insights

    original = Insights.numeric_questions

    def failing(self, **where):
        if where.get("mentorship") == "Grace":
            raise StoreError("The reflection database [b]is busy[/b].")
        return original(self, **where)

    monkeypatch.setattr(Insights, "numeric_questions", failing)
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        select = screen.query_one("#insights-mentorship", Select)
        select.value = "Grace"
        await settle(pilot)
        status = screen.query_one("#insights-status", Static)
        assert status.display and text(status) == "⚠ The reflection database [b]is busy[/b]."
        assert not visible(screen, "#insights-numbers") and not visible(screen, MonthlyCounts)
        select.value = "Ada"
        await settle(pilot)
        assert not status.display
        assert visible(screen, "#insights-numbers") and visible(screen, MonthlyCounts)
        assert listed(screen)[1] == f"{PROGRESS} | 2 answers · Ada"
        assert shown(screen)["values"] == "2026-01-26: 6   2026-02-23: 8"


async def test_the_list_says_it_is_loading_until_it_is_read(
    filled_db, review_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from reflectcoach.store.insights import Insights

    original = Insights.numeric_questions
    release = threading.Event()

    def slow(self, **where):
        release.wait(timeout=30)
        return original(self, **where)

    monkeypatch.setattr(Insights, "numeric_questions", slow)
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = InsightsScreen()
        await app.push_screen(screen)
        await pilot.pause()
        try:
            assert shown(screen)["question"] == "Loading…"
            assert screen.query_one(QuestionList).option_count == 0
            assert app.focused is screen.query_one(QuestionList)
        finally:
            release.set()
        await settle(pilot)
        assert shown(screen)["question"] == PROGRESS


async def test_the_first_layout_has_the_list_and_its_plot_and_the_collector_resumes_after(
    filled_db, review_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first read starts while the screen is built and is shown before its first
    # layout: no frame says "Loading…" over an empty list. A long wait here, so a busy
    # machine cannot make the read late: this is about the order.
    from reflectcoach.app import first_read

    monkeypatch.setattr(first_read, "WAIT_S", 30.0)
    app = review_app()
    laid_out: list[tuple[int, list[float], bool]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = InsightsScreen()

        def record(_: object) -> None:
            plot = screen.query_one(SeriesPanel).query_one(RatingPlot)
            laid_out.append(
                (screen.query_one(QuestionList).option_count, list(plot.values), gc.isenabled())
            )

        screen.screen_layout_refresh_signal.subscribe(app, record, immediate=True)
        await app.push_screen(screen)
        await settle(pilot)
        assert gc.isenabled()  # on again once the list and its plot were painted
    options, plotted, collecting = laid_out[0]
    assert options == 7 and plotted == [6, 8]
    assert not collecting  # paused from compose to that first frame


async def test_a_list_that_cannot_be_read_at_once_is_said_and_the_collector_resumes(
    filled_db, review_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflectcoach.app import first_read
    from reflectcoach.store import StoreError
    from reflectcoach.store.insights import Insights

    def failing(self, **where):
        raise StoreError("The reflection database [b]is busy[/b].")

    monkeypatch.setattr(first_read, "WAIT_S", 30.0)  # handed over to on_mount
    monkeypatch.setattr(Insights, "numeric_questions", failing)
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        status = screen.query_one("#insights-status", Static)
        assert status.display and text(status) == "⚠ The reflection database [b]is busy[/b]."
        assert not visible(screen, "#insights-numbers")
        assert gc.isenabled() and app.is_running


async def test_the_monthly_table_follows_the_list_and_its_plot(
    filled_db, review_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The monthly counts are read after the list and its first plot are shown: those do
    not wait for a read that grows with the history, and the table (with its heading)
    appears once it is read."""
    import threading

    from reflectcoach.store.insights import Insights

    original = Insights.monthly_counts
    release = threading.Event()

    def slow(self, **where):
        release.wait(timeout=30)
        return original(self, **where)

    monkeypatch.setattr(Insights, "monthly_counts", slow)
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = InsightsScreen()
        await app.push_screen(screen)
        try:
            for _ in range(200):
                await pilot.pause()
                if shown(screen)["plot"]:
                    break
            assert shown(screen)["question"] == PROGRESS and shown(screen)["plot"] == [6, 8]
            assert len(listed(screen)) == 7
            assert not visible(screen, "#insights-counts-heading")
            assert not visible(screen, MonthlyCounts)
        finally:
            release.set()
        await settle(pilot)
        assert visible(screen, "#insights-counts-heading") and visible(screen, MonthlyCounts)
        assert screen.query_one(MonthlyCounts).row_count == 4


async def test_monthly_counts_that_cannot_be_read_say_so(
    filled_db, review_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reflectcoach.store import StoreError
    from reflectcoach.store.insights import Insights

    def failing(self, **where):
        raise StoreError("The reflection database is [b]locked[/b].")

    monkeypatch.setattr(Insights, "monthly_counts", failing)
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        status = screen.query_one("#insights-status", Static)
        assert status.display and text(status) == "⚠ The reflection database is [b]locked[/b]."
        assert not visible(screen, "#insights-numbers") and not visible(screen, MonthlyCounts)
        assert app.is_running


async def test_the_plot_is_drawn_on_the_declared_scale(filled_db, review_app) -> None:
    """1-10 is drawn 1-10 whatever the answers (6 and 8 here); a number from zero."""
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        plot = screen.query_one(RatingPlot)
        assert plot.y_limits == (1, 10)
        # What plotext itself was told (its left y axis), not only our attribute.
        assert plot.plt._active.monitor.ylim[0] == [1.0, 10.0]
        assert plot.x_labels == ["2026-01-26", "2026-02-23"]
        questions = screen.query_one(QuestionList)
        questions.highlighted = 3  # energy, 1-5, Ada: answers 3..5
        await settle(pilot)
        assert plot.y_limits == (1, 5) and plot.plt._active.monitor.ylim[0] == [1.0, 5.0]
        questions.highlighted = 6  # hours: a number, from zero to its highest
        await settle(pilot)
        assert plot.y_limits is not None and plot.y_limits[0] == 0
        assert plot.y_limits[1] == max(plot.values)


async def test_a_long_series_shows_its_newest_points_and_says_so(
    filled_db, review_app, reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fifty years of weekly ratings are thousands of points: only the newest SHOWN_POINTS
    # are read, plotted and written out, and the panel says how many of how many; the
    # about line still counts them all, and its lowest and highest are of them all (the
    # lowest here is the oldest answer, which is not read).
    from reflectcoach.app.widgets import insights_series

    monkeypatch.setattr(insights_series, "SHOWN_POINTS", 2)
    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        questions = screen.query_one(QuestionList)
        questions.highlighted = 3  # energy, Ada: 3, 4 and 5
        await settle(pilot)
        assert shown(screen) == {
            "question": ENERGY,
            "about": "Weekly check-in · Ada · 3 answers · lowest 3, highest 5 · scale 1-5",
            "values": "The newest 2 of 3:   2026-01-12: 4   2026-01-19: 5",
            "plot": [4, 5],
        }
        assert reads[-1] == {
            "script_id": "check_in",
            "step_id": "energy",
            "mentorship": "Ada",
            "newest": 2,
        }
