"""Imports and times at the edges of what Python's datetime and SQLite's integers hold."""

from __future__ import annotations

import pytest

from reflectcoach.store import StoreError


@pytest.mark.parametrize(
    ("key", "value"),
    [("started_at", "0001-01-01T00:00:00+01:00"), ("position", 2**63)],
)
def test_import_of_out_of_range_values_is_a_clear_error(fresh_store, key, value) -> None:
    import io
    import json

    from reflectcoach.store.importer import import_json

    item = {
        "id": "0123456789ab",
        "script_id": "s",
        "script_version": 1,
        "script_sha256": "x",
        "title": "T",
        "mentorship": None,
        "status": "in_progress",
        "current_step": "a",
        "position": 0,
        "started_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "completed_at": None,
        "record": None,
        "answers": [],
    }
    item[key] = value
    with pytest.raises(StoreError, match="Nothing was imported"):
        import_json(fresh_store, io.BytesIO(json.dumps([item]).encode()))


def test_old_years_keep_times_sortable() -> None:
    import datetime as dt

    from reflectcoach.store.rows import format_time

    assert format_time(dt.datetime(5, 1, 1, tzinfo=dt.UTC)) == "0005-01-01T00:00:00.000000Z"
    assert format_time(dt.datetime(2026, 11, 3, 9, 15, 2, 123456, tzinfo=dt.UTC)) == (
        "2026-11-03T09:15:02.123456Z"
    )
