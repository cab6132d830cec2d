"""Every Store method against real stored data."""

from __future__ import annotations

import re

import pytest

from reflectcoach.store import Store, StoreError

from .helpers import WEEKLY, Clock, run

SKIPPY = [
    ("mood", "How was your week, 1 to 10?", "scale", 4, "4"),
    ("win", "What went well?", "text", None, None),
    ("hours", "Hours spent learning?", "number", 3, "3"),
]


def test_start_creates_in_progress_conversation(fresh_store: Store) -> None:
    conversation_id = fresh_store.start(
        script_id="weekly",
        script_version=3,
        script_sha256="ab" * 32,
        title="Weekly check-in",
        mentorship="  Ada  ",
        current_step="intro",
    )
    assert re.fullmatch(r"[0-9a-f]{12}", conversation_id)
    conversation = fresh_store.conversation(conversation_id)
    assert conversation == {
        "id": conversation_id,
        "script_id": "weekly",
        "script_version": 3,
        "script_sha256": "ab" * 32,
        "title": "Weekly check-in",
        "mentorship": "Ada",
        "status": "in_progress",
        "current_step": "intro",
        "position": 0,
        "record": None,
        "started_at": "2026-01-05T09:01:00.000000Z",
        "updated_at": "2026-01-05T09:01:00.000000Z",
        "completed_at": None,
        "answer_count": 0,
    }
    assert fresh_store.conversation("000000000000") is None


def test_blank_mentorship_is_none(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, mentorship="   ")
    conversation = fresh_store.conversation(conversation_id)
    assert conversation is not None and conversation["mentorship"] is None


def test_answers_values_and_display(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    answers = fresh_store.answers(conversation_id)
    assert [a["step_id"] for a in answers] == ["mood", "win", "help", "hours", "topics"]
    assert [a["seq"] for a in answers] == list(range(len(answers)))
    by_step = {a["step_id"]: a for a in answers}
    assert by_step["mood"]["value"] == 7 and by_step["mood"]["answer_text"] == "7"
    assert by_step["help"]["value"] is True and by_step["help"]["answer_text"] == "yes"
    assert isinstance(by_step["hours"]["value"], float)
    assert by_step["topics"]["value"] == ["career", "skills"]
    assert by_step["topics"]["answer_text"] == "Career, Skills"
    assert by_step["mood"]["question"] == "How was your week, 1 to 10?"
    assert by_step["mood"]["type"] == "scale"
    assert by_step["mood"]["conversation_id"] == conversation_id


def test_skipped_answer(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, SKIPPY)
    win = fresh_store.answers(conversation_id)[1]
    assert win["skipped"] is True
    assert win["value"] is None and win["answer_text"] is None
    conversation = fresh_store.conversation(conversation_id)
    assert conversation is not None
    assert conversation["answer_count"] == 2  # the skip is not counted


def test_answered_replaces_and_discards(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    journal = fresh_store.journal(conversation_id)
    journal.moved(position=1, current_step="win")  # back() twice... to seq 1
    assert [a["step_id"] for a in fresh_store.answers(conversation_id)] == ["mood"]
    future = fresh_store.answers(conversation_id, include_future=True)
    assert [a["step_id"] for a in future] == ["mood", "win", "help", "hours", "topics"]
    conversation = fresh_store.conversation(conversation_id)
    assert conversation is not None
    assert conversation["position"] == 1 and conversation["current_step"] == "win"
    assert conversation["answer_count"] == 1

    # Same question again, same path: the later answers stay, offered again.
    journal.answered(
        step_id="win",
        question="What went well?",
        qtype="text",
        text="Pairing with Grace",
        value="Pairing with Grace",
        skipped=False,
        seq=1,
        position=2,
        current_step="help",
        discard_from=None,
    )
    future = fresh_store.answers(conversation_id, include_future=True)
    assert [a["step_id"] for a in future] == ["mood", "win", "help", "hours", "topics"]
    assert future[1]["value"] == "Pairing with Grace"

    # A different answer that changes the path: the rest is discarded in the same call.
    journal.moved(position=0, current_step="mood")
    journal.answered(
        step_id="mood",
        question="How was your week, 1 to 10?",
        qtype="scale",
        text="2",
        value=2,
        skipped=False,
        seq=0,
        position=1,
        current_step="rough",
        discard_from=1,
    )
    future = fresh_store.answers(conversation_id, include_future=True)
    assert [(a["step_id"], a["value"]) for a in future] == [("mood", 2)]
    assert fresh_store.search("Pairing") == []


def test_discard_from_after_back(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    journal = fresh_store.journal(conversation_id)
    journal.moved(position=1, current_step="win")
    # A new answer at seq 1 that leads elsewhere: seq >= 2 goes, this answer stays.
    journal.answered(
        step_id="win",
        question="What went well?",
        qtype="text",
        text="Nothing much",
        value="Nothing much",
        skipped=False,
        seq=1,
        position=2,
        current_step="why",
        discard_from=2,
    )
    future = fresh_store.answers(conversation_id, include_future=True)
    assert [(a["step_id"], a["seq"], a["value"]) for a in future] == [
        ("mood", 0, 7),
        ("win", 1, "Nothing much"),
    ]
    conversation = fresh_store.conversation(conversation_id)
    assert conversation is not None
    assert (conversation["position"], conversation["current_step"]) == (2, "why")


LOOP = [
    ("goal", "Your goal?", "text", "Ship it", None),
    ("sure", "Sure?", "yes_no", False, "no"),
    ("goal", "Your goal, again?", "text", "Ship it well", None),
    ("sure", "Sure now?", "yes_no", True, "yes"),
]


def test_a_looping_script_keeps_every_answer(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, LOOP)
    answers = fresh_store.answers(conversation_id)
    assert [(a["seq"], a["step_id"], a["value"]) for a in answers] == [
        (0, "goal", "Ship it"),
        (1, "sure", False),
        (2, "goal", "Ship it well"),
        (3, "sure", True),
    ]
    assert fresh_store.recall("weekly", "goal", None) == ("Ship it well", "Ship it well")
    assert len(fresh_store.search("ship")) == 2
    # back to the first "goal" and answer it again: only that row changes
    journal = fresh_store.journal(conversation_id)
    journal.moved(position=0, current_step="goal")
    journal.answered(
        step_id="goal",
        question="Your goal?",
        qtype="text",
        text="Ship it soon",
        value="Ship it soon",
        skipped=False,
        seq=0,
        position=1,
        current_step="sure",
        discard_from=None,
    )
    future = fresh_store.answers(conversation_id, include_future=True)
    assert [a["value"] for a in future] == ["Ship it soon", False, "Ship it well", True]


def test_completed(fresh_store: Store, clock: Clock) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    fresh_store.journal(conversation_id).completed(
        record="# Record\n\n*done*", position=5, current_step="end"
    )
    conversation = fresh_store.conversation(conversation_id)
    assert conversation is not None
    assert conversation["status"] == "completed"
    assert conversation["record"] == "# Record\n\n*done*"
    assert conversation["completed_at"] == conversation["updated_at"]
    assert conversation["completed_at"] is not None
    assert conversation["completed_at"] > conversation["started_at"]
    assert conversation["current_step"] == "end" and conversation["answer_count"] == 5


def test_journal_for_unknown_conversation(fresh_store: Store) -> None:
    with pytest.raises(StoreError, match="no conversation"):
        fresh_store.journal("ffffffffffff").moved(position=1, current_step="x")
    with pytest.raises(StoreError, match="no conversation"):
        fresh_store.journal("ffffffffffff").answered(
            step_id="a",
            question="q",
            qtype="text",
            text="t",
            value="t",
            skipped=False,
            seq=0,
            position=1,
            current_step="b",
            discard_from=None,
        )
    assert fresh_store.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_unstorable_value_is_a_store_error(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, [], complete=False)
    with pytest.raises(StoreError, match="cannot be saved"):
        fresh_store.journal(conversation_id).answered(
            step_id="n",
            question="n?",
            qtype="number",
            text="nan",
            value=float("nan"),
            skipped=False,
            seq=0,
            position=1,
            current_step="end",
            discard_from=None,
        )


def test_set_status(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    fresh_store.set_status(conversation_id, "abandoned")
    conversation = fresh_store.conversation(conversation_id)
    assert conversation is not None and conversation["status"] == "abandoned"
    assert conversation["completed_at"] is None
    fresh_store.set_status(conversation_id, "completed")
    conversation = fresh_store.conversation(conversation_id)
    assert conversation is not None and conversation["completed_at"] is not None
    with pytest.raises(StoreError, match="Unknown status"):
        fresh_store.set_status(conversation_id, "paused")
    with pytest.raises(StoreError, match="no conversation"):
        fresh_store.set_status("ffffffffffff", "abandoned")


def test_delete(fresh_store: Store) -> None:
    keep = run(fresh_store, WEEKLY)
    gone = run(fresh_store, WEEKLY)
    assert fresh_store.delete(gone) is True
    assert fresh_store.delete(gone) is False
    assert fresh_store.conversation(gone) is None
    assert fresh_store.answers(gone, include_future=True) == []
    assert [hit["conversation_id"] for hit in fresh_store.search("Shipped")] == [keep]


def test_resolve_id(fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # Known ids, so no random one can share a prefix the test calls unique or absent.
    made = iter(str(n) * 12 for n in range(1, 10))
    monkeypatch.setattr("reflectcoach.store.db.new_id", lambda: next(made))
    ids = [run(fresh_store, WEEKLY) for _ in range(3)]
    for conversation_id in ids:
        assert fresh_store.resolve_id(conversation_id) == conversation_id
        assert fresh_store.resolve_id(conversation_id.upper()[:8]) == conversation_id
    template = fresh_store.conversation(ids[0])
    assert template is not None
    row = {k: v for k, v in template.items() if k != "answer_count"}
    for new_id in ("abc111111111", "abc222222222"):
        fresh_store.db.table("conversations").insert({**row, "id": new_id})
    with pytest.raises(StoreError, match="More than one"):
        fresh_store.resolve_id("abc")
    assert fresh_store.resolve_id("abc2") == "abc222222222"
    for bad in ("", "zz", "abd", "%", "abc_"):
        with pytest.raises(StoreError, match="No conversation"):
            fresh_store.resolve_id(bad)


def test_latest_in_progress(fresh_store: Store) -> None:
    assert fresh_store.latest_in_progress() is None
    older = run(fresh_store, WEEKLY, complete=False)
    newer = run(fresh_store, WEEKLY, complete=False)
    run(fresh_store, WEEKLY)
    latest = fresh_store.latest_in_progress()
    assert latest is not None and latest["id"] == newer
    fresh_store.journal(older).moved(position=2, current_step="help")  # touched last
    latest = fresh_store.latest_in_progress()
    assert latest is not None and latest["id"] == older
    assert latest["answer_count"] == 2


def _history(store: Store, clock: Clock) -> dict[str, str]:
    made = {}
    clock.set("2026-01-10T10:00:00")
    made["jan_ada"] = run(store, WEEKLY, mentorship="Ada")
    clock.set("2026-02-14T10:00:00")
    made["feb_grace"] = run(store, WEEKLY, mentorship="Grace", script_id="goals")
    clock.set("2026-02-20T10:00:00")
    made["feb_none"] = run(store, SKIPPY, mentorship=None)
    clock.set("2026-03-01T10:00:00")
    made["mar_ada_open"] = run(store, SKIPPY, mentorship="Ada", complete=False)
    return made


def test_conversations_filters(fresh_store: Store, clock: Clock) -> None:
    made = _history(fresh_store, clock)

    def ids(**filters: object) -> list[str]:
        return [c["id"] for c in fresh_store.conversations(**filters)]  # type: ignore[arg-type]

    newest_first = [made["mar_ada_open"], made["feb_none"], made["feb_grace"], made["jan_ada"]]
    assert ids() == newest_first
    assert ids(script_id="goals") == [made["feb_grace"]]
    assert ids(mentorship="Ada") == [made["mar_ada_open"], made["jan_ada"]]
    assert ids(status="in_progress") == [made["mar_ada_open"]]
    assert ids(since="2026-02") == newest_first[:3]
    assert ids(until="2026-02") == newest_first[1:]
    assert ids(since="2026-02-15", until="2026-02-20") == [made["feb_none"]]
    assert ids(until="2026-02-14T10:01:00Z") == [made["feb_grace"], made["jan_ada"]]
    assert ids(until="2026-02-14T10:00:59Z") == [made["jan_ada"]]
    assert ids(until="2026-02-14T11:01:30+01:00") == [made["feb_grace"], made["jan_ada"]]
    assert ids(limit=2) == newest_first[:2]
    assert ids(limit=2, offset=2) == newest_first[2:]
    assert ids(limit=None) == newest_first
    assert ids(query="shipped release") == [made["feb_grace"], made["jan_ada"]]
    assert ids(query="shipped", mentorship="Grace") == [made["feb_grace"]]
    assert ids(query="") == [] and ids(query="--") == []
    assert ids(query="nothing-like-this") == []
    counts = {c["id"]: c["answer_count"] for c in fresh_store.conversations()}
    assert counts[made["jan_ada"]] == 5 and counts[made["feb_none"]] == 2
    with pytest.raises(StoreError, match="Not a date"):
        fresh_store.conversations(since="last tuesday")
    with pytest.raises(StoreError, match="Unknown status"):
        fresh_store.conversations(status="done")
    assert fresh_store.count() == 4
    assert fresh_store.count(mentorship="Ada", status="completed") == 1
    assert fresh_store.count(query="shipped") == 2


def test_search(fresh_store: Store, clock: Clock) -> None:
    made = _history(fresh_store, clock)
    hits = fresh_store.search("shipped")
    assert [h["conversation_id"] for h in hits] == [made["feb_grace"], made["jan_ada"]]
    hit = hits[1]
    assert hit == {
        "conversation_id": made["jan_ada"],
        "script_id": "weekly",
        "title": "Weekly",
        "mentorship": "Ada",
        "started_at": "2026-01-10T10:01:00.000000Z",
        "step_id": "win",
        "question": "What went well?",
        "answer_text": "Shipped the release with the team",
        "snippet": "[Shipped] the release with the team",
    }
    assert fresh_store.search("shipped", limit=1)[0]["conversation_id"] == made["feb_grace"]
    assert fresh_store.search("ship*")[0]["step_id"] == "win"
    marked = fresh_store.search("team", markers=("<b>", "</b>"))
    assert marked[0]["snippet"].endswith("with the <b>team</b>")
    assert fresh_store.search("") == [] and fresh_store.search("   ") == []
    assert fresh_store.search("shipped", limit=0) == []
    # skipped answers are not hits, even where the question matches
    assert all(h["step_id"] != "win" or h["answer_text"] for h in fresh_store.search("well"))


def test_search_ignores_answers_beyond_position(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    fresh_store.journal(conversation_id).moved(position=1, current_step="win")
    assert fresh_store.search("shipped") == []
    assert fresh_store.conversations(query="shipped") == []


def test_recall(fresh_store: Store, clock: Clock) -> None:
    assert fresh_store.recall("weekly", "win", None) is None
    first = [("win", "What went well?", "text", "first answer", None)]
    second = [("win", "What went well?", "text", "second answer", None)]
    run(fresh_store, first, mentorship="Ada")
    run(fresh_store, second, mentorship="Grace")
    run(fresh_store, [("win", "What went well?", "text", "unfinished", None)], complete=False)
    assert fresh_store.recall("weekly", "win", None) == ("second answer", "second answer")
    assert fresh_store.recall("weekly", "win", "Ada") == ("first answer", "first answer")
    assert fresh_store.recall("weekly", "win", "Nobody") is None
    assert fresh_store.recall("weekly", "missing", None) is None
    assert fresh_store.recall("other", "win", None) is None
    run(fresh_store, WEEKLY, mentorship="Ada")
    assert fresh_store.recall("weekly", "topics", "Ada") == (
        ["career", "skills"],
        "Career, Skills",
    )
    run(fresh_store, SKIPPY, mentorship="Ada")  # latest: "win" skipped
    assert fresh_store.recall("weekly", "win", "Ada") is None
    assert fresh_store.recall("weekly", "win", "Grace") == ("second answer", "second answer")


def test_mentorships_and_script_ids(fresh_store: Store, clock: Clock) -> None:
    assert fresh_store.mentorships.names() == [] and fresh_store.insights.script_ids() == []
    _history(fresh_store, clock)
    assert fresh_store.mentorships.names() == ["Ada", "Grace"]
    assert fresh_store.insights.script_ids() == ["goals", "weekly"]


def test_numeric_series(fresh_store: Store, clock: Clock) -> None:
    clock.set("2026-01-01T08:00:00")
    for number, mood in enumerate((3, 5, 8)):
        steps = [
            ("mood", f"Mood, take {number}?", "scale", mood, str(mood)),
            ("hours", "Hours?", "number", 1.5 * number, str(1.5 * number)),
            ("help", "Help?", "yes_no", True, "yes"),
        ]
        run(fresh_store, steps, mentorship="Ada")
    run(fresh_store, [("mood", "Mood?", "scale", 9, "9")], mentorship="Grace")  # only once
    run(fresh_store, [("mood", "Mood?", "scale", None, None)], mentorship="Ada")  # skipped
    looped = [("mood", "Mood?", "scale", 2, "2"), ("mood", "Mood now?", "scale", 6, "6")]
    run(fresh_store, looped, mentorship="Linus")  # twice, but in one conversation only
    series = fresh_store.insights.numeric_series()
    assert [(s["script_id"], s["step_id"], s["mentorship"]) for s in series] == [
        ("weekly", "hours", "Ada"),
        ("weekly", "mood", "Ada"),
    ]
    mood = series[1]
    assert mood["question"] == "Mood, take 2?"  # as last asked
    assert [value for _, value in mood["points"]] == [3, 5, 8]
    times = [at for at, _ in mood["points"]]
    assert times == sorted(times)
    assert [value for _, value in series[0]["points"]] == [0.0, 1.5, 3.0]
    assert fresh_store.insights.numeric_series(mentorship="Grace") == []
    only = fresh_store.insights.numeric_series(script_id="weekly", step_id="mood")
    assert [s["step_id"] for s in only] == ["mood"]


def test_monthly_counts(fresh_store: Store, clock: Clock) -> None:
    _history(fresh_store, clock)
    assert fresh_store.insights.monthly_counts() == [
        {"month": "2026-01", "script_id": "weekly", "count": 1},
        {"month": "2026-02", "script_id": "goals", "count": 1},
        {"month": "2026-02", "script_id": "weekly", "count": 1},
        {"month": "2026-03", "script_id": "weekly", "count": 1},
    ]
    assert len(fresh_store.insights.monthly_counts(status="completed")) == 3


def test_iter_conversations(fresh_store: Store, clock: Clock) -> None:
    made = _history(fresh_store, clock)
    empty = fresh_store.start(
        script_id="weekly",
        script_version=1,
        script_sha256="0",
        title="Empty",
        mentorship=None,
        current_step="mood",
    )
    items = list(fresh_store.iter_conversations())
    assert [c["id"] for c in items] == [
        made["jan_ada"],
        made["feb_grace"],
        made["feb_none"],
        made["mar_ada_open"],
        empty,
    ]
    assert items[-1]["answers"] == [] and items[-1]["answer_count"] == 0
    first = items[0]
    assert first["answers"] == fresh_store.answers(made["jan_ada"])
    assert first["answer_count"] == 5 and first["record"] == "## Weekly\n\nA good week."
    assert [c["id"] for c in fresh_store.iter_conversations(mentorship="Ada")] == [
        made["jan_ada"],
        made["mar_ada_open"],
    ]
    picked = fresh_store.iter_conversations(ids=[made["feb_none"], "nope"], status="completed")
    assert [c["id"] for c in picked] == [made["feb_none"]]
    assert [c["id"] for c in fresh_store.iter_conversations(since="2026-02-16")][:1] == [
        made["feb_none"]
    ]


def test_iter_conversations_respects_position(fresh_store: Store) -> None:
    conversation_id = run(fresh_store, WEEKLY, complete=False)
    fresh_store.journal(conversation_id).moved(position=2, current_step="help")
    (item,) = fresh_store.iter_conversations()
    assert [a["step_id"] for a in item["answers"]] == ["mood", "win"]
    (item,) = fresh_store.iter_conversations(include_future=True)
    assert len(item["answers"]) == 5 and item["answer_count"] == 2


def test_iter_conversations_streams(fresh_store: Store) -> None:
    for _ in range(3):
        run(fresh_store, WEEKLY)
    stream = fresh_store.iter_conversations()
    first = next(stream)
    # The store stays usable (writes included) while a stream is open.
    run(fresh_store, WEEKLY)
    rest = list(stream)
    assert first["id"] not in {c["id"] for c in rest}
    assert len(rest) >= 2


def test_blank_mentorship_filter_means_about_no_one(fresh_store) -> None:
    store = fresh_store
    common = dict(script_id="s", script_version=1, script_sha256="x", title="T", current_step="a")
    nobody = store.start(mentorship=None, **common)
    sam = store.start(mentorship="Sam", **common)
    assert [r["id"] for r in store.conversations(mentorship="")] == [nobody]
    assert [r["id"] for r in store.conversations(mentorship="Sam")] == [sam]
    assert store.count(mentorship="  ") == 1


def test_conversations_by_last_update_for_the_resume_list(fresh_store) -> None:
    store = fresh_store
    common = dict(script_id="s", script_version=1, script_sha256="x", title="T", current_step="a")
    older = store.start(mentorship=None, **common)
    newer = store.start(mentorship=None, **common)
    store.journal(older).moved(position=0, current_step="a")  # touched last
    assert [r["id"] for r in store.conversations()] == [newer, older]
    assert [r["id"] for r in store.conversations(by="updated_at")] == [older, newer]
    with pytest.raises(StoreError):
        store.conversations(by="title; DROP TABLE answers")


def test_script_titles_are_the_newest_conversations(fresh_store) -> None:
    store = fresh_store
    common = dict(script_version=1, script_sha256="x", mentorship=None, current_step="a")
    store.start(script_id="b", title="Old name", **common)
    store.start(script_id="b", title="New name", **common)
    store.start(script_id="a", title="Alpha", **common)
    assert store.insights.script_titles() == {"a": "Alpha", "b": "New name"}


def test_sync_configured_is_the_device_setting(fresh_store: Store) -> None:
    # What the app asks before it loads the sync package at all (app/background.py).
    assert fresh_store.sync.configured() is False
    fresh_store.sync.set_settings({"device": "d1"})
    assert fresh_store.sync.configured() is True
    fresh_store.sync.set_settings({"device": None})
    assert fresh_store.sync.configured() is False
