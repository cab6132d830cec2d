"""Mutable state across devices: a commitment's status, newest wins, every change kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from store.helpers import Clock
from store.test_store_commitments import plan

from reflectcoach.sync import device as sync_device
from sync.helpers import Device, dump, pair


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-12-01")


def test_a_commitment_changed_on_two_devices_takes_the_newest_and_keeps_both(
    tmp_path: Path,
) -> None:
    clock = Clock()
    folder = tmp_path / "Sync"
    a, b = Device(tmp_path, "laptop", clock), Device(tmp_path, "home", clock)
    sync_device.init(a.store, folder)
    pair(a, b, folder)
    plan(a.store)
    a.sync()
    b.sync()
    first = a.store.commitments.all()[0]
    assert [c.id for c in b.store.commitments.all()] == [c.id for c in a.store.commitments.all()]
    a.store.commitments.set_status(first.id, "done")  # earlier
    b.store.commitments.set_status(first.id, "not_yet", due=dt.date(2026, 12, 11))  # later
    a.sync()
    b.sync()
    a.sync()
    for device in (a, b):
        mine = device.store.commitments.get(first.id)
        assert (mine.status, mine.due) == ("not_yet", dt.date(2026, 12, 11))
        history = [e["to_status"] for e in device.store.commitments.events(first.id)]
        assert history == ["open", "done", "not_yet"]  # the value that lost, still there
    assert dump(a.state()) == dump(b.state())
    a.close()
    b.close()
