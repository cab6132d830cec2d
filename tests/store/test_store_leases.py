"""Leases: one session writes a conversation at a time; a gone holder never locks it."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.store import ConversationHeld, DatabaseBusy, Lease, LeaseLost, Store


def start(store: Store, lease: Lease | None = None) -> str:
    return store.start(
        script_id="weekly",
        script_version=1,
        script_sha256="0",
        title="Weekly",
        mentorship=None,
        current_step="a",
        lease=lease,
    )


def answer(store: Store, cid: str, lease: Lease, seq: int = 0, text: str = "x") -> None:
    store.journal(cid, lease).answered(
        step_id=f"s{seq}",
        question="q",
        qtype="text",
        text=text,
        value=text,
        skipped=False,
        seq=seq,
        position=seq + 1,
        current_step="b",
        discard_from=None,
    )


def ended_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_live_holder_keeps_it_and_a_second_session_is_told_who(fresh_store: Store) -> None:
    mine = Lease.new()
    cid = start(fresh_store, mine)
    with pytest.raises(ConversationHeld, match=f"open in another session \\(pid {os.getpid()} "):
        fresh_store.leases.take(cid, Lease.new())
    answer(fresh_store, cid, mine)  # still the holder's to write


def test_a_taken_lease_refuses_answers_and_drafts_writing_nothing(fresh_store: Store) -> None:
    mine, theirs = Lease.new(), Lease.new()
    cid = start(fresh_store, mine)
    fresh_store.leases.take(cid, theirs, take_over=True)
    with pytest.raises(LeaseLost, match="now open in another session"):
        answer(fresh_store, cid, mine)
    with pytest.raises(LeaseLost):
        fresh_store.drafts.save(cid, seq=0, step_id="s0", text="typed", lease=mine)
    with pytest.raises(LeaseLost):
        fresh_store.journal(cid, mine).moved(position=0, current_step="a")
    assert fresh_store.answers(cid) == [] and fresh_store.drafts.all(cid) == []
    assert fresh_store.conversation(cid)["current_step"] == "a"
    assert fresh_store.leases.renew(cid, mine) is False
    # Given back by the other session, it is still not this one's: it moved on meanwhile.
    fresh_store.leases.release(cid, theirs)
    with pytest.raises(LeaseLost):
        answer(fresh_store, cid, mine)


def test_an_ended_holder_or_an_expired_lease_is_taken_without_asking(
    fresh_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = dataclasses.replace(Lease.new(), pid=ended_pid())
    cid = start(fresh_store, dead)
    took_from = fresh_store.leases.take(cid, Lease.new())
    assert took_from is not None and took_from.pid == dead.pid

    live = Lease.new()
    other = start(fresh_store, live)
    monkeypatch.setenv("REFLECTCOACH_LEASE_EXPIRY", "0")  # silent for longer than that
    assert fresh_store.leases.take(other, Lease.new()) is not None


def test_a_released_lease_is_free_and_completing_releases_it(fresh_store: Store) -> None:
    first = Lease.new()
    cid = start(fresh_store, first)
    fresh_store.leases.release(cid, first)
    second = Lease.new()
    assert fresh_store.leases.take(cid, second) is None  # given back: nobody to mention
    fresh_store.journal(cid, second).completed(record=None, position=0, current_step="_done")
    holder = fresh_store.leases.holder(cid)
    assert holder is not None and holder.released_at is not None


def test_discarding_an_empty_conversation_spares_one_another_session_holds(
    fresh_store: Store,
) -> None:
    mine, theirs = Lease.new(), Lease.new()
    cid = start(fresh_store, mine)
    fresh_store.leases.take(cid, theirs, take_over=True)
    assert fresh_store.discard_if_empty(cid, mine) is False
    assert fresh_store.discard_if_empty(cid, theirs) is True
    assert fresh_store.leases.holder(cid) is None


@pytest.mark.plaintext
def test_a_lock_held_elsewhere_is_database_busy_and_not_writable(db_path: Path) -> None:
    Store.open(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(db_path, busy_timeout=0.05) as store:
            assert store.writable() is False
            with pytest.raises(DatabaseBusy, match="another program is still writing"):
                start(store, Lease.new())
    finally:
        other.execute("COMMIT")
        other.close()
    with Store.open(db_path) as store:
        assert store.writable() is True
        assert store.count() == 0
