"""What syncing between one person's devices keeps in the database (`store.sync`): this
device's settings (its folder, its id, its keys where there is no keyring), every version of
a conversation the change log holds (`sync_versions`), which version each local row was last
written or merged at (`sync_local`), and which change-log files were already read
(`sync_files`). The rules (which version wins, what becomes a copy) are sync/merge.py's; this
facet only reads and writes rows, each write one transaction.

A conversation travels as the object a JSON export holds for it (store/export.py), without
its drafts (text typed on one device stays there) and without its mentorship's status; it
comes back in through the importer's own checks (`importer.conversation_rows`).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import commitments_io, leases, mentorship_rows
from .errors import guarded
from .facet import Facet
from .mentorships import mentorship_key


def canonical(item: dict[str, Any]) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(item: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(item).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Version:
    conversation_id: str
    version: str  # sha256(parent, content, device), 32 hex
    parent: str | None  # the version this one was made from on its device
    content: str  # content_hash(data), or "deleted"
    device: str
    at: str  # when its device wrote it (UTC ISO)
    completed: bool
    data: str | None  # the conversation's export object, canonical JSON; None when deleted


DELETED = "deleted"
# What changes whenever anything sync sends about a conversation changes: its row (a
# rename, a status, a record) and its answers (every write stamps answered_at).
FINGERPRINT = (
    "json_array(c.updated_at, c.mentorship, c.status, c.position, c.title, c.record, "
    "c.completed_at, c.current_step, (SELECT json_array(count(*), max(a.answered_at), "
    "sum(length(a.answer_json))) FROM answers a WHERE a.conversation_id = c.id))"
)


@dataclass(frozen=True, slots=True)
class Local:
    conversation_id: str
    version: str
    content: str
    copy_of: str | None  # the version this row is a derived copy of, untouched since


class SyncRows(Facet):
    # -- settings ---------------------------------------------------------------------

    def configured(self) -> bool:
        """This device is set up to sync (`sync init` or `sync join` named it)."""
        return self.setting("device") is not None

    def setting(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync_settings WHERE name = ?", [name]).fetchone()
        return None if row is None else row[0]

    def settings_starting(self, prefix: str) -> dict[str, str]:
        return {
            name: value
            for name, value in self.db.execute(
                "SELECT name, value FROM sync_settings WHERE substr(name, 1, ?) = ?",
                [len(prefix), prefix],
            )
        }

    @guarded
    def set_settings(self, values: dict[str, str | None]) -> None:
        with self.transaction() as db:
            for name, value in values.items():
                if value is None:
                    db.execute("DELETE FROM sync_settings WHERE name = ?", [name])
                else:
                    db.execute(
                        "INSERT INTO sync_settings(name, value) VALUES (?, ?) "
                        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                        [name, value],
                    )

    # -- this device's conversations as they are now ----------------------------------

    def changed(self) -> tuple[set[str], set[str]]:
        """Conversations whose row or answers may differ from what sync last wrote or merged
        (a cheap fingerprint in SQL: no export of the whole history at every sync), and
        those sync knew that are gone."""
        changed = {
            row[0]
            for row in self.db.execute(
                f"SELECT c.id FROM conversations c LEFT JOIN sync_local s "
                f"ON s.conversation_id = c.id WHERE s.fingerprint IS NOT {FINGERPRINT}"
            )
        }
        gone = {
            row[0]
            for row in self.db.execute(
                "SELECT s.conversation_id FROM sync_local s WHERE s.content != 'deleted' AND "
                "NOT EXISTS (SELECT 1 FROM conversations c WHERE c.id = s.conversation_id)"
            )
        }
        return changed, gone

    def exists(self, conversation_id: str) -> bool:
        found = self.db.execute("SELECT 1 FROM conversations WHERE id = ?", [conversation_id])
        return found.fetchone() is not None

    def current(self, ids: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """Conversations here (`ids`, or every one) as the objects sync sends: the export's,
        less drafts and the mentorship's status."""
        from .export import json_conversations

        if ids is not None and not ids:
            return {}
        buffer = io.StringIO()
        json_conversations(self.store, buffer, ids=ids)
        text = buffer.getvalue().strip()
        items = json.loads(f"[{text}]") if text else []
        found: dict[str, dict[str, Any]] = {}
        for item in items:
            item.pop("drafts", None)
            item.pop("mentorship_status", None)
            found[item["id"]] = item
        return found

    def item(self, conversation_id: str) -> dict[str, Any] | None:
        from .export import json_conversations

        buffer = io.StringIO()
        json_conversations(self.store, buffer, ids=[conversation_id])
        text = buffer.getvalue().strip()
        if not text:
            return None
        item = json.loads(text)
        item.pop("drafts", None)
        item.pop("mentorship_status", None)
        return item

    def locals(self) -> dict[str, Local]:
        return {
            row[0]: Local(*row)
            for row in self.db.execute(
                "SELECT conversation_id, version, content, copy_of FROM sync_local"
            )
        }

    def commitments_since(self, mark: str | None) -> dict[str, Any] | None:
        """Commitments made or changed, and their events, after `mark` (every one if None)."""
        since = mark or ""
        rows = self.db.execute(
            f"SELECT {', '.join(commitments_io.EXPORTED)} FROM commitments "
            "WHERE updated_at > ? OR created_at > ? ORDER BY created_at, id",
            [since, since],
        ).fetchall()
        events = self.db.execute(
            f"SELECT {', '.join(commitments_io.EVENT_COLUMNS)} FROM commitment_events "
            "WHERE at > ? ORDER BY at, id",
            [since],
        ).fetchall()
        if not rows and not events:
            return None
        return {
            commitments_io.KEY: [dict(zip(commitments_io.EXPORTED, r, strict=True)) for r in rows],
            commitments_io.EVENTS_KEY: [
                dict(zip(commitments_io.EVENT_COLUMNS, r, strict=True)) for r in events
            ],
        }

    # -- versions ---------------------------------------------------------------------

    @guarded
    def add_versions(self, versions: Iterable[Version]) -> set[str]:
        """Keep versions not seen before; the conversations they are about."""
        touched: set[str] = set()
        with self.transaction() as db:
            for v in versions:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO sync_versions(conversation_id, version, parent, "
                    "content, device, at, completed, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        v.conversation_id,
                        v.version,
                        v.parent,
                        v.content,
                        v.device,
                        v.at,
                        int(v.completed),
                        v.data,
                    ],
                )
                if cursor.rowcount:
                    touched.add(v.conversation_id)
        return touched

    def versions(self, conversation_id: str) -> list[Version]:
        return [
            Version(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7])
            for r in self.db.execute(
                "SELECT conversation_id, version, parent, content, device, at, completed, data "
                "FROM sync_versions WHERE conversation_id = ?",
                [conversation_id],
            )
        ]

    def version_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM sync_versions").fetchone()[0])

    # -- files ------------------------------------------------------------------------

    def read_files(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, sha256 FROM sync_files").fetchall())

    @guarded
    def mark_read(self, names: Sequence[tuple[str, str]]) -> None:
        now = self.clock()
        with self.transaction() as db:
            db.conn.executemany(
                "INSERT OR IGNORE INTO sync_files(name, sha256, read_at) VALUES (?, ?, ?)",
                [(name, digest, now) for name, digest in names],
            )

    # -- writing what the merge decided -------------------------------------------------

    def held_elsewhere(self, conversation_id: str) -> bool:
        """Whether a live session (the app, plain mode) has this conversation open."""
        found = leases.holder(self.db, conversation_id)
        return found is not None and not found.gone()

    @guarded
    def record_local(self, rows: Sequence[Local]) -> None:
        with self.transaction() as db:
            for row in rows:
                self._local(db, row)

    @guarded
    def replace(self, item: dict[str, Any], local: Local, refresh: set[str] | None = None) -> None:
        """Make the conversation exactly `item` (checked by the importer's rules): its row
        and answers replaced, its drafts dropped (they were typed for another path), its
        commitments kept. One transaction, with the sync_local row."""
        from .importer import conversation_rows

        row, answers, _ = conversation_rows(item)
        row.pop("_state", None)
        with self.transaction() as db:
            old = db.execute(
                "SELECT mentorship_key FROM conversations WHERE id = ?", [row["id"]]
            ).fetchone()
            db.table("drafts").delete_where("conversation_id = ?", [row["id"]])
            db.table("answers").delete_where("conversation_id = ?", [row["id"]])
            db.execute("DELETE FROM conversations WHERE id = ?", [row["id"]])
            # The name exactly as the version has it (a rename travels this way), so the
            # conversation reads back as the version it was written from.
            key = mentorship_key(row["mentorship"])
            row["mentorship_key"] = key
            db.table("conversations").insert(row, pk="id")
            db.table("answers").insert_all(answers, pk=("conversation_id", "seq"))
            if key is not None:
                mentorship_rows.ensure(db, key, row["mentorship"], row["started_at"])
                if refresh is None:
                    mentorship_rows.refresh(db, key)
                else:  # the caller refreshes once for many (a catch-up: thousands)
                    refresh.add(key)
            if old is not None and old[0] is not None and old[0] != key:
                mentorship_rows.forget_if_empty(db, old[0])
            self._local(db, local)
        after = self.item(row["id"])
        if after is not None and content_hash(after) != local.content:
            self.record_local(
                [Local(local.conversation_id, local.version, content_hash(after), local.copy_of)]
            )

    @guarded
    def refresh_mentorships(self, keys: Iterable[str]) -> None:
        """Each mentorship's row (its role, from its latest conversation) brought up to date."""
        with self.transaction() as db:
            for key in sorted(keys):
                mentorship_rows.refresh(db, key)

    @guarded
    def remove(self, conversation_id: str, local: Local | None) -> None:
        """A conversation deleted on another device (or a derived copy no longer needed)."""
        self.store.delete(conversation_id)
        with self.transaction() as db:
            if local is None:
                db.execute("DELETE FROM sync_local WHERE conversation_id = ?", [conversation_id])
            else:
                self._local(db, local)

    def _local(self, db: Any, local: Local) -> None:
        # With the row's fingerprint as it is now, in the same transaction.
        db.execute(
            "INSERT INTO sync_local(conversation_id, version, content, copy_of, fingerprint) "
            f"VALUES (:id, :version, :content, :copy_of, (SELECT {FINGERPRINT} FROM "
            "conversations c WHERE c.id = :id)) ON CONFLICT(conversation_id) DO UPDATE SET "
            "version = excluded.version, content = excluded.content, "
            "copy_of = excluded.copy_of, fingerprint = excluded.fingerprint",
            {
                "id": local.conversation_id,
                "version": local.version,
                "content": local.content,
                "copy_of": local.copy_of,
            },
        )

    @guarded
    def merge_commitments(self, parts: Sequence[dict[str, Any]]) -> int:
        """Commitments and events from other devices, by union (ids); each touched
        commitment then takes the status, due date and reason of its newest event (every
        event kept: the history, and the value that lost)."""
        read = [commitments_io.read_part(part) for part in parts]
        ids = {row["id"] for rows, _ in read for row in rows} | {
            e["commitment_id"] for _, events in read for e in events
        }
        if not ids:
            return 0
        with self.transaction() as db:
            commitments_io.write_part(db, read)
            for ident in sorted(ids):
                newest = db.execute(
                    "SELECT to_status, to_due, reason, at FROM commitment_events "
                    "WHERE commitment_id = ? ORDER BY at DESC, id DESC LIMIT 1",
                    [ident],
                ).fetchone()
                if newest is None:
                    continue
                status, due, reason, at = newest
                db.execute(
                    "UPDATE commitments SET status = coalesce(?, status), "
                    "due = coalesce(?, due), reason = ?, updated_at = max(updated_at, ?) "
                    "WHERE id = ?",
                    [status, due, reason, at, ident],
                )
        return len(ids)
