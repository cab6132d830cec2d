"""Property tests for last round's features, which hostile testing found holes in: the
calendar (any date a person can type, any text), a commitments part of an import (any value
in any field: StoreError with nothing imported, or imported), and renames and merges of
mentorships in any order (no conversation or commitment lost, the rows always the
mentorships the conversations name)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from reflectcoach.core.text import clean
from reflectcoach.store import Store, StoreError
from reflectcoach.store.calendar import build
from reflectcoach.store.commitments import STATUSES, Commitment
from reflectcoach.store.export import write_json
from reflectcoach.store.importer import import_json
from reflectcoach.store.mentorships import mentorship_key

from .history import make_history

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
RUNS = itertools.count()

commitments = st.builds(
    Commitment,
    id=st.from_regex(r"\A[0-9a-f]{12}\Z"),
    mentorship=st.one_of(st.none(), st.text(max_size=30)),
    text=st.text(min_size=1, max_size=200),
    goal=st.one_of(st.none(), st.text(max_size=60)),
    due=st.one_of(st.none(), st.dates(), st.sampled_from([dt.date.min, dt.date.max])),
    status=st.sampled_from(STATUSES),
    reason=st.one_of(st.none(), st.text(max_size=40)),
    conversation_id=st.none(),
    step_id=st.none(),
    seq=st.none(),
    created_at=st.just("2026-12-01T09:00:00.000000+00:00"),
    updated_at=st.just("2026-12-01T09:00:00.000000+00:00"),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(commitments, max_size=8, unique_by=lambda c: c.id))
def test_every_calendar_parses_back_with_one_event_per_dated_commitment(items) -> None:
    data, undated = build(items, NOW)
    assert [c.id for c in undated] == [c.id for c in items if c.due is None]
    events = {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    assert set(events) == {f"{c.id}@reflectcoach" for c in items if c.due is not None}
    for item in items:
        if item.due is None:
            continue
        event = events[f"{item.id}@reflectcoach"]
        assert event.decoded("dtstart") == item.due
        assert str(event["summary"]) == clean(item.text)
        if "dtend" in event:
            assert event.decoded("dtend") - item.due == dt.timedelta(days=1)
        else:
            assert item.due == dt.date.max  # no day after it: one day by RFC 5545


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("fuzz") / "source.db"
    make_history(db, conversations=6, answers_per=4, seed=3, commitments=True)
    out = io.StringIO()
    with Store.open(db) as store:
        write_json(store, out)
    data = json.loads(out.getvalue())
    assert data["commitments"]
    return data


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.from_regex(r"\A[0-9a-f]{12}\Z"),
        st.sampled_from(["2026-12-04", "9999-12-31", "0001-01-01", "2026-12-04T10:00:00+14:00"]),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(), inner)),
    max_leaves=5,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_value_in_a_commitments_part_imports_or_is_refused_whole(
    exported: dict[str, Any], tmp_path: Path, data: st.DataObject
) -> None:
    spoiled = json.loads(json.dumps(exported))
    part = spoiled
    table = data.draw(st.sampled_from(["commitments", "commitment_events"]))
    rows = part[table]
    row = rows[data.draw(st.integers(0, len(rows) - 1))]
    key = data.draw(st.sampled_from(sorted(row)))
    row[key] = data.draw(json_values)
    target = tmp_path / f"fuzz-{next(RUNS)}.db"  # one database per example
    with Store.open(target) as store:
        try:
            import_json(store, io.StringIO(json.dumps(spoiled)))
        except StoreError as problem:
            assert "Nothing was imported" in str(problem)
            assert store.count() == 0
            assert store.commitments.all(statuses=None) == []
            assert store.commitments.events() == []


NAMES = ["Sam", "sam ", "Bo", "Kim", "Ana Lee", "ANA  lee"]


def _state(store: Store) -> tuple[dict[str, int], dict[str, int], set[str]]:
    conversations = dict(
        store.db.execute(
            "SELECT mentorship_key, count(*) FROM conversations "
            "WHERE mentorship_key IS NOT NULL GROUP BY mentorship_key"
        ).fetchall()
    )
    made = dict(
        store.db.execute(
            "SELECT mentorship_key, count(*) FROM commitments "
            "WHERE mentorship_key IS NOT NULL GROUP BY mentorship_key"
        ).fetchall()
    )
    rows = {key for (key,) in store.db.execute("SELECT mentorship_key FROM mentorships")}
    return conversations, made, rows


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("renames") / "history.db"
    make_history(db, conversations=40, answers_per=3, seed=5, commitments=True)
    return db


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(st.tuples(st.integers(0, 30), st.sampled_from(NAMES)), min_size=1, max_size=6),
)
def test_renames_and_merges_in_any_order_lose_nothing(
    history: Path, tmp_path: Path, steps: list[tuple[int, str]]
) -> None:
    import shutil

    db = tmp_path / f"renames-{next(RUNS)}.db"
    shutil.copy(history, db)
    with Store.open(db) as store:
        conversations, made, rows = _state(store)
        assert rows == set(conversations)
        total, total_made = sum(conversations.values()), sum(made.values())
        for pick, new in steps:
            names = store.mentorships.names()
            old = names[pick % len(names)]
            store.mentorships.rename(old, new)
            after, after_made, after_rows = _state(store)
            assert sum(after.values()) == total and sum(after_made.values()) == total_made
            assert after_rows == set(after), "the rows are the mentorships named"
            new_key = mentorship_key(new)
            assert new_key in after
            if mentorship_key(old) != new_key:
                assert mentorship_key(old) not in after
            assert all(n in store.mentorships.names() for n in [store.mentorships.name_for(new)])
