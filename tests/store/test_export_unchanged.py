"""The JSON and Markdown exports are byte for byte what they were before they streamed their
sections and built conversations without json_insert (issue 26's export rows): a generated
history with every kind of row the exports write, hashed. If a change to the format is meant,
check the new file by eye, then update the digests (and say why in the commit)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from reflectcoach.store import Store
from reflectcoach.store.export import json_conversations, write_json, write_markdown

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


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    path = tmp_path_factory.mktemp("unchanged") / "r.db"
    return path, *_history(path)


def test_the_json_export_is_byte_for_byte_what_it_was(history: tuple[Path, str, str]) -> None:
    path, first, second = history
    out = io.StringIO()
    with Store.open(path) as store:
        written = write_json(store, out)
    data = json.loads(out.getvalue())
    by_id = {c["id"]: c for c in data["conversations"]}
    # What the digest stands for, readable when it fails.
    assert [a["seq"] for a in by_id[first]["answers"]] == [0, 1, 2, 3, 4, 5]
    assert by_id[first]["answers"][2]["answer_text"] == HOSTILE
    assert by_id[first]["answers"][1]["commitment"]
    assert [d["seq"] for d in by_id[second]["drafts"]] == [1, 3]
    assert data["commitments"] and data["commitment_events"] and data["mentorships"]
    assert written == 640
    assert _digest(out.getvalue()) == JSON_SHA256


def test_the_markdown_export_is_byte_for_byte_what_it_was(
    history: tuple[Path, str, str],
) -> None:
    out = io.StringIO()
    with Store.open(history[0]) as store:
        written = write_markdown(store, out)
    assert "### Commitments" in out.getvalue()
    assert written == 640
    assert _digest(out.getvalue()) == MARKDOWN_SHA256


# A part of the history: each conversation still gets its own drafts and commitments, read
# beside the conversations with the same filter (json, markdown: written, sha256).
FILTERED = [
    (
        {"mentorship": "Ada"},
        (37, "2969656912ebd882f3eb2124ac388a51bf1f7fe3a1f1864bf34732a712e89503"),
        (37, "1b6c80a41e27b22ee19be0cae7e3ca9b5792d44f1b82326f27f41eefe5c639fc"),
    ),
    (
        {"since": "2025-01-01"},
        (222, "69d4a6f5493240f46196bb82f29a360642bf69ed53d52c109171f18ba05ea816"),
        (222, "350ce84c3ea7660dd0af070a53868f37f5e4c62890d9ca8c5e4e50ae10eff98b"),
    ),
    (
        {"mentorship": ""},
        (79, "529fe3c409b0440e3fc3bd1e6cc0f91cf406952c78045d5dee2bcbab9d6c1a52"),
        (79, "5fecf5c4405de72111f56206afaeba93b50c03953e747f5b4c09c1bebff59ac5"),
    ),
    (
        {"script_id": "career", "since": "2024-01-01"},
        (79, "04efd8a0a3a447003e704f2f33120ae8c6c5e2ca55fb2ab557151b825a042f5e"),
        (79, "6b2a32fb8bc5610603a3f91332300478121235f6919de4219dc054d36d69bf57"),
    ),
]


@pytest.mark.parametrize(("filters", "as_json", "as_markdown"), FILTERED)
def test_a_filtered_export_is_what_it_was(
    history: tuple[Path, str, str],
    filters: dict[str, str],
    as_json: tuple[int, str],
    as_markdown: tuple[int, str],
) -> None:
    with Store.open(history[0]) as store:
        for writer, expected in ((write_json, as_json), (write_markdown, as_markdown)):
            out = io.StringIO()
            written = writer(store, out, **filters)
            assert (written, _digest(out.getvalue())) == expected, writer.__name__


def test_conversations_by_id_are_what_they_were(history: tuple[Path, str, str]) -> None:
    """What sync sends (store/sync_rows.py): the conversations asked for, drafts included."""
    path, first, second = history
    out = io.StringIO()
    with Store.open(path) as store:
        counts = json_conversations(store, out, ids=[second, first])
    assert counts == (15, 2) and '"drafts"' in out.getvalue()
    assert _digest(out.getvalue()) == (
        "68407c422d5291614a2341f814717e21c6c8fb589116f912e20b172e9c24c704"
    )
