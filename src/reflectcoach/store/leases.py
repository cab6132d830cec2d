"""Leases: a conversation is written by one session at a time.

Two sessions answering one conversation would each write from their own idea of where it
stands, the last writer silently undoing the other's answers. So a session holds a lease on
the conversation it writes: a row in `leases` naming a random token (one per session), its
process id and host. It is taken in the same transaction as the session's first write (a new
conversation) or when it resumes one, renewed by every write and by a heartbeat while idle,
and released when the session leaves. Every write checks, inside its own transaction (BEGIN
IMMEDIATE serialises the check and the write), that the lease is still its own; if it is not,
`LeaseLost` is raised and nothing is written.

A holder is gone, and its lease free to take without asking, when it released it, when its
process no longer exists on this host (so `kill -9` never leaves a conversation locked), or
when it has not renewed it for `EXPIRY` (a holder on another host, or a reused pid).

A released row is kept, with the token of its last holder: a session whose lease was taken
over and given back meanwhile must still find that it is no longer the holder, since the
conversation moved on without it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .errors import StoreError, guarded
from .facet import Facet
from .rows import utc_now

EXPIRY = dt.timedelta(minutes=2)
EXPIRY_ENV = "REFLECTCOACH_LEASE_EXPIRY"  # seconds; tests shorten it
HEARTBEAT_S = 30.0  # how often an idle holder renews: well inside EXPIRY


@dataclass(frozen=True, slots=True)
class Lease:
    """This session's claim: what it writes into the `leases` row."""

    token: str
    pid: int
    hostname: str

    @classmethod
    def new(cls) -> Lease:
        return cls(secrets.token_hex(8), os.getpid(), socket.gethostname())


@dataclass(frozen=True, slots=True)
class Holder:
    """Whoever the `leases` row names."""

    token: str
    pid: int
    hostname: str
    started_at: str
    renewed_at: str
    released_at: str | None

    def gone(self, now: dt.datetime | None = None) -> bool:
        """Released, its process ended (on this host), or silent for longer than the expiry."""
        if self.released_at is not None:
            return True
        if self.hostname == socket.gethostname() and not _alive(self.pid):
            return True
        now = now or dt.datetime.now(dt.UTC)
        try:
            return now - _parse(self.renewed_at) > expiry()
        except ValueError:
            return True  # not a time we wrote: nobody is renewing it

    def describe(self) -> str:
        """ "pid 4242 since 14:05" (with the host when it is another one), for messages."""
        where = "" if self.hostname == socket.gethostname() else f" on {self.hostname}"
        return f"pid {self.pid}{where} since {local_time(self.started_at)}"


class ConversationHeld(StoreError):
    """Another session, still running, holds the conversation."""

    def __init__(self, conversation_id: str, holder: Holder) -> None:
        self.conversation_id = conversation_id
        self.holder = holder
        super().__init__(
            f"Conversation {conversation_id} is open in another session "
            f"({holder.describe()}). Only one session at a time can answer it."
        )


class LeaseLost(StoreError):
    """This session no longer holds the conversation: nothing was written."""

    def __init__(self, conversation_id: str, holder: Holder | None) -> None:
        self.conversation_id = conversation_id
        self.holder = holder
        where = "another session" if holder is None else f"another session ({holder.describe()})"
        super().__init__(f"This conversation is now open in {where}.")


def expiry() -> dt.timedelta:
    value = os.environ.get(EXPIRY_ENV)
    if value:
        try:
            return dt.timedelta(seconds=max(0.0, float(value)))
        except ValueError:
            pass  # a mistyped setting keeps the default rather than failing every write
    return EXPIRY


def holder(db: Database, conversation_id: str) -> Holder | None:
    row = db.execute(
        "SELECT token, pid, hostname, started_at, renewed_at, released_at FROM leases "
        "WHERE conversation_id = ?",
        [conversation_id],
    ).fetchone()
    return None if row is None else Holder(*row)


def take(
    db: Database, conversation_id: str, lease: Lease, *, take_over: bool = False
) -> Holder | None:
    """Inside a write transaction: make `lease` the holder. ConversationHeld if another
    session holds it and is not gone (unless `take_over`: that session's next write is then
    refused). Returns the holder replaced, if it had not released it (ended, killed, or
    taken over), so that the front end can say so."""
    current = holder(db, conversation_id)
    if (
        current is not None
        and current.token != lease.token
        and not take_over
        and not current.gone()
    ):
        raise ConversationHeld(conversation_id, current)
    now = utc_now()
    db.execute(
        "INSERT INTO leases (conversation_id, token, pid, hostname, started_at, renewed_at, "
        "released_at) VALUES (:id, :token, :pid, :host, :now, :now, NULL) "
        "ON CONFLICT (conversation_id) DO UPDATE SET token = excluded.token, "
        "pid = excluded.pid, hostname = excluded.hostname, started_at = excluded.started_at, "
        "renewed_at = excluded.renewed_at, released_at = NULL",
        _params(conversation_id, lease, now),
    )
    replaced = current is not None and current.token != lease.token
    return current if replaced and current.released_at is None else None


def check(db: Database, conversation_id: str, lease: Lease) -> None:
    """Inside a write transaction, before writing: LeaseLost unless `lease` still holds the
    conversation. Renews it (a released lease nobody took since stays released)."""
    current = holder(db, conversation_id)
    if current is None or current.token != lease.token:
        raise LeaseLost(conversation_id, current)
    db.execute(
        "UPDATE leases SET renewed_at = ? WHERE conversation_id = ? AND token = ? "
        "AND released_at IS NULL",
        [utc_now(), conversation_id, lease.token],
    )


def renew(db: Database, conversation_id: str, lease: Lease) -> bool:
    """The heartbeat: False if the lease is no longer ours (nothing written then)."""
    cursor = db.execute(
        "UPDATE leases SET renewed_at = ? WHERE conversation_id = ? AND token = ? "
        "AND released_at IS NULL",
        [utc_now(), conversation_id, lease.token],
    )
    return cursor.rowcount > 0


def release(db: Database, conversation_id: str, lease: Lease) -> None:
    """Give the conversation back (if still ours); the row stays, naming us (see above)."""
    db.execute(
        "UPDATE leases SET released_at = ? WHERE conversation_id = ? AND token = ? "
        "AND released_at IS NULL",
        [utc_now(), conversation_id, lease.token],
    )


def local_time(stamp: str) -> str:
    """A stored UTC time as the local HH:MM (with the date when it is not today)."""
    try:
        moment = _parse(stamp).astimezone()
    except ValueError:
        return stamp
    if moment.date() == dt.datetime.now().astimezone().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def _parse(stamp: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    except OSError:
        return True  # cannot tell: leave it to the expiry
    return True


def _params(conversation_id: str, lease: Lease, now: str) -> dict[str, Any]:
    return {
        "id": conversation_id,
        "token": lease.token,
        "pid": lease.pid,
        "host": lease.hostname,
        "now": now,
    }


class Leases(Facet):
    """`store.leases`: which session may write a conversation, each change one transaction
    (the functions above take the transaction's database)."""

    @guarded
    def take(self, conversation_id: str, lease: Lease, *, take_over: bool = False) -> Holder | None:
        """Hold the conversation for this session: ConversationHeld if another one holds it
        and is not gone, unless `take_over`. Returns the holder replaced without having
        released it (see `take` above)."""
        with self.transaction() as db:
            return take(db, conversation_id, lease, take_over=take_over)

    @guarded
    def renew(self, conversation_id: str, lease: Lease) -> bool:
        """The heartbeat of an idle session; False once another session has taken it."""
        with self.transaction() as db:
            return renew(db, conversation_id, lease)

    @guarded
    def release(self, conversation_id: str, lease: Lease) -> None:
        with self.transaction() as db:
            release(db, conversation_id, lease)

    @guarded
    def holder(self, conversation_id: str) -> Holder | None:
        return holder(self.db, conversation_id)
