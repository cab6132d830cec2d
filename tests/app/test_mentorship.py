"""The mentorship screen: opened from home, review and the palette; its header, timeline,
commitments (open first, then finished) and ratings on their declared scale; reopen;
compare two runs. A long mentorship: the latest conversations and the first commitments,
saying how many more there are; every rating series listed, each read when shown."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from textual.widgets import DataTable, Static

from reflectcoach.app.screens.compare import CompareScreen
from reflectcoach.app.screens.mentorship import MentorshipScreen
from reflectcoach.app.widgets.insights_series import SeriesPanel
from reflectcoach.app.widgets.mentorship_commitments import OPEN_SHOWN, MentorshipCommitments
from reflectcoach.app.widgets.mentorship_ratings import RatingList
from reflectcoach.app.widgets.mentorship_timeline import PAGE, MentorshipTimeline
from reflectcoach.app.widgets.rating_plot import RatingPlot
from reflectcoach.services.mentorship_view import commitment_text, load_head
from reflectcoach.store import Store

from .conftest import settle
from .mentorship_data import make_mentorship


@pytest.fixture
def sam(db_path, utc_local_time, fixed_ids, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-03-14")
    return make_mentorship(db_path)


# Open first (overdue, then the next due), then finished; statuses and "overdue" in words.
SAM_COMMITMENTS = [
    "open · Ask to present in the March review · due Tuesday 10 March 2026 (overdue)",
    "not done yet · Write the three points down first · due Friday 20 March 2026"
    " · carried forward from Friday 20 February 2026, then Friday 6 March 2026",
    "done · Watch two reviews as an observer · was due Friday 30 January 2026",
    "dropped · Read the review guide · no date · why: the guide is out of date",
]


def text(widget: Static) -> str:
    return str(widget.render())


async def open_sam(pilot) -> MentorshipScreen:
    await settle(pilot)
    await pilot.app.push_screen(MentorshipScreen("sam"))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MentorshipScreen)
    return screen


async def test_the_screen_shows_the_mentorship_whole(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sam(pilot)
        header = text(screen.query_one("#mentorship-header", Static))
        assert header == "Sam · you are the mentee · since 2026-01-05 · closed 2026-03-02"
        timeline = screen.query_one(MentorshipTimeline)
        assert [e.id for e in timeline.entries] == [
            sam["goal"],
            sam["tough1"],
            sam["tough2"],
            sam["closing"],
        ]
        assert timeline.entries[0].first_line == "Goal card"
        assert text(screen.query_one(MentorshipCommitments)).splitlines() == SAM_COMMITMENTS
        ratings = screen.query_one(RatingList)
        # The closing's re-rating is in the baseline's series, not one of its own.
        assert [s.key for s in ratings.series] == [
            ("goal_setting", "baseline"),
            ("tough_conversation", "ready"),
        ]
        plot = screen.query_one(SeriesPanel).query_one(RatingPlot)
        assert plot.values == [3, 7] and plot.y_limits == (1, 10)
        assert plot.x_labels == ["2026-01-05", "2026-03-02"]
        values = text(screen.query_one(".series-values", Static)).replace("\u00a0", " ")
        assert values == "2026-01-05: 3   2026-03-02: 7 (re-rated)"
        ratings.highlighted = 1
        await settle(pilot)
        assert plot.values == [2, 4] and plot.y_limits == (1, 5)


async def test_opened_from_home_with_the_who_name(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        who = app.screen.query_one("#mentorship")
        who.value = "Kim"  # type: ignore[attr-defined]
        app.screen.query_one("#scripts").focus()
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MentorshipScreen)
        assert text(app.screen.query_one("#mentorship-header", Static)).startswith("Kim · ")


async def test_opened_from_review_on_the_selected_conversation(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.open_review()
        await settle(pilot)
        await pilot.press("o")  # the newest first: Kim's
        await settle(pilot)
        assert isinstance(app.screen, MentorshipScreen)
        assert app.screen.mentorship_name == "Kim"


async def test_opened_from_the_palette(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Open mentorship: Sam")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MentorshipScreen)
        assert app.screen.mentorship_name == "Sam"


async def test_reopen_makes_it_active(sam, make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sam(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert text(screen.query_one("#mentorship-header", Static)).endswith(" · active")
    with Store.open(db_path) as store:
        assert store.mentorships.find("Sam").status == "active"


async def test_compare_the_two_rehearsals(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sam(pilot)
        timeline = screen.query_one(MentorshipTimeline)
        timeline.move_cursor(row=2)  # the second rehearsal: compared with the first
        await pilot.press("c")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen) and compare.comparison is not None
        marks = [(r.step_id, r.mark) for r in compare.comparison.rows]
        assert marks == [("topic", "="), ("want_me", "≠ changed"), ("ready", "≠ changed")]
        table = compare.query_one(DataTable)
        assert str(table.get_row("topic")[3]) == "(same)"  # shown once
        assert str(table.get_row("ready")[0]) == "≠ changed"


async def test_compare_needs_a_run_before(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sam(pilot)
        await pilot.press("c")  # the goal setting: no run of its script before it
        await settle(pilot)
        assert app.screen is screen
        assert any("Mark two completed runs" in str(n.message) for n in app.notices_said)


async def test_compare_cuts_with_an_ellipsis_and_reads_whole(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sam(pilot)
        timeline = screen.query_one(MentorshipTimeline)
        timeline.move_cursor(row=2)
        await pilot.press("c")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        table = compare.query_one(DataTable)
        headers = [str(c.label) for c in table.columns.values()]
        assert headers[2].startswith("2026-02-02") and "Tough" in headers[2]
        assert headers[3].startswith("2026-02-16")
        await pilot.pause()
        lines = [table.render_line(y).text for y in range(4)]
        assert any("What do you really" in line and "…" in line for line in lines), lines
        assert all(len(line.rstrip()) <= 80 and not line.endswith("C") for line in lines)
        table.move_cursor(row=1)
        await settle(pilot)
        whole = str(compare.query_one("#compare-detail", Static).render())
        assert "What do you really want?" in whole
        assert "To be heard" in whole and "To agree a next step" in whole


async def test_compare_of_different_scripts_says_why(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sam(pilot)
        timeline = screen.query_one(MentorshipTimeline)
        timeline.move_cursor(row=0)
        await pilot.press("space")
        timeline.move_cursor(row=1)
        await pilot.press("space")
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is screen  # no empty screen
        said = " ".join(str(n.message) for n in app.notices_said)
        assert "different scripts" in said
        assert sam["goal"] not in said and "2026-01-05" in said


def test_pick_pair_refuses_a_run_in_progress() -> None:
    from reflectcoach.app.screens.compare import pick_pair
    from reflectcoach.store.mentorships import TimelineEntry

    entries = [
        TimelineEntry("a", "s", "Rehearsal", "completed", "2026-01-01T09:00", None, ""),
        TimelineEntry("b", "s", "Rehearsal", "in_progress", "2026-01-08T09:00", None, ""),
    ]
    said = pick_pair(entries, ["a", "b"], None)
    assert isinstance(said, str) and "still in progress" in said and "2026-01-08" in said


def test_a_not_yet_answer_compares_with_its_new_date() -> None:
    from reflectcoach.services.compare import _step_texts

    parts = [
        {"step_id": "last_time", "seq": 3, "answer_text": "not yet", "skipped": False,
         "commitment_id": "c1"},
        {"step_id": "last_time", "seq": 4, "answer_text": "Friday 20 March 2026",
         "skipped": False, "commitment_id": "c1"},
    ]  # fmt: skip
    assert _step_texts(parts)["last_time"] == "not yet · Friday 20 March 2026"


async def test_a_number_question_is_not_a_rating(sam, make_app, db_path) -> None:
    from store.helpers import run

    with Store.open(db_path) as store:
        run(store, [("months", "How many months should this run?", "number", 6, "6")],
            script_id="first_meeting", mentorship="Sam")  # fmt: skip
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sam(pilot)
        keys = [s.key for s in screen.query_one(RatingList).series]
        assert ("first_meeting", "months") not in keys
        assert keys == [("goal_setting", "baseline"), ("tough_conversation", "ready")]


async def test_the_timeline_gives_long_titles_the_spare_width(sam, make_app, db_path) -> None:
    from store.helpers import run

    title = "Prepare For A First Meeting With Sam"
    with Store.open(db_path) as store:
        run(store, [("topic", "What is it about?", "text", "x", "x")],
            script_id="prepare_for_a_first_meeting_with_sam", mentorship="Sam")  # fmt: skip
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_sam(pilot)
        timeline = screen.query_one(MentorshipTimeline)
        await pilot.pause()
        lines = [timeline.render_line(y).text for y in range(timeline.row_count + 1)]
        assert any(title in line for line in lines), lines


async def test_every_rating_series_is_listed_and_each_is_read_when_shown(sam, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sam(pilot)
        ratings = screen.query_one(RatingList)
        assert [(s.key, s.label) for s in ratings.series] == [
            (("goal_setting", "baseline"), "On the skill behind this goal, where are you today?"),
            (("tough_conversation", "ready"), "How ready do you feel now?"),
        ]
        assert [item.count for item in ratings.listed] == [2, 2]
        # Only the series plotted has its points read; the other's are read once chosen.
        assert list(screen.series) == [("goal_setting", "baseline")]
        ratings.highlighted = 1
        await settle(pilot)
        assert list(screen.series) == [
            ("goal_setting", "baseline"),
            ("tough_conversation", "ready"),
        ]
        panel = screen.query_one(SeriesPanel)
        assert panel.series is not None and panel.series.key == ("tough_conversation", "ready")
        assert panel.query_one(RatingPlot).values == [2, 4]
        values = text(panel.query_one(".series-values", Static)).replace("\u00a0", " ")
        assert values == "2026-02-02: 2   2026-02-16: 4"
        ratings.highlighted = 0  # read already: plotted again without a read
        await settle(pilot)
        assert panel.query_one(RatingPlot).values == [3, 7]


@pytest.fixture
def long_mentorship(db_path, monkeypatch: pytest.MonkeyPatch) -> str:
    from store.history import make_history

    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-12-06")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    make_history(db_path, conversations=2_300, answers_per=6, seed=2, commitments=True)
    return "Ada"


async def test_a_long_mentorship_shows_its_latest_and_says_how_many_more(
    long_mentorship, make_app, db_path
) -> None:
    with Store.open(db_path) as store:
        whole = load_head(store, long_mentorship, dt.date(2026, 12, 6))
    open_ones = [c for c in whole.commitments if not c.finished]
    finished = [c for c in whole.commitments if c.finished]
    assert 2 * PAGE < len(whole.timeline) < 3 * PAGE
    assert len(open_ones) > OPEN_SHOWN and len(finished) > 10
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(MentorshipScreen("ada"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MentorshipScreen)
        timeline = screen.query_one(MentorshipTimeline)
        assert timeline.entries == whole.timeline[-PAGE:]
        assert timeline.row_count == PAGE and timeline.cursor_row == PAGE - 1
        heading = screen.query_one("#mentorship-timeline-heading", Static)
        assert text(heading) == (
            f"Conversations · {len(whole.timeline):,} (the latest {PAGE}: e shows earlier ones)"
        )
        shown = text(screen.query_one(MentorshipCommitments)).splitlines()
        left = len(open_ones) - OPEN_SHOWN
        assert shown == [
            *(commitment_text(c) for c in open_ones[:OPEN_SHOWN]),
            f"and {left:,} more open ones (all of them: k here, or reflectcoach commitments)",
            *(commitment_text(c) for c in finished[-10:]),
            f"and {len(finished) - 10:,} earlier finished ones (all of them: k here, or "
            "reflectcoach commitments --all)",
        ]
        # e reads the conversations before those shown; the cursor stays where it was.
        current = timeline.current
        await pilot.press("e")
        await settle(pilot)
        assert timeline.entries == whole.timeline[-2 * PAGE :]
        assert timeline.current == current
        assert text(heading) == (
            f"Conversations · {len(whole.timeline):,} (the latest {2 * PAGE}: e shows earlier ones)"
        )
        await pilot.press("e")  # the first ones: a short page, and nothing more to show
        await settle(pilot)
        assert timeline.entries == whole.timeline and timeline.current == current
        assert text(heading) == f"Conversations · {len(whole.timeline):,}"


async def test_a_name_with_no_mentorship_says_so(sam, make_app) -> None:
    """The read starts as the screen is composed: a failure may come before it has mounted,
    and is shown once it has."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(MentorshipScreen("Nobody at all"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MentorshipScreen)
        header = text(screen.query_one("#mentorship-header", Static))
        assert header.startswith("⚠ ") and "Nobody at all" in header
        assert text(screen.query_one("#mentorship-no-ratings", Static)) == ""
        assert gc.isenabled()  # the collector's pause (app/collector.py) ends on a problem too


async def test_the_collector_is_paused_until_the_timeline_is_painted(sam, make_app) -> None:
    app = make_app()
    laid_out: list[tuple[int, bool]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = MentorshipScreen("Sam")

        def record(_: object) -> None:
            laid_out.append((screen.query_one(MentorshipTimeline).row_count, gc.isenabled()))

        screen.screen_layout_refresh_signal.subscribe(app, record, immediate=True)
        await app.push_screen(screen)
        await settle(pilot)
        assert screen.query_one(MentorshipTimeline).row_count > 0
        assert gc.isenabled()
    assert not laid_out[0][1]  # paused from compose to the first frame with the timeline
    with_rows = next(i for i, (rows, _) in enumerate(laid_out) if rows)
    assert not any(collecting for _, collecting in laid_out[: with_rows + 1])


async def test_a_reworded_question_says_so_in_its_entry(sam, make_app, db_path) -> None:
    """The list is shown before each question's first wording is read; the entries whose
    wording changed say so once it is."""
    from store.helpers import run

    with Store.open(db_path) as store:
        run(store, [("mood", "Mood?", "scale", 2, "2")], mentorship="Sam")
        run(store, [("mood", "Mood this week?", "scale", 4, "4")], mentorship="Sam")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sam(pilot)
        ratings = screen.query_one(RatingList)
        entries = [str(ratings.get_option_at_index(i).prompt) for i in range(3)]
        assert [s.key[0] for s in ratings.series] == [
            "goal_setting",
            "tough_conversation",
            "weekly",
        ]
        assert ["wording changed" in entry for entry in entries] == [False, False, True]
        assert ratings.series[2].wordings == ("Mood?", "Mood this week?")
        ratings.highlighted = 2
        await settle(pilot)
        wording = text(screen.query_one(SeriesPanel).query_one(".series-wording", Static))
        assert wording == "The wording changed: first asked as “Mood?”."
