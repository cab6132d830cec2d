"""Export (JSON, Markdown, CSV) and import: content, faithfulness, round trips, refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from reflectcoach.store import Store, StoreError
from reflectcoach.store.export import write_csv, write_json, write_markdown
from reflectcoach.store.importer import import_json

from .helpers import WEEKLY, Clock, run

HOSTILE_TEXT = (
    "# Not a heading\n"
    "> not a quote\n"
    "- not a list\n"
    "1. not numbered\n"
    "```\n"
    "<script>alert(1)</script>\n"
    "[link]: http://example.com\n"
    "===\n"
    "___\n"
    "bell\x07 esc\x1b[31mred\x1b[0m nul\x00 del\x7f c1\x9b crlf\r\n"
    "**bold** _it_ | pipe | `code`"
)
ODD = [
    ("story", "Tell me # everything", "long_text", HOSTILE_TEXT, None),
    ("unicode", "Unicode?", "text", "café – 日本語 🙂 \u202eevil", None),
    ("pick", "Pick?", "multi", ["a", 'b"q', "ü"], 'A, B"q, Ü'),
    ("gone", "Skipped?", "text", None, None),
    ("n", "Number?", "number", -0.5, "-0.5"),
    ("big", "Big?", "number", 10**15, str(10**15)),
    ("ok", "OK?", "yes_no", False, "no"),
]


def export_json(store: Store, **filters: Any) -> tuple[list[dict[str, Any]], int]:
    out = io.StringIO()
    count = write_json(store, out, **filters)
    return json.loads(out.getvalue())["conversations"], count


def test_json_export_content(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, mentorship="Ada")
    data, count = export_json(fresh_store)
    assert count == len(WEEKLY)
    (item,) = data
    stored = fresh_store.conversation(conversation_id)
    assert stored is not None
    for key in (
        "id",
        "script_id",
        "script_version",
        "script_sha256",
        "title",
        "mentorship",
        "status",
        "current_step",
        "position",
        "started_at",
        "updated_at",
        "completed_at",
        "record",
    ):
        assert item[key] == stored[key]  # type: ignore[literal-required]
    assert item["answers"][0] == {
        "step": "mood",
        "seq": 0,
        "question": "How was your week, 1 to 10?",
        "type": "scale",
        "answer": 7,
        "answer_text": "7",
        "skipped": False,
        "answered_at": fresh_store.answers(conversation_id)[0]["answered_at"],
    }
    assert [a["answer"] for a in item["answers"]] == [
        7,
        "Shipped the release with the team",
        True,
        2.5,
        ["career", "skills"],
    ]


def test_json_is_exact_for_markup_and_control_characters(fresh_store: Store) -> None:
    run(fresh_store, ODD)
    (item,), _ = export_json(fresh_store)
    answers = {a["step"]: a for a in item["answers"]}
    assert answers["story"]["answer"] == HOSTILE_TEXT
    assert answers["story"]["answer_text"] == HOSTILE_TEXT
    assert answers["unicode"]["answer"] == "café – 日本語 🙂 \u202eevil"
    assert answers["pick"]["answer"] == ["a", 'b"q', "ü"]
    assert answers["gone"] == {**answers["gone"], "answer": None, "answer_text": None}
    assert answers["gone"]["skipped"] is True
    assert answers["n"]["answer"] == -0.5 and answers["big"]["answer"] == 10**15
    assert answers["ok"]["answer"] is False


def test_json_filters_and_progress(fresh_store: Store, clock: Clock) -> None:
    clock.set("2026-01-01T00:00:00")
    first = run(fresh_store, WEEKLY, mentorship="Ada")
    clock.set("2026-03-01T00:00:00")
    second = run(fresh_store, WEEKLY, mentorship="Grace")
    seen: list[int] = []
    out = io.StringIO()
    assert write_json(fresh_store, out, progress=seen.append) == 2 * len(WEEKLY)
    assert seen == [1, 2]
    assert [c["id"] for c in json.loads(out.getvalue())["conversations"]] == [first, second]
    assert [c["id"] for c in export_json(fresh_store, mentorship="Grace")[0]] == [second]
    assert [c["id"] for c in export_json(fresh_store, since="2026-02")[0]] == [second]
    assert [c["id"] for c in export_json(fresh_store, ids=[first])[0]] == [first]
    assert export_json(fresh_store, script_id="nope") == ([], 0)


def test_json_keeps_answers_beyond_position(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    fresh_store.journal(conversation_id).moved(position=2, current_step="help")
    (item,), count = export_json(fresh_store)
    # The count is of answers on the path, as `list` shows; the file also keeps the rest.
    assert count == 2 and item["position"] == 2
    assert [a["seq"] for a in item["answers"]] == [0, 1, 2, 3, 4]


def markdown(store: Store, **filters: Any) -> str:
    out = io.StringIO()
    write_markdown(store, out, **filters)
    return out.getvalue()


def test_markdown_export(fresh_store: Store, clock: Clock) -> None:
    clock.set("2026-04-02T08:30:00")
    run(fresh_store, [*WEEKLY, ("skip", "Anything else?", "text", None, None)])
    text = markdown(fresh_store)
    assert text.startswith("# Reflections\n")
    assert "\n## Weekly\n" in text
    assert "- Mentorship: Ada\n" in text
    assert "- Date: 2026-04-02 08:31 UTC\n" in text
    assert "- Status: completed\n" in text
    # the record comes first, then the questions in order, one level below
    assert text.index("A good week.") < text.index("### Questions and answers")
    assert text.index("### Questions and answers") < text.index("#### How was your week")
    assert "#### What went well?\n\n> Shipped the release with the team\n" in text
    assert "#### Which topics?\n\n> Career, Skills\n" in text
    assert "#### Anything else?\n\n> _(skipped)_\n" in text


def test_markdown_neutralises_user_text(fresh_store: Store) -> None:
    run(fresh_store, ODD, mentorship="<b>Ada</b>\n# boss", record=None)
    text = markdown(fresh_store)
    for control in ("\x07", "\x1b", "\x00", "\x7f", "\x9b", "\r"):
        assert control not in text
    assert "\\x1b\\[31mred" in text and "bell\\x07" in text
    # every line of the answer is quoted; none can start a heading, list, fence or tag
    block = text[text.index("#### Tell me # everything") :].split("\n\n")[1]
    lines = block.split("\n")
    assert len(lines) == HOSTILE_TEXT.count("\n") + 1
    assert all(line.startswith("> ") for line in lines)
    assert "> \\# Not a heading\\\n" in block
    assert "> \\> not a quote\\\n" in block
    assert "> \\- not a list\\\n" in block
    assert "> 1\\. not numbered\\\n" in block
    assert "> \\`\\`\\`\\\n" in block
    assert "> \\<script>alert(1)\\</script>\\\n" in block
    # a typed address stays text: GFM viewers would link "http://example.com" on their own
    assert "> \\[link\\]: http\\://example\\.com\\\n" in block
    assert "> \\===\\\n" in block
    assert "> \\_\\_\\_\\\n" in block
    assert block.endswith("> \\*\\*bold\\*\\* \\_it\\_ \\| pipe \\| \\`code\\`")
    assert "- Mentorship: \\<b>Ada\\</b> # boss\n" in text
    assert "\\u202eevil" in text  # a bidi override is shown, not obeyed


def test_markdown_hides_answers_beyond_position(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    fresh_store.journal(conversation_id).moved(position=1, current_step="win")
    assert "Shipped" not in markdown(fresh_store)


def test_csv_export(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, ODD, mentorship="Ada")
    out = io.StringIO(newline="")
    assert write_csv(fresh_store, out) == len(ODD) - 1  # answers: "gone" was skipped
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert list(rows[0]) == [
        "conversation_id",
        "script_id",
        "title",
        "mentorship",
        "status",
        "started_at",
        "step",
        "question",
        "type",
        "answer_text",
        "answer_json",
        "skipped",
        "answered_at",
    ]
    story = rows[0]
    assert story["conversation_id"] == conversation_id and story["mentorship"] == "Ada"
    assert story["answer_text"] == HOSTILE_TEXT
    assert json.loads(story["answer_json"]) == HOSTILE_TEXT
    by_step = {row["step"]: row for row in rows}
    assert by_step["gone"]["skipped"] == "1" and by_step["gone"]["answer_text"] == ""
    assert by_step["gone"]["answer_json"] == "null"
    assert json.loads(by_step["pick"]["answer_json"]) == ["a", 'b"q', "ü"]
    assert by_step["ok"]["answer_json"] == "false"


def test_csv_preserves_text_exactly(fresh_store: Store, tmp_path: Path) -> None:
    run(fresh_store, ODD)
    path = tmp_path / "out.csv"
    with path.open("w", newline="", encoding="utf-8") as fp:
        write_csv(fresh_store, fp)
    with path.open(newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    assert rows[0]["answer_text"] == HOSTILE_TEXT


def table_dump(store: Store) -> tuple[list[Any], list[Any]]:
    conversations = store.db.execute(
        "SELECT id, script_id, script_version, script_sha256, title, mentorship, status, "
        "current_step, position, record, started_at, updated_at, completed_at "
        "FROM conversations ORDER BY id"
    ).fetchall()
    answers = store.db.execute(
        "SELECT conversation_id, step_id, seq, question, type, answer_text, answer_json, "
        "skipped, answered_at FROM answers ORDER BY conversation_id, seq"
    ).fetchall()
    return conversations, answers


def test_import_round_trip(tmp_path: Path, clock: Clock) -> None:
    with Store.open(tmp_path / "a.db") as source:
        source.clock = clock
        run(source, WEEKLY, mentorship="Ada")
        run(source, ODD, mentorship=None)
        open_id = run(source, WEEKLY, complete=False)
        source.journal(open_id).moved(position=2, current_step="help")
        source.set_status(run(source, WEEKLY[:2], complete=False), "abandoned")
        out = io.StringIO()
        write_json(source, out)
        expected = table_dump(source)
    exported = out.getvalue()

    with Store.open(tmp_path / "b.db") as target:
        assert import_json(target, io.StringIO(exported)) == (4, 0)
        assert table_dump(target) == expected
        assert import_json(target, io.BytesIO(exported.encode())) == (0, 4)
        assert table_dump(target) == expected
        assert target.search("shipped")  # FTS filled through the triggers
        again = io.StringIO()
        write_json(target, again)
        assert again.getvalue() == exported


def test_import_never_overwrites(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        conversation_id = run(store, WEEKLY)
        out = io.StringIO()
        write_json(store, out)
        data = json.loads(out.getvalue())["conversations"]
        data[0]["answers"][1]["answer"] = data[0]["answers"][1]["answer_text"] = "rewritten"
        assert import_json(store, io.StringIO(json.dumps(data))) == (0, 1)
        assert store.answers(conversation_id)[1]["value"] == "Shipped the release with the team"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ('{"id": "x"}', "list of conversations"),
        ("[1]", "must be an object"),
        ('[{"id": "XYZ"}]', "'id' must be 12 lowercase hex"),
        ("[" * 100_000, "not"),
    ],
)
def test_import_rejects_bad_files(fresh_store: Store, payload: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        import_json(fresh_store, io.StringIO(payload))
    assert "Nothing was imported" in str(caught.value)
    assert fresh_store.count() == 0


def _valid(store: Store) -> list[dict[str, Any]]:
    run(store, WEEKLY)
    run(store, WEEKLY)
    data, _ = export_json(store)
    for conversation_id in [c["id"] for c in data]:
        store.delete(conversation_id)
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("status",), "done", "'status' must be one of"),
        (("position",), -1, "'position' must be a whole number"),
        (("position",), True, "'position' must be a whole number"),
        (("script_id",), "", "'script_id' must not be empty"),
        (("started_at",), "yesterday", "'started_at' must be an ISO-8601 time"),
        (("mentorship",), 5, "'mentorship' must be text or null"),
        (("answers",), {}, "'answers' must be a list"),
        (("answers", 0), "x", "answer 1 must be an object"),
        (("answers", 1, "seq"), 0, "two answers have the same 'seq'"),
        (("answers", 1, "step"), "", "'step' must not be empty"),
        (("answers", 0, "skipped"), "no", "'skipped' must be true or false"),
        (("answers", 0, "answered_at"), None, "'answered_at' must be text"),
    ],
)
def test_import_is_all_or_nothing(
    fresh_store: Store, path: tuple[Any, ...], value: Any, message: str
) -> None:
    data = _valid(fresh_store)
    target: Any = data[1]  # the first conversation is fine: it must not be imported either
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(StoreError, match=message) as caught:
        import_json(fresh_store, io.StringIO(json.dumps(data)))
    assert "conversation 2" in str(caught.value)
    assert fresh_store.count() == 0
    assert fresh_store.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_import_refuses_non_standard_numbers(fresh_store: Store) -> None:
    data = _valid(fresh_store)
    data[1]["answers"][0]["answer"] = float("inf")  # Python writes Infinity; JSON has none
    with pytest.raises(StoreError, match="conversation 2"):
        import_json(fresh_store, io.StringIO(json.dumps(data)))
    assert fresh_store.count() == 0


def test_import_failure_while_writing_rolls_everything_back(fresh_store: Store) -> None:
    data = _valid(fresh_store)
    fresh_store.db.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON answers "
        f"WHEN new.conversation_id = '{data[1]['id']}' BEGIN SELECT RAISE(ABORT, 'disk'); END"
    )
    with pytest.raises(StoreError, match=r"disk.*Nothing was imported"):
        import_json(fresh_store, io.StringIO(json.dumps(data)))
    assert fresh_store.count() == 0
    assert fresh_store.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    fresh_store.db.execute("DROP TRIGGER temp.refuse")
    assert import_json(fresh_store, io.StringIO(json.dumps(data))) == (2, 0)


def test_write_file_is_private_and_leaves_nothing_half_written(fresh_store, tmp_path) -> None:
    import os
    import stat

    from reflectcoach.store.export import write_file

    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.md"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o644)
    write_file(fresh_store, target, "markdown")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("# Reflections")
    assert list(folder.iterdir()) == [target]
    with pytest.raises(OSError):
        write_file(fresh_store, folder / "missing" / "out.md", "markdown")
    assert list(folder.iterdir()) == [target]


def test_json_safe_escapes_del_c1_and_bidi_even_in_ascii_text() -> None:
    # The export's JSON comes from SQLite, which escapes only C0 controls; json_safe does the
    # rest, and its ASCII shortcut must not skip DEL (which is ASCII).
    import json

    from reflectcoach.core.text import json_safe

    assert json_safe('{"a":"plain"}') == '{"a":"plain"}'
    for raw in ("x\x7fy", "x\x85y", "x\u202ey", "x\u2028y"):
        text = json_safe(json.dumps({"a": raw}, ensure_ascii=False))
        assert text.isascii() and "\x7f" not in text
        assert json.loads(text) == {"a": raw}
