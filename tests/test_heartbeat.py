"""The lease heartbeat both front ends use (services/heartbeat.py): it renews an idle
session's lease, and once another session has taken it, stops and says who holds it."""

from __future__ import annotations

import threading
from pathlib import Path

from reflectcoach.services.heartbeat import Heartbeat
from reflectcoach.store import Lease, LeaseLost, Store


def _start(store: Store, lease: Lease) -> str:
    return store.start(
        script_id="weekly",
        script_version=1,
        script_sha256="0",
        title="Weekly",
        mentorship=None,
        current_step="a",
        lease=lease,
    )


def test_a_beat_renews_a_lease_still_ours(tmp_path: Path) -> None:
    path, mine = tmp_path / "r.db", Lease.new()
    with Store.open(path) as store:
        cid = _start(store, mine)
    assert Heartbeat(lambda: Store.open(path), cid, mine).beat() is None


def test_a_taken_lease_stops_the_beating_and_names_the_holder(tmp_path: Path) -> None:
    path, mine, theirs = tmp_path / "r.db", Lease.new(), Lease.new()
    with Store.open(path) as store:
        cid = _start(store, mine)
        store.leases.take(cid, theirs, take_over=True)
    heard: list[LeaseLost] = []
    done = threading.Event()

    def lost(problem: LeaseLost) -> None:
        heard.append(problem)
        done.set()

    beating = Heartbeat(lambda: Store.open(path), cid, mine, on_lost=lost, every=0.01)
    with beating:
        assert done.wait(10)
        beating._thread.join(10)
        assert not beating._thread.is_alive()  # stopped on its own: nothing left to renew
    [problem] = heard
    assert problem.conversation_id == cid and problem.holder is not None
    assert "now open in another session" in str(problem)


def test_a_busy_or_unreadable_database_is_tried_again_later(tmp_path: Path) -> None:
    (tmp_path / "r.db").write_text("not a database", encoding="utf-8")
    beat = Heartbeat(lambda: Store.open(tmp_path / "r.db"), "abc", Lease.new())
    assert beat.beat() is None  # nothing to say yet: the next write tells
