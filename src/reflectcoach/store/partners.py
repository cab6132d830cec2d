"""The exchange with a partner, as stored: this person's identity, the partner linked to each
mentorship, what the partner last shared, and the records that go with the next share.

The partner's side lives in `partner_sections` only (one row per named section, replaced as
a whole by a newer bundle): it is never mixed into this person's conversations, answers or
commitments, so nothing a partner sends can change what the person said. The services above
(services/exchange.py) build, check and read the sections; this facet only stores them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import StoreError, guarded
from .facet import Facet
from .mentorship_rows import get as mentorship_row
from .mentorships import mentorship_key

SELF = "self"  # the identity table's one row
KINDS = ("record", "feedback")  # what a record marked to send is delivered as


@dataclass(frozen=True, slots=True)
class IdentityRow:
    age_recipient: str
    signing_public: str  # base64url of the raw 32 bytes
    secret_where: str  # "keyring" | "database"
    age_secret: str | None  # only when secret_where == "database"
    signing_secret: str | None
    created_at: str


@dataclass(frozen=True, slots=True)
class Partner:
    mentorship_key: str
    name: str  # the mentorship's name on this side
    age_recipient: str
    signing_public: str
    linked_at: str
    sent_seq: int  # the last sequence number this side put in a bundle for them
    received_seq: int  # the last one received from them (0: none yet)
    received_at: str | None  # when it was received here
    made_at: str | None  # when they made it (their clock, inside the signed payload)


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    version: int
    body: Any
    seq: int
    received_at: str


@dataclass(frozen=True, slots=True)
class Marked:
    conversation_id: str
    kind: str  # one of KINDS
    marked_at: str


class Older(StoreError):
    """A bundle no newer than the one already received from that partner."""

    def __init__(self, message: str, *, same: bool) -> None:
        super().__init__(message)
        self.same = same


_PARTNER = (
    "SELECT p.mentorship_key, m.name, p.age_recipient, p.signing_public, p.linked_at, "
    "coalesce(p.sent_seq, 0), coalesce(p.received_seq, 0), p.received_at, p.made_at "
    "FROM partners p JOIN mentorships m ON m.mentorship_key = p.mentorship_key"
)


class Partners(Facet):
    """`store.partners`: identity, partner links, their side, and the outbox."""

    # -- this person's identity -------------------------------------------------------------

    @guarded
    def identity(self) -> IdentityRow | None:
        row = self.db.execute(
            "SELECT age_recipient, signing_public, secret_where, age_secret, signing_secret, "
            "created_at FROM identity WHERE slot = ?",
            [SELF],
        ).fetchone()
        return None if row is None else IdentityRow(*row)

    @guarded
    def save_identity(
        self,
        age_recipient: str,
        signing_public: str,
        *,
        age_secret: str | None,
        signing_secret: str | None,
    ) -> IdentityRow:
        """Keep a new identity; the one already there wins (two processes making one at once
        end with the same)."""
        where = "keyring" if age_secret is None else "database"
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO identity (slot, age_recipient, signing_public, "
                "secret_where, age_secret, signing_secret, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [SELF, age_recipient, signing_public, where, age_secret, signing_secret,
                 self.clock()],
            )  # fmt: skip
        found = self.identity()
        assert found is not None
        return found

    @guarded
    def forget_identity(self) -> None:
        """Drop this person's identity (a lost or exposed key): the next use makes a new one.
        Its keyring entry, if any, is the caller's to drop."""
        with self.transaction() as db:
            db.execute("DELETE FROM identity WHERE slot = ?", [SELF])

    # -- partners ---------------------------------------------------------------------------

    @guarded
    def link(self, name: str, age_recipient: str, signing_public: str) -> Partner:
        """Link the mentorship `name` to the partner with these public keys. Linking another
        identity forgets what the previous one shared."""
        key = mentorship_key(name)
        with self.transaction() as db:
            found = None if key is None else mentorship_row(db, key)
            if found is None:
                raise StoreError(
                    f"No mentorship named {name!r}. Start a conversation about it first "
                    f"(reflectcoach start first_meeting -m {name!r})."
                )
            other = db.execute(
                f"{_PARTNER} WHERE p.signing_public = ? AND p.mentorship_key != ?",
                [signing_public, found.key],
            ).fetchone()
            if other is not None:
                raise StoreError(
                    f"That identity is already linked to the mentorship {other[1]!r}: one "
                    "partner, one mentorship."
                )
            before = db.execute(
                "SELECT signing_public FROM partners WHERE mentorship_key = ?", [found.key]
            ).fetchone()
            if before is not None and before[0] != signing_public:
                db.execute("DELETE FROM partner_sections WHERE mentorship_key = ?", [found.key])
                db.execute("DELETE FROM partners WHERE mentorship_key = ?", [found.key])
            db.execute(
                "INSERT INTO partners (mentorship_key, age_recipient, signing_public, "
                "linked_at, sent_seq, received_seq) VALUES (?, ?, ?, ?, 0, 0) "
                "ON CONFLICT (mentorship_key) DO UPDATE SET age_recipient = excluded."
                "age_recipient",
                [found.key, age_recipient, signing_public, self.clock()],
            )
        partner = self.get(name)
        assert partner is not None
        return partner

    @guarded
    def get(self, name: str) -> Partner | None:
        key = mentorship_key(name)
        if key is None:
            return None
        row = self.db.execute(f"{_PARTNER} WHERE p.mentorship_key = ?", [key]).fetchone()
        return None if row is None else Partner(*row)

    @guarded
    def by_signing_key(self, signing_public: str) -> Partner | None:
        row = self.db.execute(f"{_PARTNER} WHERE p.signing_public = ?", [signing_public]).fetchone()
        return None if row is None else Partner(*row)

    @guarded
    def all(self) -> list[Partner]:
        return [Partner(*row) for row in self.db.execute(f"{_PARTNER} ORDER BY m.name")]

    @guarded
    def next_sent_seq(self, partner: Partner, at_least: int) -> int:
        """The sequence number for a new bundle to `partner`: above every one sent before,
        and at least `at_least` (the time), so a database restored from a backup still
        sends bundles newer than those it sent since."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT coalesce(sent_seq, 0) FROM partners WHERE mentorship_key = ?",
                [partner.mentorship_key],
            ).fetchone()
            if row is None:
                raise StoreError(f"The partner of {partner.name!r} is no longer linked.")
            seq = max(int(row[0]) + 1, at_least)
            db.execute(
                "UPDATE partners SET sent_seq = ? WHERE mentorship_key = ?",
                [seq, partner.mentorship_key],
            )
        return seq

    # -- what the partner shared ------------------------------------------------------------

    @guarded
    def sections(self, name: str) -> dict[str, Section]:
        key = mentorship_key(name)
        rows = self.db.execute(
            "SELECT section, version, body_json, seq, received_at FROM partner_sections "
            "WHERE mentorship_key = ? ORDER BY section",
            [key],
        ).fetchall()
        return {r[0]: Section(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in rows}

    @guarded
    def receive(
        self,
        partner: Partner,
        seq: int,
        made_at: str,
        sections: Mapping[str, tuple[int, Any]],
    ) -> None:
        """Their side as this bundle says, in place of what an older one said, in one
        transaction. `Older` (nothing written) when it is not newer than the last one."""
        now = self.clock()
        with self.transaction() as db:
            row = db.execute(
                "SELECT coalesce(received_seq, 0), signing_public FROM partners "
                "WHERE mentorship_key = ?",
                [partner.mentorship_key],
            ).fetchone()
            if row is None or row[1] != partner.signing_public:
                raise StoreError(f"The partner of {partner.name!r} is no longer linked.")
            if seq <= int(row[0]):
                raise Older("not newer than the last one received", same=seq == int(row[0]))
            db.execute(
                "DELETE FROM partner_sections WHERE mentorship_key = ?", [partner.mentorship_key]
            )
            for section, (version, body) in sections.items():
                db.execute(
                    "INSERT INTO partner_sections (mentorship_key, section, version, "
                    "body_json, seq, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [partner.mentorship_key, section, version,
                     json.dumps(body, ensure_ascii=False, sort_keys=True), seq, now],
                )  # fmt: skip
            db.execute(
                "UPDATE partners SET received_seq = ?, received_at = ?, made_at = ? "
                "WHERE mentorship_key = ?",
                [seq, now, made_at, partner.mentorship_key],
            )

    # -- the outbox: records marked to send ---------------------------------------------------

    @guarded
    def mark(self, conversation_id: str, kind: str = "record") -> None:
        if kind not in KINDS:
            raise StoreError(f"Send a record as one of: {', '.join(KINDS)}.")
        with self.transaction() as db:
            row = db.execute(
                "SELECT status, record, mentorship_key FROM conversations WHERE id = ?",
                [conversation_id],
            ).fetchone()
            if row is None:
                raise StoreError(f"No conversation {conversation_id}.")
            if row[0] != "completed" or not row[1]:
                raise StoreError("Only a completed conversation's record can be sent.")
            if row[2] is None:
                raise StoreError(
                    "That conversation is about no mentorship: give it one first "
                    "(reflectcoach mentorship rename), so it is clear who it goes to."
                )
            db.execute(
                "INSERT INTO outbox (conversation_id, kind, marked_at) VALUES (?, ?, ?) "
                "ON CONFLICT (conversation_id) DO UPDATE SET kind = excluded.kind",
                [conversation_id, kind, self.clock()],
            )

    @guarded
    def unmark(self, conversation_id: str) -> bool:
        with self.transaction() as db:
            cursor = db.execute("DELETE FROM outbox WHERE conversation_id = ?", [conversation_id])
            return cursor.rowcount > 0

    @guarded
    def marked(self, name: str) -> list[tuple[Marked, dict[str, Any]]]:
        """The records marked to send in the mentorship `name`, oldest first, each with its
        conversation (id, script_id, title, completed_at, record)."""
        rows = self.db.execute(
            "SELECT o.conversation_id, o.kind, o.marked_at, c.script_id, c.title, "
            "c.completed_at, c.record FROM outbox o JOIN conversations c "
            "ON c.id = o.conversation_id WHERE c.mentorship_key = ? AND c.status = 'completed' "
            "ORDER BY c.completed_at, c.id",
            [mentorship_key(name)],
        ).fetchall()
        return [
            (
                Marked(r[0], r[1], r[2]),
                {
                    "id": r[0],
                    "script_id": r[3],
                    "title": r[4],
                    "completed_at": r[5],
                    "record": r[6],
                },
            )
            for r in rows
        ]


def follow_rename(db: Any, old_key: str, new_key: str) -> None:
    """A renamed mentorship keeps its partner; a merge keeps the target's when both have one.
    Called inside the rename's transaction."""
    if old_key == new_key:
        return
    taken = db.execute("SELECT 1 FROM partners WHERE mentorship_key = ?", [new_key]).fetchone()
    if taken is None:
        db.execute(
            "UPDATE partners SET mentorship_key = ? WHERE mentorship_key = ?", [new_key, old_key]
        )
        db.execute(
            "UPDATE partner_sections SET mentorship_key = ? WHERE mentorship_key = ?",
            [new_key, old_key],
        )
    else:
        db.execute("DELETE FROM partner_sections WHERE mentorship_key = ?", [old_key])
        db.execute("DELETE FROM partners WHERE mentorship_key = ?", [old_key])


def their_points(db: Any, key: str) -> list[str]:
    """The open talking points the partner of the mentorship `key` last shared, as text:
    read for the agenda offer beside (never among) the person's own."""
    row = db.execute(
        "SELECT body_json FROM partner_sections WHERE mentorship_key = ? "
        "AND section = 'talking_points'",
        [key],
    ).fetchone()
    if row is None:
        return []
    try:
        found = json.loads(row[0]).get("items", [])
    except (ValueError, AttributeError):
        return []
    return [" ".join(str(i.get("text", "")).split()) for i in found if isinstance(i, dict)]


def their_term(db: Any, key: str, term: str) -> tuple[Any, str] | None:
    """One term of the agreement the partner of the mentorship `key` last shared (their
    feedback preference, say), as (value, text), or None."""
    row = db.execute(
        "SELECT body_json FROM partner_sections WHERE mentorship_key = ? AND section = 'agreement'",
        [key],
    ).fetchone()
    if row is None:
        return None
    try:
        found = json.loads(row[0])["terms"][term]
        return found["value"], str(found["text"])
    except (ValueError, KeyError, TypeError):
        return None
