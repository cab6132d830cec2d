"""Drafts: text typed into a question but not yet given as its answer.

A draft is kept so that nothing typed is lost (leaving, going back, a crash), and it is not
an answer: no branch, record, search, insight or export but JSON ever reads this table. One
row per place in the path, keyed like answers by `(conversation_id, seq)`; `step_id` says
which question it was typed for, so a draft is offered again only to that question.

Rows go when their question is answered or skipped (in the answer's own transaction, see
ConversationJournal.answered), when the answers from their place on are discarded, and with
their conversation.
"""

from __future__ import annotations

from typing import TypedDict

from sqlite_utils import Database

from . import leases
from .errors import guarded
from .facet import Facet


class Draft(TypedDict):
    conversation_id: str
    seq: int
    step_id: str
    text: str
    updated_at: str


_COLUMNS = "conversation_id, seq, step_id, text, updated_at"

# Only while the question is the one being asked (its seq is the conversation's position,
# and it is not finished): a write that arrives late, after the answer moved the
# conversation on, must not bring back a draft for a question already answered.
_SAVE = (
    f"INSERT INTO drafts ({_COLUMNS}) "
    "SELECT :id, :seq, :step, :text, :now WHERE EXISTS (SELECT 1 FROM conversations "
    "WHERE id = :id AND position = :seq AND status != 'completed') "
    "ON CONFLICT (conversation_id, seq) DO UPDATE SET step_id = excluded.step_id, "
    "text = excluded.text, updated_at = excluded.updated_at"
)


class Drafts(Facet):
    """`store.drafts`: text typed into a question but not yet given as its answer."""

    @guarded
    def save(
        self,
        conversation_id: str,
        *,
        seq: int,
        step_id: str,
        text: str,
        lease: leases.Lease | None = None,
    ) -> bool:
        """Keep `text` as the draft of the question at `seq` (blank text drops the draft).
        False when that question is no longer the one being asked (nothing written). With
        `lease`, LeaseLost (nothing written) once another session holds the conversation."""
        with self.transaction() as db:
            if lease is not None:
                leases.check(db, conversation_id, lease)
            if not text.strip():
                db.execute(
                    "DELETE FROM drafts WHERE conversation_id = ? AND seq = ?",
                    [conversation_id, seq],
                )
                return True
            cursor = db.execute(
                _SAVE,
                {
                    "id": conversation_id,
                    "seq": seq,
                    "step": step_id,
                    "text": text,
                    "now": self.clock(),
                },
            )
            return cursor.rowcount > 0

    @guarded
    def get(self, conversation_id: str, *, seq: int, step_id: str) -> str | None:
        """The draft typed for `step_id` at `seq`, if any."""
        row = self.db.execute(
            "SELECT text FROM drafts WHERE conversation_id = ? AND seq = ? AND step_id = ?",
            [conversation_id, seq, step_id],
        ).fetchone()
        return None if row is None else row[0]

    @guarded
    def all(self, conversation_id: str | None = None) -> list[Draft]:
        """Drafts in seq order: one conversation's, or every conversation's (by id)."""
        sql = f"SELECT {_COLUMNS} FROM drafts"
        params: list[str] = []
        if conversation_id is not None:
            sql += " WHERE conversation_id = ?"
            params.append(conversation_id)
        cursor = self.db.execute(sql + " ORDER BY conversation_id, seq", params)
        keys = [d[0] for d in cursor.description]
        return [dict(zip(keys, row, strict=True)) for row in cursor]  # type: ignore[misc]


def clear_drafts(db: Database, conversation_id: str, *, seq: int, discard_from: int | None) -> None:
    """Inside an answer's transaction: the answered question's draft goes, and with
    `discard_from` every draft from there on (their questions are no longer on the path)."""
    db.execute("DELETE FROM drafts WHERE conversation_id = ? AND seq = ?", [conversation_id, seq])
    if discard_from is not None:
        db.execute(
            "DELETE FROM drafts WHERE conversation_id = ? AND seq >= ?",
            [conversation_id, discard_from],
        )
