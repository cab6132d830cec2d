"""Keeping an idle session's lease alive while the person thinks, for both front ends.

Writes renew the lease (store/leases.py), but a person may think for longer than its
expiry between two answers; without renewals another session would judge this one gone and
take the conversation. So a daemon thread renews it every `HEARTBEAT_S`, through a Store the
caller opens for that thread (sqlite3 connections stay on one thread): plain mode runs it
around the conversation with a Store of its own, the app's conversation screen from mount
until it leaves, through the app's worker store.

A renewal that fails for now (the database busy or unreadable) changes nothing: the next beat
tries again, and the next write checks the lease itself. A lease another session has taken
ends the beating, and `on_lost` hears who holds it (the app says so at once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from types import TracebackType

from reflectcoach.store import Store, StoreError
from reflectcoach.store.leases import HEARTBEAT_S, Lease, LeaseLost


class Heartbeat:
    """`with Heartbeat(open_store, conversation_id, lease):` (or `start()` ... `stop()`)
    renews the lease until the block ends. `open_store` opens a Store for the calling thread."""

    def __init__(
        self,
        open_store: Callable[[], AbstractContextManager[Store]],
        conversation_id: str,
        lease: Lease,
        *,
        on_lost: Callable[[LeaseLost], object] | None = None,
        every: float = HEARTBEAT_S,
    ) -> None:
        self.open_store = open_store
        self.conversation_id = conversation_id
        self.lease = lease
        self.on_lost = on_lost
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-heartbeat", daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        # Not joined: a renewal waiting on another program's lock must not hold up leaving;
        # the thread is a daemon and does nothing once stopped.

    def __enter__(self) -> Heartbeat:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def beat(self) -> LeaseLost | None:
        """One renewal: the LeaseLost to report once another session has taken the lease;
        None while it is ours, or while the database cannot say (busy: the next beat tries)."""
        try:
            with self.open_store() as store:
                if store.leases.renew(self.conversation_id, self.lease):
                    return None
                holder = store.leases.holder(self.conversation_id)
        except StoreError:
            return None
        return LeaseLost(self.conversation_id, holder)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            lost = self.beat()
            if lost is not None:
                if self.on_lost is not None and not self._stop.is_set():
                    self.on_lost(lost)
                return
