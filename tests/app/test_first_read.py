"""FirstRead: a screen's first read handed to its mount, or shown by its call back."""

from __future__ import annotations

import threading

import pytest

from reflectcoach.app import first_read
from reflectcoach.app.first_read import FirstRead


def test_a_read_done_before_mount_is_taken_once() -> None:
    first: FirstRead[str] = FirstRead()
    first.hand_over("page")
    assert first.take() == "page"
    assert first.mounted
    assert first.take() is None  # taken: the call back finds the screen mounted, shows it


def test_a_read_that_ends_without_a_result_leaves_nothing_to_take() -> None:
    first: FirstRead[str] = FirstRead()
    first.end()  # a problem the call back shows, or a cancelled read
    assert first.take() is None


def test_a_read_after_mount_is_left_to_its_call_back() -> None:
    first: FirstRead[str] = FirstRead()
    first.end()
    assert first.take() is None
    first.hand_over("late")  # mounted: not kept for a take that never comes
    assert first.take() is None


def test_mount_waits_for_a_read_in_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker hands over, then its `finally` ends the wait: whichever the mount sees
    # first, the result is there when the wait is over.
    monkeypatch.setattr(first_read, "WAIT_S", 30.0)
    first: FirstRead[str] = FirstRead()
    started = threading.Event()

    def worker() -> None:
        started.wait()
        try:
            first.hand_over("page")
        finally:
            first.end()

    thread = threading.Thread(target=worker)
    thread.start()
    started.set()
    assert first.take() == "page"
    thread.join()
