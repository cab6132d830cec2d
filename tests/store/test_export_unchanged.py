"""The JSON and Markdown exports are byte for byte what they were before they streamed their
sections and built conversations without json_insert (issue 26's export rows): a generated
history with every kind of row the exports write, hashed. If a change to the format is meant,
check the new file by eye, then update the digests (and say why in the commit)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from reflectcoach.store import Store
from reflectcoach.store.export import write_json, write_markdown

from .history import make_history

# Written by main's exporters (d475d5e) on `_history`, before the rework.
JSON_SHA256 = "2920023e74ef45e41043ff365f50c53f04d67fe65877903f3eeafbb9ac85cabe"
MARKDOWN_SHA256 = "b412ecdce2a8d2be811450eb32112ca31c7520616b7615e80b88ffe8a6d5e8c6"

HOSTILE = (
    'q"uote \\ back\nline\ttab bell\x07 esc\x1b del\x7f c1\x9b bidi\u202e\u2066 sep\u2028 é 日本 🙂'
)
STAMP = "2024-05-0{}T10:00:00.000000Z"


def _history(path: Path) -> tuple[str, str]:
    """60 generated conversations with commitments, then the rows make_history has none of:
    hostile text, a non-minified value, a follow-up's commitment, answers stored out of seq
    order, drafts, a closed mentorship and a mentorship's state. Returns two conversation ids."""
    with Store.open(path) as store:
        make_history(store, conversations=60, answers_per=12, seed=5, commitments=True)
        db = store.db
        first, second, third = (
            r[0]
            for r in db.execute(
                "SELECT id FROM conversations WHERE mentorship = 'Ada' "
                "ORDER BY started_at, rowid LIMIT 3"
            )
        )
        (commitment,) = db.execute("SELECT id FROM commitments LIMIT 1").fetchone()
        with store.transaction():
            db.execute("DELETE FROM answers WHERE conversation_id = ?", [first])
            rows = [  # seq 2 stored before 0 and 1: the export orders by seq, not by rowid
                (2, "text", HOSTILE, None, 0, None),
                (0, "multi", "A, B", '["a", "b\\"q", "ü"]', 0, None),
                (1, "number", "-0.5", "-0.5", 0, commitment),
                (3, "number", str(10**15), str(10**15), 0, None),
                (4, "text", None, None, 1, None),
                (5, "yes_no", "no", "false", 0, None),
            ]
            for seq, kind, text, value, skipped, made in rows:
                db.execute(
                    "INSERT INTO answers (conversation_id, step_id, seq, question, type, "
                    "answer_text, answer_value, skipped, answered_at, commitment_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        first,
                        f"s{seq}",
                        seq,
                        f"# Q {seq}? {HOSTILE}",
                        kind,
                        text,
                        value,
                        skipped,
                        STAMP.format(seq + 1),
                        made,
                    ],
                )
            db.execute(
                "UPDATE conversations SET title = ?, record = ?, position = 4 WHERE id = ?",
                [f"Title {HOSTILE}", f"# Goal card\n\n{HOSTILE}\n", first],
            )
            for conversation_id, seq, text in (
                (second, 3, "half typed"),
                (second, 1, HOSTILE),
                (third, 0, "x"),
            ):
                db.execute(
                    "INSERT INTO drafts (conversation_id, seq, step_id, text, updated_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [conversation_id, seq, f"d{seq}", text, STAMP.format(seq + 1)],
                )
            db.execute(
                "UPDATE mentorships SET status = 'closed', closed_at = ? WHERE mentorship_key = "
                "'grace'",
                [STAMP.format(9)],
            )
            db.execute(
                "INSERT INTO mentorship_fields VALUES ('ada', 'midpoint', ?, ?, 1, ?, ?)",
                [json.dumps("2024-06-01"), HOSTILE, first, STAMP.format(2)],
            )
            db.execute(
                "INSERT INTO goal_revisions VALUES ('g1r1', 'ada', 'g1', 'set', ?, NULL, 0, ?, ?)",
                [HOSTILE, first, STAMP.format(3)],
            )
            db.execute(
                "INSERT INTO talking_points VALUES ('p1', 'ada', ?, 'open', 1, ?, ?, ?)",
                [HOSTILE, first, STAMP.format(4), STAMP.format(5)],
            )
        return first, second


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_json_export_is_byte_for_byte_what_it_was(tmp_path: Path) -> None:
    first, second = _history(tmp_path / "r.db")
    out = io.StringIO()
    with Store.open(tmp_path / "r.db") as store:
        written = write_json(store, out)
    data = json.loads(out.getvalue())
    by_id = {c["id"]: c for c in data["conversations"]}
    # What the digest stands for, readable when it fails.
    assert [a["seq"] for a in by_id[first]["answers"]] == [0, 1, 2, 3, 4, 5]
    assert by_id[first]["answers"][2]["answer_text"] == HOSTILE
    assert [d["seq"] for d in by_id[second]["drafts"]] == [1, 3]
    assert data["commitments"] and data["commitment_events"] and data["mentorships"]
    assert written == 640
    assert _digest(out.getvalue()) == JSON_SHA256


def test_the_markdown_export_is_byte_for_byte_what_it_was(tmp_path: Path) -> None:
    _history(tmp_path / "r.db")
    out = io.StringIO()
    with Store.open(tmp_path / "r.db") as store:
        written = write_markdown(store, out)
    assert "### Commitments" in out.getvalue()
    assert written == 640
    assert _digest(out.getvalue()) == MARKDOWN_SHA256
