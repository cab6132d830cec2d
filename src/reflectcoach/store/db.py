"""Store: the SQLite file, opened, migrated and written one durable transaction at a time.

One Store per thread (sqlite3's rule); `Store.open` is cheap, so workers open their own.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from . import (
    commitments,
    files,
    integrity,
    leases,
    leftover,
    mentorship_rows,
    mentorship_state,
    rawfile,
    wal,
)
from .commitments import Commitments, Made, Outcome
from .drafts import Drafts, clear_drafts
from .errors import DatabaseBusy, StoreError, guarded, translate
from .insights import Insights
from .key import Key
from .leases import Lease, Leases
from .mentorships import Mentorships, stored_name
from .migrations import check, check_file, upgrade
from .partners import Partners
from .queries import Queries
from .rows import ID_LENGTH, STATUSES, encode_value, stamp_now, stored_value
from .sync_rows import SyncRows


def new_id() -> str:
    return uuid.uuid4().hex[:ID_LENGTH]


class Store(Queries):
    """The reflection database. Reads return plain dicts (see rows.py); each write is one
    transaction, committed (synchronous=FULL) before the method returns.

    Conversations and their answers are the Store's own methods; the rest is in facets, one
    per part of the data: `store.mentorships`, `store.commitments`, `store.drafts`,
    `store.leases`, `store.insights`, `store.partners` (store/facet.py)."""

    path: Path
    db: Database
    clock: Callable[[], str]  # UTC ISO-8601 timestamps; tests may replace it
    # What opening changed that the person should hear about, once (permissions tightened);
    # front ends show them: the CLI on stderr, the app as a notification.
    notices: list[str]
    key: Key | None  # the file's key when it is encrypted (SQLCipher)

    def __init__(self, path: Path, db: Database, key: Key | None = None) -> None:
        self.path = path
        self.db = db
        self.key = key
        self.clock = stamp_now
        self.notices = []
        self.mentorships = Mentorships(self)
        self.commitments = Commitments(self)
        self.drafts = Drafts(self)
        self.leases = Leases(self)
        self.insights = Insights(self)
        self.sync = SyncRows(self)
        self.state = mentorship_state.MentorshipState(self)
        self.partners = Partners(self)
        self._held: rawfile.Inode | None = None  # this connection's hold (store/rawfile.py)

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        busy_timeout: float | None = None,
        key: Key | None = None,
        library: files.Library = "sqlite3",
        shared: bool = False,
    ) -> Store:
        """`busy_timeout`: how long a write waits for another program's lock before
        DatabaseBusy (default `files.busy_timeout()`); the app's UI thread uses a short one
        and waits in a worker instead. `key`: the file is encrypted (store/cipher.py); a new
        file is created encrypted with it. A plaintext file with a key, an encrypted one
        without, and a wrong key are refused (StoreError), the file untouched. `library`:
        "sqlcipher" reads a plaintext file through SQLCipher's copy of SQLite, for a
        conversion, so one process never has the file open through two (store/rawfile.py).
        `shared`: one connection for several threads, used one at a time (app/workers.py)."""
        target = Path(path).expanduser()
        wal.check_companions(target)  # a folder at -wal or -shm: said before anything is made
        notices = files.prepare(target, encrypted=key is not None)
        removed = leftover.remove_stale(target)  # a killed conversion's copy, unless one runs
        if removed is not None:
            notices.append(removed)
        # Both before our own hold, which would make them say "checked already".
        wal.check(target)  # before any connection: SQLite's recovery would drop what it lost
        verify = integrity.needs_check(target)
        inode = rawfile.hold(target)  # from here on, raw reads of the file keep their locks
        try:
            check_file(target, key, library, verify=verify)
            conn = files.connect(target, busy_timeout, key, library, shared)
        except sqlite3.Error as exc:
            rawfile.release(inode)
            raise translate(target, exc) from exc
        except BaseException:
            rawfile.release(inode)
            raise
        store = cls(target, Database(conn, execute_plugins=False), key)
        store.notices = notices
        store._held = inode
        try:
            store._migrate()
        except sqlite3.Error as exc:
            store._disconnect()
            raise translate(target, exc) from exc
        except BaseException:
            store._disconnect()
            raise
        return store

    def _migrate(self) -> None:
        pending = check(self.db, self.path)  # read-only: refuse before writing a byte
        files.configure(self.db.conn)
        if pending:
            with self.transaction():
                upgrade(self.db, self.path)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def _disconnect(self) -> None:
        self.db.close()
        held, self._held = self._held, None
        rawfile.release(held)  # after the connection: no lock of ours is left to drop

    def close(self) -> None:
        self._disconnect()
        integrity.remember_clean(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction (BEGIN IMMEDIATE: waits for other writers, never fails half
        way with "database is locked"); committed on exit, rolled back on error. Nested use
        becomes a savepoint."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- writing ---------------------------------------------------------------------------

    @guarded
    def start(
        self,
        *,
        script_id: str,
        script_version: int,
        script_sha256: str,
        title: str,
        mentorship: str | None,
        current_step: str,
        lease: Lease | None = None,
    ) -> str:
        """A new in-progress conversation at `current_step`; returns its id (12 hex chars).
        With `lease`, the session holds it from this same transaction on."""
        now = self.clock()
        record: dict[str, Any] = {
            "script_id": script_id,
            "script_version": script_version,
            "script_sha256": script_sha256,
            "title": title,
            "status": "in_progress",
            "current_step": current_step,
            "position": 0,
            "record": None,
            "started_at": now,
            "updated_at": now,
            "completed_at": None,
        }
        with self.transaction() as db:
            # Inside the transaction: "sam" for an existing "Sam" is stored as "Sam".
            record["mentorship"], record["mentorship_key"] = stored_name(db, mentorship)
            if record["mentorship_key"] is not None:
                mentorship_rows.ensure(db, record["mentorship_key"], record["mentorship"], now)
            table = db.table("conversations")
            for _ in range(10):
                conversation_id = new_id()
                if not table.count_where("id = ?", [conversation_id]):
                    table.insert({"id": conversation_id, **record}, pk="id")
                    if lease is not None:
                        leases.take(db, conversation_id, lease)
                    return conversation_id
        raise StoreError("Could not find a free conversation id; please try again.")

    def journal(self, conversation_id: str, lease: Lease | None = None) -> ConversationJournal:
        """The engine's writer; with `lease`, every write first checks it still holds it."""
        return ConversationJournal(self, conversation_id, lease)

    def writable(self) -> bool:
        """Can a write start now (within the busy timeout)? False while another program
        holds the write lock. Writes nothing; for those waiting to retry a write."""
        try:
            with self.transaction():
                pass
        except sqlite3.OperationalError as exc:
            if isinstance(translate(self.path, exc), DatabaseBusy):
                return False
            raise translate(self.path, exc) from exc
        return True

    @guarded
    def change_mark(self) -> tuple[int, int]:
        """Equal between two calls exactly when nothing was committed to the file meanwhile,
        by this connection (`total_changes`) or any other, in this process or another
        (`PRAGMA data_version`): what lets a screen keep what it read instead of reading it
        again."""
        (version,) = self.db.execute("PRAGMA data_version").fetchone()
        return int(version), self.db.conn.total_changes

    @guarded
    def set_status(self, conversation_id: str, status: str) -> None:
        """Set the status; `completed` stamps completed_at (kept if already set), the others
        clear it. StoreError for an unknown status or conversation."""
        if status not in STATUSES:
            raise StoreError(f"Unknown status {status!r}: use one of {', '.join(STATUSES)}.")
        now = self.clock()
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE conversations SET status = :status, updated_at = :now, "
                "completed_at = CASE WHEN :status = 'completed' "
                "THEN coalesce(completed_at, :now) ELSE NULL END WHERE id = :id",
                {"status": status, "now": now, "id": conversation_id},
            )
            _require(cursor, conversation_id)

    @guarded
    def delete(self, conversation_id: str) -> bool:
        """Delete a conversation, its answers and drafts; False if there was no such one."""
        with self.transaction() as db:
            found = db.execute(
                "SELECT mentorship_key FROM conversations WHERE id = ?", [conversation_id]
            ).fetchone()
            db.execute("DELETE FROM leases WHERE conversation_id = ?", [conversation_id])
            db.table("drafts").delete_where("conversation_id = ?", [conversation_id])
            db.table("answers").delete_where("conversation_id = ?", [conversation_id])
            db.execute("DELETE FROM outbox WHERE conversation_id = ?", [conversation_id])
            commitments.delete_made_by(db, conversation_id)
            cursor = db.execute("DELETE FROM conversations WHERE id = ?", [conversation_id])
            if found is not None and found[0] is not None:
                mentorship_rows.forget_if_empty(db, found[0])
            return cursor.rowcount > 0

    @guarded
    def discard_if_empty(self, conversation_id: str, lease: Lease | None = None) -> bool:
        """Delete a conversation in progress that holds nothing: no answer (nor skip) at all
        and no draft, as when one is opened and left at once. True if it was deleted. Never
        one that another session holds now (it may be about to answer it)."""
        token = None if lease is None else lease.token
        with self.transaction() as db:
            cursor = db.execute(
                "DELETE FROM conversations WHERE id = :id AND status = 'in_progress' "
                "AND NOT EXISTS (SELECT 1 FROM answers WHERE conversation_id = :id) "
                "AND NOT EXISTS (SELECT 1 FROM drafts WHERE conversation_id = :id) "
                "AND NOT EXISTS (SELECT 1 FROM leases WHERE conversation_id = :id "
                "AND released_at IS NULL AND token IS NOT :token)",
                {"id": conversation_id, "token": token},
            )
            if cursor.rowcount:
                db.execute("DELETE FROM leases WHERE conversation_id = ?", [conversation_id])
            return cursor.rowcount > 0


def _require(cursor: sqlite3.Cursor, conversation_id: str) -> None:
    if cursor.rowcount == 0:
        raise StoreError(f"There is no conversation {conversation_id!r} in the database.")


class ConversationJournal:
    """What the engine writes as a conversation moves; each call is one transaction."""

    def __init__(self, store: Store, conversation_id: str, lease: Lease | None = None) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.lease = lease

    def _hold(self, db: Database) -> None:
        """First thing in every write's transaction: LeaseLost (nothing written) if another
        session has taken the conversation since."""
        if self.lease is not None:
            leases.check(db, self.conversation_id, self.lease)

    @property
    def path(self) -> Path:
        return self.store.path

    def _update(
        self, db: Database, position: int, current_step: str, now: str, **extra: Any
    ) -> None:
        sets = ", ".join(f"{name} = :{name}" for name in extra)
        cursor = db.execute(
            "UPDATE conversations SET position = :position, current_step = :current_step, "
            f"updated_at = :now{', ' + sets if sets else ''} WHERE id = :id",
            {
                "position": position,
                "current_step": current_step,
                "now": now,
                "id": self.conversation_id,
                **extra,
            },
        )
        _require(cursor, self.conversation_id)

    @guarded
    def answered(
        self,
        *,
        step_id: str,
        question: str,
        qtype: str,
        text: str | None,
        value: object,
        skipped: bool,
        seq: int,
        position: int,
        current_step: str,
        discard_from: int | None,
        commitment: str | None = None,
    ) -> None:
        """Save the answer (or skip) as the row at `seq`, replacing what was there; move the
        conversation on; with `discard_from` (> seq), drop the answers at seq >= it. The
        draft at `seq` (and any from `discard_from` on) goes in the same transaction."""
        answer_json = encode_value(None if skipped else value)
        shown = None if skipped else (text if text is not None else "")
        now = self.store.clock()
        with self.store.transaction() as db:
            self._hold(db)
            self._update(db, position, current_step, now)
            db.table("answers").upsert(
                {
                    "conversation_id": self.conversation_id,
                    "step_id": step_id,
                    "seq": seq,
                    "question": question,
                    "type": qtype,
                    "answer_text": shown,
                    "answer_value": stored_value(answer_json, shown),
                    "skipped": int(skipped),
                    "answered_at": now,
                    "commitment_id": commitment,
                },
                pk=("conversation_id", "seq"),
            )
            if discard_from is not None:
                db.table("answers").delete_where(
                    "conversation_id = ? AND seq >= ?",
                    [self.conversation_id, discard_from],
                )
            # Answered: its draft is not needed any more, in the same transaction.
            clear_drafts(db, self.conversation_id, seq=seq, discard_from=discard_from)

    @guarded
    def moved(self, *, position: int, current_step: str) -> None:
        """back() (or any move without an answer): answers are kept."""
        with self.store.transaction() as db:
            self._hold(db)
            self._update(db, position, current_step, self.store.clock())

    @guarded
    def completed(
        self,
        *,
        record: str | None,
        position: int,
        current_step: str,
        made: Sequence[Made] = (),
        outcomes: Sequence[Outcome] = (),
        closes_mentorship: bool = False,
        delivers: str | None = None,
        sets: Sequence[mentorship_state.SetLike] = (),
        points: Mapping[str, str] | None = None,
    ) -> None:
        """Finished: stored with its record, the commitments it makes, its follow-ups'
        statuses and the lease given back, all in one transaction. Its mentorship's role is
        refreshed, and with `closes_mentorship` (the script's key) the mentorship is closed,
        and with `delivers` the record is queued in the outbox (as feedback or a record),
        in it too."""
        now = self.store.clock()
        with self.store.transaction() as db:
            self._hold(db)
            commitments.insert_made(db, self.conversation_id, made, now)
            for outcome in commitments.still_there(db, outcomes):
                commitments.change(
                    db,
                    outcome.commitment_id,
                    outcome.status,
                    due=outcome.due,
                    reason=outcome.reason,
                    source="conversation",
                    conversation_id=self.conversation_id,
                    now=now,
                    carried=outcome.carried,
                )
            if self.lease is not None:
                leases.release(db, self.conversation_id, self.lease)
            self._update(
                db,
                position,
                current_step,
                now,
                status="completed",
                completed_at=now,
                record=record,
            )
            found = db.execute(
                "SELECT mentorship_key FROM conversations WHERE id = ?", [self.conversation_id]
            ).fetchone()
            if found is not None and found[0] is not None:
                mentorship_rows.completed(db, found[0], self.conversation_id)
                mentorship_state.apply(db, found[0], self.conversation_id, sets, now)
                if closes_mentorship:
                    mentorship_rows.set_closed(db, found[0], now)
                if delivers is not None and record:
                    # Queued in the completion's own transaction: no completed record of
                    # such a script is ever left out of the outbox by a crash between them.
                    db.execute(
                        "INSERT OR IGNORE INTO outbox (conversation_id, kind, marked_at) "
                        "VALUES (?, ?, ?)",
                        [self.conversation_id, delivers, now],
                    )
            for point_id, status in (points or {}).items():
                if status in ("discussed", "dropped"):  # "carried": it stays open
                    mentorship_state.set_point(db, point_id, status, now)
