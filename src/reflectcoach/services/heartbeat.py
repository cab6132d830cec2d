"""Keeping an idle session's lease alive while the person thinks (plain mode).

Writes renew the lease (store/leases.py), but a person may think for longer than its
expiry between two answers; without renewals another session would judge this one gone and
take the conversation. So a daemon thread renews it every `HEARTBEAT_S` through its own Store
(sqlite3 connections stay on one thread). The app does the same from a timer and a worker.

A renewal that fails (the database busy, or the lease taken) changes nothing here: the next
write checks the lease itself and says what happened.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

from reflectcoach.store import Store, StoreError
from reflectcoach.store.key import Key
from reflectcoach.store.leases import HEARTBEAT_S, Lease


class Heartbeat:
    """`with Heartbeat(path, conversation_id, lease):` renews the lease until the block ends."""

    def __init__(
        self,
        path: Path,
        conversation_id: str,
        lease: Lease,
        every: float = HEARTBEAT_S,
        key: Key | None = None,
    ) -> None:
        self.path = path
        self.key = key
        self.conversation_id = conversation_id
        self.lease = lease
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="lease-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        # Not joined: a renewal waiting on another program's lock must not hold up leaving;
        # the thread is a daemon and does nothing once stopped.

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with Store.open(self.path, key=self.key) as store:
                    if not store.leases.renew(self.conversation_id, self.lease):
                        return  # taken by another session: the next write says so
            except StoreError:
                continue  # busy or unreadable for now: try again at the next beat
