"""make_history: fast, deterministic, and the same database normal use would build."""

from __future__ import annotations

import io
from pathlib import Path

from reflectcoach.store import Store
from reflectcoach.store.export import write_json
from reflectcoach.store.importer import import_json

from .helpers import WEEKLY, run
from .history import COMMON_WORD, RARE_WORD, make_history
from .test_store_export import table_dump

WORDS = (COMMON_WORD, "release", "proud", "feedback", "skills", "career*", "hours")


def fts_hits(store: Store, word: str) -> list[tuple[str, str]]:
    return store.db.execute(
        "SELECT a.conversation_id, a.step_id FROM answers_fts "
        "JOIN answers a ON a.rowid = answers_fts.rowid WHERE answers_fts MATCH ? "
        "ORDER BY 1, 2",
        [f'"{word.rstrip("*")}"' + ("*" if word.endswith("*") else "")],
    ).fetchall()


def test_make_history_matches_normal_use(tmp_path: Path) -> None:
    summary = make_history(tmp_path / "bulk.db", conversations=60, answers_per=12, seed=3)
    assert summary["conversations"] == 60 and summary["answers"] >= 60 * 6
    with Store.open(tmp_path / "bulk.db") as bulk, Store.open(tmp_path / "normal.db") as normal:
        bulk.db.execute("INSERT INTO answers_fts(answers_fts, rank) VALUES ('integrity-check', 1)")
        out = io.StringIO()
        write_json(bulk, out)
        assert import_json(normal, io.StringIO(out.getvalue())) == (60, 0)  # via the triggers
        assert table_dump(bulk) == table_dump(normal)
        for word in WORDS:
            assert fts_hits(bulk, word) == fts_hits(normal, word)
        assert fts_hits(bulk, COMMON_WORD)
        # the triggers are back: normal writes keep the index in step
        conversation_id = run(bulk, WEEKLY)
        assert [h["conversation_id"] for h in bulk.search("shipped")] == [conversation_id]
        triggers = {row[0] for row in bulk.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}  # fmt: skip
        assert {"answers_ai", "answers_ad", "answers_au"} <= triggers
        bulk.db.execute("INSERT INTO answers_fts(answers_fts, rank) VALUES ('integrity-check', 1)")


def test_make_history_is_deterministic_and_varied(tmp_path: Path) -> None:
    make_history(tmp_path / "one.db", conversations=200, answers_per=10, seed=7)
    with Store.open(tmp_path / "two.db") as store:
        make_history(store, conversations=200, answers_per=10, seed=7)
    with Store.open(tmp_path / "one.db") as one, Store.open(tmp_path / "two.db") as two:
        assert table_dump(one) == table_dump(two)
        assert len({m["script_id"] for m in one.insights.monthly_counts()}) > 3
        assert one.count(status="completed") > 150
        assert one.count(status="in_progress") == 5
        assert len(one.mentorships.names()) > 4
        assert one.insights.numeric_series()
        common = one.db.execute(
            "SELECT count(*) FROM answers_fts WHERE answers_fts MATCH ?", [COMMON_WORD]
        ).fetchone()[0]
        texts = one.db.execute(
            "SELECT count(*) FROM answers WHERE type IN ('text', 'long_text') AND skipped = 0"
        ).fetchone()[0]
        assert common > texts * 0.7
        assert len(one.search(RARE_WORD)) < 5
