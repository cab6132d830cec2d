"""The Store's read side: listing, search, recall and the figures insights draw.

Every method returns plain dicts (typed in rows.py) or lists of them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

from .errors import StoreError, guarded, guarded_iter
from .fts import MARKS, Span, match_expression, unmark, unused_marks
from .rows import (
    STATUSES,
    Answer,
    Conversation,
    ConversationWithAnswers,
    Filters,
    SearchHit,
    answer_row,
    mentorship_key,
    time_bound,
)

if TYPE_CHECKING:  # sqlite-utils is imported by db.py; peek.py reads without it
    from sqlite_utils import Database

# One lookup per mentorship, not a pass over every conversation: the distinct keys by a
# skip-scan of conversations_mentorship_key (each step seeks the next key), then one row's
# name each (every conversation of a mentorship shows the same name). 0.02 ms instead of
# 44 ms for 26,000 conversations: home and review read it on every visit,
# home's first frame with the standard library alone (peek.py).
MENTORSHIP_NAMES = (
    "WITH RECURSIVE k(key) AS ("
    "SELECT min(mentorship_key) FROM conversations WHERE mentorship_key IS NOT NULL "
    "UNION ALL SELECT (SELECT min(mentorship_key) FROM conversations "
    "WHERE mentorship_key > k.key) FROM k WHERE k.key IS NOT NULL) "
    "SELECT (SELECT mentorship FROM conversations WHERE mentorship_key = k.key LIMIT 1) "
    "FROM k WHERE k.key IS NOT NULL ORDER BY 1"
)


CONVERSATION_COLUMNS = (
    "id",
    "script_id",
    "script_version",
    "script_sha256",
    "title",
    "mentorship",
    "status",
    "current_step",
    "position",
    "record",
    "started_at",
    "updated_at",
    "completed_at",
)
ANSWER_COLUMNS = (
    "step_id",
    "seq",
    "question",
    "type",
    "answer_text",
    "answer_json",
    "skipped",
    "answered_at",
    "commitment_id",
)
_C = ", ".join(f"c.{name}" for name in CONVERSATION_COLUMNS)
_COUNT = (
    "(SELECT count(*) FROM answers a WHERE a.conversation_id = c.id "
    "AND a.seq < c.position AND a.skipped = 0) AS answer_count"
)
# Rows matching an FTS query, restricted to answers given (not skipped) on the current path,
# two ways. `_MATCHING` checks each conversation's answers against the matches: cheap per
# conversation, and under a LIMIT it stops once the page is full, but a rare word walks every
# conversation (32 ms at 10k). `_MATCHED` starts from the FTS matches: one lookup each, so a
# rare word costs almost nothing, but a word in most answers costs more than the walk. The
# Store counts up to FEW_MATCHES matches first (`Queries._few_matches`) to pick one.
# (`skipped` last: the match is checked from the key index alone, and only a matching
# answer's row is read for it; 15-25% off a common word's walk.)
_MATCHING = (
    "EXISTS (SELECT 1 FROM answers a WHERE a.conversation_id = c.id AND a.seq < c.position "
    "AND a.rowid IN (SELECT rowid FROM answers_fts WHERE answers_fts MATCH ?) AND a.skipped = 0)"
)
_MATCHED = (
    "c.id IN (SELECT a.conversation_id FROM answers_fts "
    "CROSS JOIN answers a ON a.rowid = answers_fts.rowid "
    "CROSS JOIN conversations p ON p.id = a.conversation_id "
    "WHERE answers_fts MATCH ? AND a.skipped = 0 AND a.seq < p.position)"
)
FEW_MATCHES = 2_000


def mentorship_clause(mentorship: str) -> tuple[str, list[str]]:
    """SQL for one mentorship, matched by key ("sam" finds "Sam"): "" (or blank) means
    conversations about no one."""
    key = mentorship_key(mentorship)
    return ("c.mentorship_key IS NULL", []) if key is None else ("c.mentorship_key = ?", [key])


def where_clause(
    *,
    script_id: str | None = None,
    mentorship: str | None = None,
    status: str | None = None,
    since: str | None = None,
    until: str | None = None,
    ids: Sequence[str] | None = None,
    query: str | None = None,
    few_matches: bool = False,
) -> tuple[str, list[Any]] | None:
    """SQL `WHERE ...` (possibly empty) and its parameters; None when nothing can match.
    `few_matches`: the query's words are rare, so look them up from the index (`_MATCHED`)."""
    clauses: list[str] = []
    params: list[Any] = []
    if script_id is not None:
        clauses.append("c.script_id = ?")
        params.append(script_id)
    if mentorship is not None:
        clause, value = mentorship_clause(mentorship)
        clauses.append(clause)
        params.extend(value)
    if status is not None:
        if status not in STATUSES:
            raise StoreError(f"Unknown status {status!r}: use one of {', '.join(STATUSES)}.")
        clauses.append("c.status = ?")
        params.append(status)
    if since is not None:
        bound, _ = time_bound(since, upper=False)
        clauses.append("c.started_at >= ?")
        params.append(bound)
    if until is not None:
        bound, inclusive = time_bound(until, upper=True)
        clauses.append("c.started_at <= ?" if inclusive else "c.started_at < ?")
        params.append(bound)
    if ids is not None:
        clauses.append("c.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(ids)))
    if query is not None:
        expression = match_expression(query)
        if expression is None:
            return None
        clauses.append(_MATCHED if few_matches else _MATCHING)
        params.append(expression)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


# One name per mentorship, however many spellings were typed.


def conversations_sql(
    *,
    limit: int | None = 100,
    offset: int = 0,
    by: str = "started_at",
    few_matches: bool = False,
    **filters: Unpack[Filters],
) -> tuple[str, list[Any]] | None:
    """The SELECT behind `Queries.conversations` (also read by peek.py); None when nothing
    can match."""
    if by not in ("started_at", "updated_at"):
        raise StoreError(f"Cannot order conversations by {by!r}.")
    where = where_clause(few_matches=few_matches, **filters)
    if where is None:
        return None
    clause, params = where
    sql = (
        f"SELECT {_C}, {_COUNT} FROM conversations c{clause} "
        f"ORDER BY c.{by} DESC, c.rowid DESC LIMIT ? OFFSET ?"
    )
    return sql, [*params, -1 if limit is None else limit, offset]


def dicts(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    keys = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(keys, row, strict=True))


class Queries:
    """Mixed into Store: needs `db` and `path`."""

    db: Database
    path: Path

    def _few_matches(self, query: str | None) -> bool:
        """Whether `query` matches at most FEW_MATCHES answers (counted up to there only)."""
        expression = None if query is None else match_expression(query)
        if expression is None:
            return False
        (found,) = self.db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM answers_fts WHERE answers_fts MATCH ? LIMIT ?)",
            [expression, FEW_MATCHES + 1],
        ).fetchone()
        return int(found) <= FEW_MATCHES

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(dicts(self.db.execute(sql, list(params))))

    @guarded
    def resolve_id(self, prefix: str) -> str:
        """The one conversation id starting with `prefix`; StoreError if none or several."""
        wanted = prefix.strip().lower()
        if not wanted or any(ch not in "0123456789abcdef" for ch in wanted):
            raise StoreError(f"No conversation has the id {prefix!r} (ids are hex, like 3f9a2c).")
        found = [
            row[0]
            for row in self.db.execute(
                "SELECT id FROM conversations WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                [wanted, wanted + "g"],
            )
        ]
        if not found:
            raise StoreError(f"No conversation has an id starting with {wanted!r}.")
        if len(found) > 1:
            raise StoreError(
                f"More than one conversation has an id starting with {wanted!r}; "
                "type more of the id."
            )
        return found[0]

    @guarded
    def conversation(self, conversation_id: str) -> Conversation | None:
        rows = self._rows(
            f"SELECT {_C}, {_COUNT} FROM conversations c WHERE c.id = ?", [conversation_id]
        )
        return rows[0] if rows else None  # type: ignore[return-value]

    @guarded
    def answers(self, conversation_id: str, *, include_future: bool = False) -> list[Answer]:
        """Answers in seq order; only those on the current path (seq < position) unless
        `include_future` (rows kept after back(), offered again)."""
        sql = (
            f"SELECT a.conversation_id, {', '.join('a.' + n for n in ANSWER_COLUMNS)} "
            "FROM answers a JOIN conversations c ON c.id = a.conversation_id "
            "WHERE a.conversation_id = ?"
        )
        if not include_future:
            sql += " AND a.seq < c.position"
        return [answer_row(row) for row in self._rows(sql + " ORDER BY a.seq", [conversation_id])]

    @guarded
    def latest_in_progress(self) -> Conversation | None:
        rows = self._rows(
            f"SELECT {_C}, {_COUNT} FROM conversations c WHERE c.status = 'in_progress' "
            "ORDER BY c.updated_at DESC, c.rowid DESC LIMIT 1"
        )
        return rows[0] if rows else None  # type: ignore[return-value]

    @guarded
    def conversations(
        self,
        *,
        limit: int | None = 100,
        offset: int = 0,
        by: str = "started_at",
        **filters: Unpack[Filters],
    ) -> list[Conversation]:
        """Matching `filters`, newest first by `by`: started_at, or updated_at (what home's
        "pick up where you left off" lists)."""
        few = self._few_matches(filters.get("query"))
        found = conversations_sql(limit=limit, offset=offset, by=by, few_matches=few, **filters)
        if found is None:
            return []
        return self._rows(*found)  # type: ignore[return-value]

    @guarded
    def count(self, *, at_most: int | None = None, **filters: Unpack[Filters]) -> int:
        """How many conversations match (same filters as conversations/iter_conversations).
        `at_most`: stop counting there (a common word's search walks the conversations
        until that many match, not the whole history); the caller says "more than"."""
        query = filters.get("query")
        if at_most is not None and query is not None:
            return self._count_matched(query, at_most, filters)
        where = where_clause(few_matches=self._few_matches(query), **filters)
        if where is None:
            return 0
        clause, params = where
        if at_most is not None:
            sql = f"SELECT count(*) FROM (SELECT 1 FROM conversations c{clause} LIMIT ?)"
            return int(self.db.execute(sql, [*params, at_most]).fetchone()[0])
        return int(
            self.db.execute(f"SELECT count(*) FROM conversations c{clause}", params).fetchone()[0]
        )

    def _count_matched(self, query: str, at_most: int, filters: Filters) -> int:
        """`count(query=..., at_most=...)` from the matches: the distinct conversations of
        the matching answers in index order, until `at_most` (a common word meets them in
        its first few thousand matches, where the walk first builds the set of every match:
        17 ms instead of 122 ms at 26,000 conversations)."""
        expression = match_expression(query)
        rest = where_clause(**{k: v for k, v in filters.items() if k != "query"})
        if expression is None or rest is None:
            return 0
        clause, params = rest
        sql = (
            "SELECT count(*) FROM (SELECT DISTINCT c.id FROM answers_fts "
            "CROSS JOIN answers a ON a.rowid = answers_fts.rowid "
            "CROSS JOIN conversations c ON c.id = a.conversation_id "
            "WHERE answers_fts MATCH ? AND a.skipped = 0 AND a.seq < c.position"
            f"{clause.replace(' WHERE ', ' AND ', 1)} LIMIT ?)"
        )
        return int(self.db.execute(sql, [expression, *params, at_most]).fetchone()[0])

    @guarded
    def search(
        self,
        text: str,
        *,
        limit: int = 50,
        markers: tuple[str, str] = ("[", "]"),
        with_matches: bool = False,
    ) -> list[SearchHit]:
        """Answers (on the current path, not skipped) matching every word of `text`, most
        recently stored first (by index row: an imported old conversation counts as recent).
        Never ranks or sorts, so a word found in most answers costs no more than a rare one.

        `with_matches` adds where the words matched, as offsets into the question and the
        answer (`question_matches`, `answer_matches`): what shows the text as stored."""
        expression = match_expression(text)
        if expression is None or limit <= 0:
            return []
        highlights = (
            "highlight(answers_fts, 0, ?, ?) AS marked_question, "
            "highlight(answers_fts, 1, ?, ?) AS marked_answer, answers_fts.rowid AS fts_rowid, "
            if with_matches
            else ""
        )
        sql = (
            "SELECT a.conversation_id, c.script_id, c.title, c.mentorship, c.started_at, "
            f"a.step_id, a.question, a.answer_text, {highlights}"
            "snippet(answers_fts, -1, ?, ?, '…', 12) AS snippet "
            "FROM answers_fts CROSS JOIN answers a ON a.rowid = answers_fts.rowid "
            "CROSS JOIN conversations c ON c.id = a.conversation_id "
            "WHERE answers_fts MATCH ? AND a.skipped = 0 AND a.seq < c.position "
            "ORDER BY answers_fts.rowid DESC LIMIT ?"
        )
        params = [*MARKS, *MARKS] if with_matches else []
        rows = self._rows(sql, [*params, *markers, expression, limit])
        if not with_matches:
            return rows  # type: ignore[return-value]
        for row in rows:
            rowid = row.pop("fts_rowid")
            row["question_matches"] = self._matches(
                expression, rowid, 0, row["question"], row.pop("marked_question")
            )
            row["answer_matches"] = self._matches(
                expression, rowid, 1, row["answer_text"], row.pop("marked_answer")
            )
        return rows  # type: ignore[return-value]

    def _matches(
        self, expression: str, rowid: int, column: int, text: str | None, marked: str | None
    ) -> list[Span]:
        """Where `expression` matched in `text` (column `column` of FTS row `rowid`), from
        its `marked` highlight. Offsets rather than marks, so that no character of the
        person's text is ever taken for a mark."""
        if not text or marked is None:
            return []
        marks: tuple[str, str] | None = MARKS
        if any(mark in text for mark in MARKS):
            # The text holds our marks (pasted from somewhere): highlight it again with two
            # characters it does not hold.
            marks = unused_marks(text)
            if marks is None:
                return []
            marked = self.db.execute(
                "SELECT highlight(answers_fts, ?, ?, ?) FROM answers_fts "
                "WHERE answers_fts MATCH ? AND rowid = ?",
                [column, *marks, expression, rowid],
            ).fetchone()[0]
            if marked is None:
                return []
        unmarked, spans = unmark(marked, marks)
        return spans if unmarked == text else []

    @guarded
    def recall(
        self, script_id: str, step_id: str, mentorship: str | None
    ) -> tuple[object, str] | None:
        """(value, display text) of `step_id` in the most recently completed conversation of
        `script_id` that asked it (its last answer there, if a loop asked it twice; same
        mentorship when given, else any); None when there is none or it was skipped there."""
        sql = (
            "SELECT a.answer_json, a.answer_text, a.skipped FROM conversations c "
            "JOIN answers a ON a.conversation_id = c.id AND a.step_id = ? "
            "WHERE c.script_id = ? AND c.status = 'completed' AND a.seq < c.position"
        )
        params: list[Any] = [step_id, script_id]
        if mentorship is not None:
            clause, value = mentorship_clause(mentorship)
            sql += f" AND {clause}"
            params.extend(value)
        sql += " ORDER BY c.completed_at DESC, c.rowid DESC, a.seq DESC LIMIT 1"
        row = self.db.execute(sql, params).fetchone()
        if row is None or row[2]:
            return None
        return json.loads(row[0]), row[1] or ""

    @guarded_iter
    def iter_conversations(
        self, *, include_future: bool = False, **filters: Unpack[Filters]
    ) -> Iterator[ConversationWithAnswers]:
        """Oldest first, each with its `answers` in seq order, streamed from one cursor."""
        where = where_clause(few_matches=self._few_matches(filters.get("query")), **filters)
        if where is None:
            return
        clause, params = where
        on_path = "" if include_future else " AND a.seq < c.position"
        sql = (
            f"SELECT {_C}, {', '.join('a.' + n for n in ANSWER_COLUMNS)} FROM conversations c "
            f"LEFT JOIN answers a ON a.conversation_id = c.id{on_path}{clause} "
            "ORDER BY c.started_at, c.rowid, a.seq"
        )
        width = len(CONVERSATION_COLUMNS)
        current: ConversationWithAnswers | None = None
        for row in self.db.execute(sql, params):
            if current is None or current["id"] != row[0]:
                if current is not None:
                    yield current
                current = dict(zip(CONVERSATION_COLUMNS, row[:width], strict=True))  # type: ignore[assignment]
                assert current is not None
                current["answers"] = []
                current["answer_count"] = 0
            if row[width] is None:
                continue  # LEFT JOIN: a conversation without answers
            answer = dict(zip(ANSWER_COLUMNS, row[width:], strict=True))
            answer["conversation_id"] = current["id"]
            current["answers"].append(answer_row(answer))
            if answer["seq"] < current["position"] and not answer["skipped"]:
                current["answer_count"] += 1
        if current is not None:
            yield current
