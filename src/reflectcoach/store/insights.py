"""The Store's figures for insights: who, which scripts, numeric answers over time, months.

Numeric answers are read through two indexes: `answers_numeric` (partial: scale and number
answers not skipped, by conversation and step) and `conversations_series` (conversations by
mentorship and script, with the id and position the join needs). `numeric_questions` groups
them one (mentorship, script) at a time, so each GROUP BY sorts that group's answers and not
the whole history's (about 2x faster on 10k conversations). The screens read what they show:
`question_points` (a question's newest points, with figures of all of them), `numeric_points`
and `first_points` (a mentorship's series, one at a time); `numeric_series` reads every point
of every series asked for, the whole read the others are tested against.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any, TypedDict

from reflectcoach.core.numbers import within

from . import numeric_summary
from .errors import StoreError, guarded
from .facet import Facet
from .mentorships import mentorship_key
from .numeric_summary import POINT
from .queries import mentorship_clause, where_clause
from .rows import MonthCount, Series

SeriesKey = tuple[str, str, str | None]  # script_id, step_id, mentorship

_POINT = POINT
# Every (mentorship, script) group's numeric questions answered in more than one
# conversation, as one JSON value: [[mentorship, script_id, [[step_id, points, last
# answered_at, question], ...]], ...]. One statement returning one row: a worker thread
# takes the GIL back once, not once per group and row, and each time can mean waiting for a
# busy UI thread. With exactly one max() aggregate, SQLite takes the bare columns
# (conversation_id, seq) from the row holding that max: the latest answer, whose question
# is the text last shown.
_QUESTIONS = (
    "SELECT json_group_array(json_array(p.mentorship, p.script_id, json(("
    "SELECT json_group_array(json_array(g.step_id, g.points, g.last_answered_at, q.question)) "
    "FROM (SELECT a.step_id AS step_id, count(*) AS points, "
    "max(a.answered_at) AS last_answered_at, a.conversation_id AS conversation_id, a.seq AS seq "
    "FROM conversations c INDEXED BY conversations_series "
    "CROSS JOIN answers a INDEXED BY answers_numeric ON a.conversation_id = c.id "
    f"WHERE c.mentorship IS p.mentorship AND c.script_id = p.script_id AND {_POINT} "
    "GROUP BY a.step_id HAVING count(DISTINCT a.conversation_id) >= {least}) g "
    "JOIN answers q ON q.conversation_id = g.conversation_id AND q.seq = g.seq)))) "
    "FROM (SELECT DISTINCT mentorship, script_id FROM conversations "
    "INDEXED BY conversations_series{where}) p"
)


# A point whose stored JSON is exactly a number (POINT's GLOB lets "1-2" through, which
# CAST reads as 1): what `question_points` aggregates in SQL has to be what it returns.
_EXACT_NUMBER = "json_valid(a.answer_json) AND json_type(a.answer_json) IN ('integer', 'real')"


class QuestionPoints(TypedDict):
    """One numeric question in one mentorship: figures over all its points, and only the
    newest of the points themselves."""

    question: str  # as last asked ("" when it has no points)
    wordings: list[str]  # every wording, first asked first, the one last asked last
    count: int  # every point
    lowest: int | float | None  # over every point (None: no points)
    highest: int | float | None
    points: list[tuple[str, int | float]]  # (answered_at, value): the newest, oldest first


class NumericQuestion(TypedDict):
    """A numeric question asked in one mentorship (or none) and answered in more than one
    conversation: what `numeric_series` would plot, without its points."""

    script_id: str
    step_id: str
    question: str  # as last asked
    mentorship: str | None
    count: int  # points: answers on the current path, not skipped
    last_answered_at: str


def _number(raw: str) -> int | float | None:
    """A stored JSON number as int or float (int() and float() are several times cheaper
    than json.loads); None for anything else, or a value beyond the bound (numbers.py)."""
    value: int | float
    try:
        value = int(raw)
    except ValueError:
        try:
            value = float(raw)
        except ValueError:
            return None
    return value if within(value) else None


def _series_order(key: SeriesKey) -> tuple[str, str, bool, str]:
    return key[0], key[1], key[2] is not None, key[2] or ""


def _mentorship_clause(key: str | None) -> str:
    """The condition on `c` for one mentorship by its key (None: no mentorship); with a key,
    one `?` for it. The name found first selects the whole mentorship, so a walk keeps to
    conversations_series, which covers every column read from c."""
    if key is None:
        return "c.mentorship IS NULL"
    return "c.mentorship = (SELECT mentorship FROM conversations WHERE mentorship_key = ? LIMIT 1)"


class Insights(Facet):
    """`store.insights`: the figures the insights screen draws."""

    @guarded
    def script_titles(self) -> dict[str, str]:
        """Each script id in the store -> the title its newest conversation showed, in id
        order. Stored titles, not a catalog's: they are what the person saw, even for a
        script since removed or renamed."""
        # A skip-scan of conversations_script (script_id, started_at): each step seeks the
        # next script, then its newest row, so the cost follows the scripts, not the
        # history (0.02 ms instead of 78 ms for 26,000 conversations).
        sql = (
            "WITH RECURSIVE s(id) AS (SELECT min(script_id) FROM conversations "
            "UNION ALL SELECT (SELECT min(script_id) FROM conversations WHERE script_id > s.id) "
            "FROM s WHERE s.id IS NOT NULL) "
            "SELECT s.id, (SELECT title FROM conversations INDEXED BY conversations_script "
            "WHERE script_id = s.id ORDER BY started_at DESC, rowid DESC LIMIT 1) "
            "FROM s WHERE s.id IS NOT NULL ORDER BY 1"
        )
        return dict(self.db.execute(sql).fetchall())

    @guarded
    def script_ids(self) -> list[str]:
        return [
            row[0]
            for row in self.db.execute("SELECT DISTINCT script_id FROM conversations ORDER BY 1")
        ]

    @guarded
    def numeric_questions(
        self, *, mentorship: str | None = None, min_conversations: int = 2
    ) -> list[NumericQuestion]:
        """Every (script_id, step_id, mentorship) that `numeric_series` has a series for
        (only `mentorship`'s when given, and `min_conversations`, as there), sorted like it,
        with the number of points, the latest answer's time and the question as last asked;
        no points are read. From the summary kept for settled conversations
        (store/numeric_summary.py) and the conversations in progress: what it reads follows
        the questions, not the history. A stale summary is rebuilt first; where nothing may
        be written (another program holds the write lock), every numeric answer is read
        instead, as before."""
        key = mentorship_key(mentorship)
        least = int(min_conversations)
        if mentorship is None:
            where: tuple[str, list[Any]] | None = None
            sql, params = _QUESTIONS.format(where="", least=least), []
        elif key is None:
            where = ("{m}.mentorship IS NULL", [])
            sql, params = _QUESTIONS.format(where=" WHERE mentorship IS NULL", least=least), []
        else:
            # Matched by key; every conversation of a mentorship shows the same name
            # (store/mentorships.py), so the name found first selects the whole group and
            # the walk keeps to conversations_series.
            name = "(SELECT mentorship FROM conversations WHERE mentorship_key = ? LIMIT 1)"
            where = ("{m}.mentorship = " + name, [key])
            sql = _QUESTIONS.format(where=f" WHERE mentorship = {name}", least=least)
            params = [key]
        parts = numeric_summary.rows(self.db, where)
        if parts is None and self._rebuilt():
            parts = numeric_summary.rows(self.db, where)
        if parts is not None:
            found_rows = numeric_summary.merged(parts, least)
        else:
            (found_json,) = self.db.execute(sql, params).fetchone()
            found_rows = [
                (name, script_id, step_id, points, last_answered_at, question)
                for name, script_id, steps in json.loads(found_json)
                for step_id, points, last_answered_at, question in steps
            ]
        found: list[NumericQuestion] = [
            {
                "script_id": script_id,
                "step_id": step_id,
                "question": question,
                "mentorship": name,
                "count": points,
                "last_answered_at": last_answered_at,
            }
            for name, script_id, step_id, points, last_answered_at, question in found_rows
        ]
        found.sort(key=lambda q: _series_order((q["script_id"], q["step_id"], q["mentorship"])))
        return found

    def _rebuilt(self) -> bool:
        """Rebuild a stale numeric summary; False when no write can happen now."""
        try:
            with self.transaction() as db:
                if not numeric_summary.is_current(db):
                    numeric_summary.rebuild(db)
        except (sqlite3.OperationalError, StoreError):
            return False
        return True

    @guarded
    def numeric_series(
        self,
        *,
        mentorship: str | None = None,
        script_id: str | None = None,
        step_id: str | None = None,
        min_conversations: int = 2,
    ) -> list[Series]:
        """Scale/number questions answered in more than one conversation, one series per
        (script_id, step_id, mentorship), sorted by those; points oldest first (a loop that
        asks a question twice gives two points). `question` is the text last shown.

        `mentorship=None` means every mentorship (and none), each its own series; a blank
        `mentorship` ("") means the conversations without one (the store keeps a blank name
        as none). To plot one question, pass script_id and step_id (and mentorship): that
        reads only its points, milliseconds on a large history, where no filter reads every
        numeric answer. `min_conversations=1` keeps a question answered once (a re-rating,
        or the mentorship screen's every rating)."""
        sql = (
            "SELECT c.script_id, a.step_id, c.mentorship, a.answered_at, a.answer_json, "
            "a.conversation_id, a.seq FROM conversations c "
            "CROSS JOIN answers a INDEXED BY answers_numeric ON a.conversation_id = c.id "
            f"WHERE {_POINT}"
        )
        params: list[Any] = []
        if mentorship is not None:
            clause, value = mentorship_clause(mentorship)
            sql += f" AND {clause}"
            params.extend(value)
        if script_id is not None:
            sql += " AND c.script_id = ?"
            params.append(script_id)
        if step_id is not None:
            sql += " AND a.step_id = ?"
            params.append(step_id)
        points: dict[SeriesKey, list[tuple[str, int | float]]] = {}
        latest: dict[SeriesKey, tuple[str, str, int]] = {}  # answered_at, conversation, seq
        spread: dict[SeriesKey, set[str]] = {}  # the conversations answering it
        for script, step, name, at, raw, conversation_id, seq in self.db.execute(sql, params):
            value = _number(raw)
            if value is None:
                continue  # not a number: a value some other writer stored
            key = (script, step, name)
            found = points.get(key)
            if found is None:
                points[key] = [(at, value)]
                latest[key] = (at, conversation_id, seq)
                spread[key] = {conversation_id}
            else:
                found.append((at, value))
                spread[key].add(conversation_id)
                if at > latest[key][0]:
                    latest[key] = (at, conversation_id, seq)
        result: list[Series] = []
        for key in sorted(points, key=_series_order):
            if len(spread[key]) < min_conversations:
                continue
            series = sorted(points[key], key=lambda point: point[0])
            _, conversation_id, seq = latest[key]
            question = self.db.execute(
                "SELECT question FROM answers WHERE conversation_id = ? AND seq = ?",
                [conversation_id, seq],
            ).fetchone()[0]
            result.append(
                {
                    "script_id": key[0],
                    "step_id": key[1],
                    "question": question,
                    "mentorship": key[2],
                    "points": series,
                }
            )
        return result

    @guarded
    def question_points(
        self, script_id: str, step_id: str, mentorship: str, *, newest: int | None = None
    ) -> QuestionPoints:
        """The points of one question (script_id, step_id) in one mentorship ("" for
        none), as `numeric_series` finds them: the newest `newest` (None: all), with the
        count, lowest, highest and wordings of all of them. One statement, two walks of the
        (mentorship, script) group's conversations in conversations_series with an index
        seek per conversation; what comes back to Python is the wordings and `newest`
        points, not every point."""
        key = mentorship_key(mentorship)
        clause = _mentorship_clause(key)
        params: list[Any] = [*([] if key is None else [key]), script_id, step_id]
        where = (
            "FROM conversations c INDEXED BY conversations_series "
            "CROSS JOIN answers a INDEXED BY answers_numeric ON a.conversation_id = c.id "
            f"WHERE {_POINT} AND {_EXACT_NUMBER} AND {clause} AND c.script_id = ? "
            "AND a.step_id = ?"
        )
        # One statement returning one row of two JSON values (as _QUESTIONS): a worker
        # takes the GIL back once, not once per row, and each time can mean waiting for a
        # busy UI thread (200 rows fetched one by one took 10-40 ms in the app, 1-2 alone).
        # Per wording, min(), max() and count(): together, the question's own.
        said_json, newest_json = self.db.execute(
            "SELECT (SELECT json_group_array(json_array(question, first, last, n, lo, hi)) "
            "FROM (SELECT a.question AS question, min(a.answered_at) AS first, "
            "max(a.answered_at) AS last, count(*) AS n, min(a.answer_json + 0) AS lo, "
            f"max(a.answer_json + 0) AS hi {where} GROUP BY a.question)), "
            "(SELECT json_group_array(json_array(at, json(v))) FROM (SELECT a.answered_at AS at, "
            f"a.answer_json AS v {where} "
            "ORDER BY a.answered_at DESC, a.conversation_id DESC, a.seq DESC LIMIT ?))",
            [*params, *params, -1 if newest is None else newest],  # SQLite: LIMIT -1 is none
        ).fetchone()
        said = json.loads(said_json)
        points = [(at, value) for at, value in json.loads(newest_json) if within(value)]
        points.reverse()
        points.sort(key=lambda point: point[0])  # oldest first (stable: ties as read)
        said.sort(key=lambda row: row[1])  # first asked first
        last = max(said, key=lambda row: row[2], default=None)
        wordings = [row[0] for row in said if row is not last]
        return {
            "question": "" if last is None else last[0],
            "wordings": [*wordings, last[0]] if last is not None else [],
            "count": sum(row[3] for row in said),
            "lowest": min((row[4] for row in said), default=None),
            "highest": max((row[5] for row in said), default=None),
            "points": points,
        }

    @guarded
    def numeric_points(
        self, mentorship: str, *, script_id: str | None = None, step_id: str | None = None
    ) -> list[tuple[str, str, str, int | float, str, int]]:
        """Every numeric answer on the path of one mentorship's conversations ("" for none),
        oldest first, as (script_id, step_id, answered_at, value, conversation_id, seq): one
        statement for the mentorship screen, which groups them itself (ratings.py). The
        question is left out: it is not in the index, and reading it for every point doubled
        the time; `question_at` reads it for the points that need it."""
        key = mentorship_key(mentorship)
        clause = _mentorship_clause(key)
        params: list[Any] = [] if key is None else [key]
        sql = (
            "SELECT c.script_id, a.step_id, a.answered_at, a.answer_json, a.conversation_id, "
            "a.seq FROM conversations c INDEXED BY conversations_series "
            "CROSS JOIN answers a INDEXED BY answers_numeric ON a.conversation_id = c.id "
            f"WHERE {_POINT} AND {clause}"
        )
        if script_id is not None:
            sql += " AND c.script_id = ?"
            params.append(script_id)
        if step_id is not None:
            sql += " AND a.step_id = ?"
            params.append(step_id)
        found = []
        for script, step, at, raw, conversation_id, seq in self.db.execute(sql, params):
            value = _number(raw)
            if value is not None:
                found.append((script, step, at, value, conversation_id, seq))
        found.sort(key=lambda row: row[2])
        return found

    @guarded
    def first_points(
        self, mentorship: str, steps: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[str, int, str]]:
        """The oldest point of each (script_id, step_id) in one mentorship ("" for none), as
        (conversation_id, seq, question as asked there); a step with none is left out. One
        statement: each step's walk keeps to its script's conversations (conversations_series)
        and that step's answers (answers_numeric), so it reads the index entries of the
        series asked for, not every point of the mentorship. Ties go as `numeric_points`
        orders them (by conversation id, then place)."""
        if not steps:
            return {}
        key = mentorship_key(mentorship)
        clause = _mentorship_clause(key)
        values = ", ".join("(?, ?)" for _ in steps)
        sql = (
            f"WITH k(script_id, step_id) AS (VALUES {values}), "
            # MATERIALIZED: read once per step, not once per use of `at` below.
            "f AS MATERIALIZED (SELECT k.script_id, k.step_id, ("
            "SELECT json_array(min(a.answered_at), a.conversation_id, a.seq) "
            "FROM conversations c INDEXED BY conversations_series "
            "CROSS JOIN answers a INDEXED BY answers_numeric ON a.conversation_id = c.id "
            f"WHERE {_POINT} AND {clause} AND c.script_id = k.script_id "
            "AND a.step_id = k.step_id) AS at FROM k) "
            "SELECT f.script_id, f.step_id, q.conversation_id, q.seq, q.question FROM f "
            "JOIN answers q ON q.conversation_id = json_extract(f.at, '$[1]') "
            "AND q.seq = json_extract(f.at, '$[2]')"
        )
        params: list[Any] = [part for step in steps for part in step]
        if key is not None:
            params.append(key)
        return {
            (script_id, step_id): (conversation_id, seq, question)
            for script_id, step_id, conversation_id, seq, question in self.db.execute(sql, params)
        }

    @guarded
    def question_at(self, conversation_id: str, seq: int) -> str:
        """The question as asked at one place of one conversation ("" if there is none)."""
        row = self.db.execute(
            "SELECT question FROM answers WHERE conversation_id = ? AND seq = ?",
            [conversation_id, seq],
        ).fetchone()
        return "" if row is None else str(row[0])

    @guarded
    def question_wordings(self, script_id: str, step_id: str, mentorship: str) -> list[str]:
        """Each text a numeric question was asked with in one mentorship ("" for none),
        first asked first: more than one means its wording changed."""
        clause, params = mentorship_clause(mentorship)
        rows = self.db.execute(
            "SELECT a.question, min(a.answered_at) FROM conversations c "
            "CROSS JOIN answers a INDEXED BY answers_numeric ON a.conversation_id = c.id "
            f"WHERE {_POINT} AND {clause} AND c.script_id = ? AND a.step_id = ? "
            "GROUP BY a.question ORDER BY 2",
            [*params, script_id, step_id],
        ).fetchall()
        return [question for question, _ in rows]

    @guarded
    def monthly_counts(self, *, status: str | None = None) -> list[MonthCount]:
        """Conversations started per month and script (all statuses unless `status`)."""
        where = where_clause(status=status)
        assert where is not None
        clause, params = where
        cursor = self.db.execute(
            "SELECT substr(c.started_at, 1, 7), c.script_id, count(*) "
            f"FROM conversations c{clause} GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )
        return [{"month": m, "script_id": s, "count": n} for m, s, n in cursor]
