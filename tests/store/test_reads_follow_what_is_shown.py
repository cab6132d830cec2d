"""The reads screens make on every visit grow with what they show, not with the history:
the same call on a history four times as large runs about as many SQLite VM instructions
(counted by a progress handler, deterministic, no timing). A pass over every conversation
or answer is what made these reads grow with a lifetime of reflections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reflectcoach.store import Store

from .history import make_history

SMALL, BIG = 150, 600  # conversations; the same mentorships and scripts in both


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    folder = tmp_path_factory.mktemp("shown")
    opened = []
    for size in (SMALL, BIG):
        make_history(folder / f"{size}.db", conversations=size, answers_per=10, seed=6,
                     commitments=True)  # fmt: skip
        opened.append(Store.open(folder / f"{size}.db"))
    yield opened[0], opened[1]
    for store in opened:
        store.close()


def instructions(store: Store, call: Callable[[Store], Any]) -> int:
    """SQLite VM instructions `call` runs on the store's connection (in hundreds)."""
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    store.db.conn.set_progress_handler(tick, 100)
    try:
        call(store)
    finally:
        store.db.conn.set_progress_handler(None, 0)
    return count


def follows_what_is_shown(stores: tuple[Store, Store], call: Callable[[Store], Any]) -> None:
    small, big = (instructions(s, call) for s in stores)
    # Four times the history: a read that walks it runs about four times the instructions.
    assert big <= 1.5 * small + 20, (small, big)


def test_mentorship_names_seek_each_mentorship(stores: tuple[Store, Store]) -> None:
    follows_what_is_shown(stores, lambda s: s.mentorships.names())
    store = stores[1]
    expected = [
        row[0]
        for row in store.db.execute(
            "SELECT min(mentorship) FROM conversations WHERE mentorship_key IS NOT NULL "
            "GROUP BY mentorship_key ORDER BY 1"
        )
    ]
    assert store.mentorships.names() == expected and len(expected) > 3


def test_script_titles_seek_each_script(stores: tuple[Store, Store]) -> None:
    follows_what_is_shown(stores, lambda s: s.insights.script_titles())
    store = stores[1]
    expected = dict(
        store.db.execute(
            "SELECT script_id, title FROM (SELECT script_id, title, row_number() OVER ("
            "PARTITION BY script_id ORDER BY started_at DESC, rowid DESC) AS n "
            "FROM conversations) WHERE n = 1 ORDER BY script_id"
        ).fetchall()
    )
    assert store.insights.script_titles() == expected and len(expected) > 3


def test_a_names_empty_store_reads_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.db") as empty:
        assert empty.mentorships.names() == []
        assert empty.insights.script_titles() == {}


def latest_day(store: Store) -> dt.date:
    """A day inside the history, where some commitments are overdue and some due soon."""
    (due,) = store.db.execute(
        "SELECT due FROM commitments WHERE status = 'open' ORDER BY due DESC LIMIT 1 OFFSET 5"
    ).fetchone()
    return dt.date.fromisoformat(due) - dt.timedelta(days=3)


def test_home_due_list_reads_what_it_shows(stores: tuple[Store, Store]) -> None:
    from reflectcoach.services.due import PER_MENTORSHIP, due_lines

    for store in stores:
        today = latest_day(store)
        whole = due_lines(store.commitments.due_summary(today), today)
        assert due_lines(store.commitments.due_soon(today, PER_MENTORSHIP), today) == whole
        assert any("more (k)" in line.text for line in whole)
    follows_what_is_shown(
        stores, lambda s: s.commitments.due_soon(latest_day(stores[0]), PER_MENTORSHIP)
    )


def test_the_insights_question_list_follows_the_questions(stores: tuple[Store, Store]) -> None:
    from reflectcoach.store import numeric_summary

    for store in stores:
        store.insights.numeric_questions()  # after a bulk load the first read rebuilds it
        assert numeric_summary.is_current(store.db)
    follows_what_is_shown(stores, lambda s: s.insights.numeric_questions())


def test_review_count_of_a_common_word_stops_at_its_limit(stores: tuple[Store, Store]) -> None:
    from .history import COMMON_WORD

    assert all(s.count(query=COMMON_WORD) > 100 for s in stores)
    follows_what_is_shown(stores, lambda s: s.count(query=COMMON_WORD, at_most=30))
