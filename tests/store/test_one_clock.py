"""One clock (issue 21, item 2): `REFLECTCOACH_TODAY` dates what is stored, not only the
questions, so a simulated relationship shows one date, not three."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reflectcoach.store import Store

from .helpers import WEEKLY, run


def local(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()


def test_reflectcoach_today_dates_what_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-03-14")
    with Store.open(tmp_path / "r.db") as store:
        conversation_id = run(store, WEEKLY, mentorship="Sam")
        row = store.conversation(conversation_id)
        assert row is not None
        assert local(row["started_at"]).date().isoformat() == "2026-03-14"
        assert local(row["completed_at"]).date().isoformat() == "2026-03-14"
        assert all(
            local(a["answered_at"]).date().isoformat() == "2026-03-14"
            for a in store.answers(conversation_id)
        )
        [sam] = store.mentorships.all()
        assert sam.started == "2026-03-14"
