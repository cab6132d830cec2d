"""Insights' question list kept as the history grows (m013): per numeric question (script,
step, mentorship), its points, conversations and latest answer over every *settled*
conversation (completed or abandoned), so `numeric_questions` reads one row per question
plus the few conversations still in progress, not every numeric answer ever given.

Kept by triggers, in the transaction of the write that changes it:
- a conversation settling (in progress -> completed or abandoned: what every finished
  conversation does) adds its points, one small aggregate over its own answers;
- anything else that would change a settled conversation's points (its numeric answers
  written or deleted, its path, script or mentorship changed, it is deleted, inserted
  settled, or taken up again) marks the summary stale (`numeric_summary_state.valid = 0`):
  imports, syncs, renames, deletions; rare. A stale summary is rebuilt, whole, by the next
  read that can write (`Insights.numeric_questions`), or read around when none can.

Answering in a conversation in progress touches none of it: the step's transaction stays as
it was but for one status lookup per numeric answer written.
"""

from __future__ import annotations

from typing import Any

from reflectcoach.core.numbers import MAX_NUMBER_SQL

# A point: a scale or number answer, not skipped, whose stored JSON is a number. The first
# two terms are the partial index's own WHERE (so SQLite can use it); the GLOB keeps out
# true/false, strings, lists and null without parsing JSON (a JSON number starts with - or
# a digit, anything else does not).
# The last term leaves out a number beyond what an answer may hold (numbers.py; an old row
# or an import): as REAL it would overflow the plot, or be drawn wrong. CAST reads '1e400'
# as Inf, which fails the test too.
POINT = (
    "a.type IN ('scale', 'number') AND a.skipped = 0 AND a.answer_json GLOB '[-0-9]*' "
    f"AND a.seq < c.position AND abs(CAST(a.answer_json AS REAL)) <= {MAX_NUMBER_SQL}"
)
SETTLED = "('completed', 'abandoned')"
_NUMERIC = "('scale', 'number')"
_COLUMNS = (
    "series, mentorship, script_id, step_id, points, conversations, last_answered_at, "
    "last_conversation_id, last_seq"
)
# With exactly one max() aggregate, SQLite takes the bare columns (conversation_id, seq)
# from the row holding that max: the latest answer, whose question is the text last shown.
_POINTS = (
    "SELECT json_array(c.mentorship, c.script_id, a.step_id), c.mentorship, c.script_id, "
    "a.step_id, count(*), count(DISTINCT a.conversation_id), max(a.answered_at), "
    "a.conversation_id, a.seq FROM conversations c {index} "
    "CROSS JOIN answers a INDEXED BY answers_numeric ON a.conversation_id = c.id "
    f"WHERE {POINT} AND {{where}} GROUP BY c.mentorship, c.script_id, a.step_id"
)
_STALE = "BEGIN UPDATE numeric_summary_state SET valid = 0 WHERE valid = 1; END"
_CONVERSATION_STATUS = "(SELECT status FROM conversations WHERE id = {row}.conversation_id)"

SCHEMA = (
    "CREATE TABLE numeric_summary (series TEXT PRIMARY KEY, mentorship TEXT, "
    "script_id TEXT NOT NULL, step_id TEXT NOT NULL, points INTEGER NOT NULL, "
    "conversations INTEGER NOT NULL, last_answered_at TEXT NOT NULL, "
    "last_conversation_id TEXT NOT NULL, last_seq INTEGER NOT NULL)",
    "CREATE TABLE numeric_summary_state (valid INTEGER NOT NULL)",
    "INSERT INTO numeric_summary_state (valid) VALUES (0)",
    # A conversation settles: its points join the summary (when the summary is current).
    "CREATE TRIGGER numeric_summary_settled AFTER UPDATE OF status ON conversations "
    f"WHEN new.status IN {SETTLED} AND old.status NOT IN {SETTLED} "
    "AND (SELECT valid FROM numeric_summary_state) = 1 BEGIN "
    f"INSERT INTO numeric_summary ({_COLUMNS}) "
    + _POINTS.format(index="", where="c.id = new.id")
    + " ON CONFLICT (series) DO UPDATE SET points = points + excluded.points, "
    "conversations = conversations + excluded.conversations, "
    "last_conversation_id = CASE WHEN excluded.last_answered_at > last_answered_at "
    "THEN excluded.last_conversation_id ELSE last_conversation_id END, "
    "last_seq = CASE WHEN excluded.last_answered_at > last_answered_at "
    "THEN excluded.last_seq ELSE last_seq END, "
    "last_answered_at = max(last_answered_at, excluded.last_answered_at); END",
    "CREATE TRIGGER numeric_summary_unsettled AFTER UPDATE ON conversations "
    f"WHEN old.status IN {SETTLED} AND (new.status NOT IN {SETTLED} "
    "OR old.id IS NOT new.id OR old.position IS NOT new.position "
    "OR old.mentorship IS NOT new.mentorship OR old.script_id IS NOT new.script_id) " + _STALE,
    "CREATE TRIGGER numeric_summary_inserted AFTER INSERT ON conversations "
    f"WHEN new.status IN {SETTLED} " + _STALE,
    "CREATE TRIGGER numeric_summary_deleted AFTER DELETE ON conversations "
    f"WHEN old.status IN {SETTLED} " + _STALE,
    "CREATE TRIGGER numeric_summary_answer_added AFTER INSERT ON answers "
    f"WHEN new.type IN {_NUMERIC} "
    f"AND {_CONVERSATION_STATUS.format(row='new')} IN {SETTLED} " + _STALE,
    "CREATE TRIGGER numeric_summary_answer_changed AFTER UPDATE ON answers "
    f"WHEN (old.type IN {_NUMERIC} OR new.type IN {_NUMERIC}) "
    f"AND ({_CONVERSATION_STATUS.format(row='old')} IN {SETTLED} "
    f"OR {_CONVERSATION_STATUS.format(row='new')} IN {SETTLED}) " + _STALE,
    "CREATE TRIGGER numeric_summary_answer_removed AFTER DELETE ON answers "
    f"WHEN old.type IN {_NUMERIC} "
    f"AND {_CONVERSATION_STATUS.format(row='old')} IN {SETTLED} " + _STALE,
)


def create(db: Any) -> None:
    """The summary's tables and triggers, filled (m013; inside the migration's transaction)."""
    for statement in SCHEMA:
        db.execute(statement)
    rebuild(db)


def rebuild(db: Any) -> None:
    """The summary from every settled conversation, marked current. Call inside a write
    transaction."""
    db.execute("DELETE FROM numeric_summary")
    db.execute(
        f"INSERT INTO numeric_summary ({_COLUMNS}) "
        + _POINTS.format(index="INDEXED BY conversations_series", where=f"c.status IN {SETTLED}")
    )
    db.execute("UPDATE numeric_summary_state SET valid = 1")


def is_current(db: Any) -> bool:
    (valid,) = db.execute("SELECT valid FROM numeric_summary_state").fetchone()
    return bool(valid)


def rows(db: Any, mentorship: tuple[str, list[Any]] | None) -> list[tuple[Any, ...]] | None:
    """Every numeric question's parts as one snapshot (one statement): the summary's rows and
    one row per (conversation in progress, step), each (mentorship, script_id, step_id,
    points, conversations, last_answered_at, question); None when the summary is stale.
    `mentorship`: a condition on `{m}.mentorship` and its parameters, or None for all."""
    where, params = ("1", []) if mentorship is None else mentorship
    question = (
        "(SELECT q.question FROM answers q WHERE q.conversation_id = {conversation} "
        "AND q.seq = {seq})"
    )
    summary_question = question.format(conversation="s.last_conversation_id", seq="s.last_seq")
    live_question = question.format(conversation="a.conversation_id", seq="a.seq")
    sql = (
        "SELECT valid, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM numeric_summary_state "
        "UNION ALL SELECT 1, s.mentorship, s.script_id, s.step_id, s.points, s.conversations, "
        f"s.last_answered_at, {summary_question} FROM numeric_summary s "
        f"WHERE {where.format(m='s')} "
        "UNION ALL SELECT 1, c.mentorship, c.script_id, a.step_id, count(*), 1, "
        f"max(a.answered_at), {live_question} "
        "FROM conversations c INDEXED BY conversations_status "
        "CROSS JOIN answers a INDEXED BY answers_numeric ON a.conversation_id = c.id "
        f"WHERE c.status = 'in_progress' AND {POINT} AND {where.format(m='c')} "
        "GROUP BY c.id, a.step_id"
    )
    found = db.execute(sql, [*params, *params]).fetchall()
    if not found or not found[0][0]:
        return None
    return [row[1:] for row in found[1:]]


def merged(parts: list[tuple[Any, ...]], min_conversations: int = 2) -> list[tuple[Any, ...]]:
    """`rows` added up per question, those answered in at least `min_conversations`
    conversations: (mentorship, script_id, step_id, points, last_answered_at, question)."""
    found: dict[tuple[Any, Any, Any], list[Any]] = {}
    for mentorship, script_id, step_id, points, conversations, last, question in parts:
        key = (mentorship, script_id, step_id)
        have = found.get(key)
        if have is None:
            found[key] = [points, conversations, last, question]
            continue
        have[0] += points
        have[1] += conversations
        if last > have[2]:
            have[2], have[3] = last, question
    return [
        (*key, points, last, question)
        for key, (points, conversations, last, question) in found.items()
        if conversations >= min_conversations
    ]
