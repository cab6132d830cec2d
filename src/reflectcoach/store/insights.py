"""The Store's figures for insights: who, which scripts, numeric answers over time, months."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .errors import guarded
from .queries import where_clause
from .rows import MonthCount, Series

SeriesKey = tuple[str, str, str | None]  # script_id, step_id, mentorship


class Insights:
    """Mixed into Store: needs `db` and `path`."""

    db: Database
    path: Path

    @guarded
    def mentorships(self) -> list[str]:
        return [
            row[0]
            for row in self.db.execute(
                "SELECT DISTINCT mentorship FROM conversations WHERE mentorship IS NOT NULL "
                "ORDER BY mentorship"
            )
        ]

    @guarded
    def script_ids(self) -> list[str]:
        return [
            row[0]
            for row in self.db.execute("SELECT DISTINCT script_id FROM conversations ORDER BY 1")
        ]

    @guarded
    def numeric_series(
        self,
        *,
        mentorship: str | None = None,
        script_id: str | None = None,
        step_id: str | None = None,
    ) -> list[Series]:
        """Scale/number questions answered in more than one conversation, one series per
        (script_id, step_id, mentorship), sorted by those; points oldest first (a loop that
        asks a question twice gives two points). `question` is the text last shown."""
        sql = (
            "SELECT c.script_id, a.step_id, c.mentorship, a.answered_at, a.answer_json, c.id, "
            "a.seq FROM conversations c JOIN answers a ON a.conversation_id = c.id "
            "WHERE a.type IN ('scale', 'number') AND a.skipped = 0 AND a.seq < c.position"
        )
        params: list[Any] = []
        who = mentorship.strip() if mentorship is not None else None
        for column, value in (("c.mentorship", who), ("c.script_id", script_id)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        if step_id is not None:
            sql += " AND a.step_id = ?"
            params.append(step_id)
        points: dict[SeriesKey, list[tuple[str, int | float]]] = {}
        latest: dict[SeriesKey, tuple[str, str, int]] = {}  # answered_at, conversation, seq
        spread: dict[SeriesKey, set[str]] = {}  # the conversations answering it
        loads = json.loads
        for script, step, name, at, raw, conversation_id, seq in self.db.execute(sql, params):
            value = loads(raw)
            if value.__class__ is not int and value.__class__ is not float:
                continue  # bool, or a value some other writer stored
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
        for key in sorted(points, key=lambda k: (k[0], k[1], k[2] is not None, k[2] or "")):
            if len(spread[key]) < 2:
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
