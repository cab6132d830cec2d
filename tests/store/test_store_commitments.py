"""Commitments in the store: made at completion, followed up, changed, summarised."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reflectcoach.engine.conversation import AnswerError, followup
from reflectcoach.engine.followup import Made, Outcome
from reflectcoach.script.loader import load_file
from reflectcoach.script.registry import Catalog
from reflectcoach.services import session
from reflectcoach.store import Store, StoreError, commitments
from reflectcoach.store.export import write_json, write_markdown
from reflectcoach.store.importer import import_json

FIXTURES = Path(__file__).parent.parent / "fixtures" / "commitments"
PLAN = load_file(FIXTURES / "plan.yaml").script
CHECK_IN = load_file(FIXTURES / "check_in.yaml").script
assert PLAN is not None and CHECK_IN is not None
CATALOG = Catalog(scripts={PLAN.id: PLAN, CHECK_IN.id: CHECK_IN}, diagnostics=[])
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", TODAY.isoformat())


def plan(store: Store, mentorship: str | None = "Sam", *answers: str | None) -> str:
    running = session.start(store, PLAN, mentorship)
    for answer in answers or ("Grow as a lead", "Call Ana", "2026-12-04", "Read the book", None):
        if answer is None:
            running.conversation.skip()
        else:
            running.conversation.answer(answer)
    assert running.conversation.finished
    return running.id


def test_a_completed_plan_makes_rows_in_its_mentorship(fresh_store: Store) -> None:
    conversation_id = plan(fresh_store, "Sam")
    made = fresh_store.commitments.all()
    assert [(c.text, c.due, c.goal, c.status, c.step_id, c.seq) for c in made] == [
        ("Call Ana", dt.date(2026, 12, 4), "Grow as a lead", "open", "first_step", 1),
        ("Read the book", None, "Grow as a lead", "open", "second_step", 3),
    ]
    assert {c.mentorship for c in made} == {"Sam"}
    assert {c.conversation_id for c in made} == {conversation_id}
    assert fresh_store.commitments.all(mentorship="sam") == made
    assert fresh_store.commitments.all(mentorship="Bo") == []
    assert fresh_store.commitments.all(due_before=dt.date(2026, 12, 5)) == made[:1]
    assert fresh_store.commitments.all(limit=1) == made[:1]
    events = fresh_store.commitments.events(made[0].id)
    assert [(e["source"], e["to_status"], e["conversation_id"]) for e in events] == [
        ("conversation", "open", conversation_id)
    ]


def test_an_unfinished_plan_makes_none(fresh_store: Store) -> None:
    running = session.start(fresh_store, PLAN, "Sam")
    running.conversation.answer("Grow")
    running.conversation.answer("Call Ana")
    running.conversation.answer("2026-12-04")
    assert fresh_store.commitments.all() == []


def test_prefixes_resolve_like_conversation_ids(
    fresh_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = (f"abcd{n:08x}" for n in itertools.count())
    monkeypatch.setattr(commitments, "new_id", lambda: next(ids))
    plan(fresh_store)
    first, second = fresh_store.commitments.all()
    assert (first.id, second.id) == ("abcd00000000", "abcd00000002")  # an event between
    assert fresh_store.commitments.get(" ABCD00000000 ") == first
    with pytest.raises(StoreError, match="No commitment has an id starting with 'ffff'"):
        fresh_store.commitments.get("ffff")
    with pytest.raises(StoreError, match="ids are hex"):
        fresh_store.commitments.get("zz")
    with pytest.raises(StoreError, match="More than one commitment"):
        fresh_store.commitments.get("abcd")


def test_status_changes_keep_a_history(fresh_store: Store) -> None:
    plan(fresh_store)
    first, _ = fresh_store.commitments.all()
    with pytest.raises(StoreError, match="needs a new date"):
        fresh_store.commitments.set_status(first.id, "not_yet")
    with pytest.raises(StoreError, match="Unknown commitment status"):
        fresh_store.commitments.set_status(first.id, "finished")
    moved = fresh_store.commitments.set_status(first.id, "not_yet", due=dt.date(2026, 12, 11))
    assert (moved.status, moved.due) == ("not_yet", dt.date(2026, 12, 11))
    dropped = fresh_store.commitments.set_status(
        first.id, "dropped", reason="Ana left", source="app"
    )
    assert (dropped.status, dropped.reason, dropped.due) == ("dropped", "Ana left", moved.due)
    events = fresh_store.commitments.events(first.id)
    assert [(e["source"], e["from_status"], e["to_status"]) for e in events] == [
        ("conversation", None, "open"),
        ("cli", "open", "not_yet"),
        ("app", "not_yet", "dropped"),
    ]
    assert (events[1]["from_due"], events[1]["to_due"]) == ("2026-12-04", "2026-12-11")
    assert [
        c.text for c in fresh_store.commitments.all(statuses=("open", "partly", "not_yet"))
    ] == ["Read the book"]


def test_a_check_in_follows_up_and_applies_statuses_on_completion(fresh_store: Store) -> None:
    plan(fresh_store, "Sam")
    plan(fresh_store, "Bo", "Other goal", "Not Sam's", "2026-12-02", None, None)
    running = session.start(fresh_store, CHECK_IN, "sam")
    conv = running.conversation
    asked = []
    for answer in ["done", "not_yet", "2026-12-20", "4", "Plan the next talk", "2026-12-15"]:
        q = conv.turn.question
        assert q is not None
        asked.append(q.text)
        # Nothing changes before the conversation completes.
        assert {c.status for c in fresh_store.commitments.all(mentorship="Sam")} == {"open"}
        conv.answer(answer)
    assert asked[0].startswith("Last time you said you'd *Call Ana* by *Friday 4 December")
    assert asked[1].startswith("Last time you said you'd *Read the book* by **")
    assert asked[2] == "By when now?"
    rows = fresh_store.answers(running.id)
    assert [(a["step_id"], a["type"], a["value"]) for a in rows][:3] == [
        ("last_time", "choice", "done"),
        ("last_time", "choice", "not_yet"),
        ("last_time", "date", "2026-12-20"),
    ]
    sam = {c.text: c for c in fresh_store.commitments.all(mentorship="Sam")}
    assert (sam["Call Ana"].status, sam["Read the book"].status) == ("done", "not_yet")
    assert sam["Read the book"].due == dt.date(2026, 12, 20)
    assert sam["Plan the next talk"].status == "open"
    assert [c.status for c in fresh_store.commitments.all(mentorship="Bo")] == ["open"]
    events = fresh_store.commitments.events(sam["Call Ana"].id)
    assert (events[-1]["source"], events[-1]["conversation_id"]) == ("conversation", running.id)


def test_resume_mid_follow_up_continues_with_the_same_commitment(fresh_store: Store) -> None:
    plan(fresh_store, "Sam")
    running = session.start(fresh_store, CHECK_IN, "Sam")
    running.conversation.answer("partly")
    session.leave(fresh_store, running)
    plan(fresh_store, "Sam")  # made after the check-in started: not asked about in it
    again = session.resume(fresh_store, CATALOG, running.id)
    q = again.conversation.turn.question
    assert q is not None and (q.part, q.text) == ("reason", "What is left?")
    again.conversation.answer("The second call")
    q = again.conversation.turn.question
    assert q is not None and (q.part, q.text) == ("due", "By when now?")
    again.conversation.answer("2026-12-24")
    q = again.conversation.turn.question
    assert q is not None and q.text.startswith("Last time you said you'd *Read the book*")
    again.conversation.answer("done")
    assert again.conversation.turn.question is not None
    assert again.conversation.turn.question.step.id == "mood"


def test_completion_with_five_commitments_is_one_transaction(fresh_store: Store) -> None:
    conversation_id = fresh_store.start(
        script_id="plan",
        script_version=1,
        script_sha256="0" * 64,
        title="Plan",
        mentorship="Sam",
        current_step="goal",
    )
    five = [Made(f"Step {n}", f"2026-12-0{n}", None, "first_step", n) for n in range(1, 6)]
    journal = fresh_store.journal(conversation_id)
    begun: list[str] = []
    fresh_store.db.conn.set_trace_callback(
        lambda sql: begun.append(sql) if sql.startswith("BEGIN") else None
    )
    broken = Made(None, None, None, "first_step", 6)  # type: ignore[arg-type]  # NOT NULL
    with pytest.raises(StoreError):  # the last row fails: nothing of it is kept
        journal.completed(record=None, position=0, current_step="_done", made=[*five, broken])
    assert fresh_store.commitments.all() == []
    row = fresh_store.conversation(conversation_id)
    assert row is not None and row["status"] == "in_progress"
    # An outcome about a commitment deleted meanwhile is left out, not an error.
    gone = [Outcome("0123456789ab", "done")]
    journal.completed(record=None, position=0, current_step="_done", made=five, outcomes=gone)
    fresh_store.db.conn.set_trace_callback(None)
    assert len(begun) == 2  # one each time
    assert len(fresh_store.commitments.all()) == 5
    assert len(fresh_store.commitments.events()) == 5


def test_due_summary_groups_by_mentorship(fresh_store: Store) -> None:
    plan(fresh_store, "Sam", "G", "Late one", "2026-11-28", "Soon one", "2026-12-07")
    plan(fresh_store, "Bo", "G", "Far one", "2027-01-10", "Undated", None)
    plan(fresh_store, None, "G", "Mine", "2026-12-02", None, None)
    groups = fresh_store.commitments.due_summary(TODAY)
    assert [g.mentorship for g in groups] == ["Sam", None, "Bo"]
    sam = groups[0]
    assert [c.text for c in sam.overdue] == ["Late one"]
    assert [c.text for c in sam.this_week] == ["Soon one"]
    assert [c.text for c in groups[2].later] == ["Far one", "Undated"]
    assert sam.overdue[0].overdue(TODAY) and not sam.this_week[0].overdue(TODAY)


def test_deleting_a_conversation_deletes_what_it_made(fresh_store: Store) -> None:
    conversation_id = plan(fresh_store)
    assert fresh_store.delete(conversation_id)
    assert fresh_store.commitments.all() == []
    assert fresh_store.commitments.events() == []


def followed_up(store: Store) -> str:
    """Sam's plan, then a check-in: one done, one not yet; returns the check-in's id."""
    plan(store, "Sam")
    running = session.start(store, CHECK_IN, "Sam")
    for answer in ["done", "not_yet", "2026-12-20", "4", "Plan the talk", "2026-12-15"]:
        running.conversation.answer(answer)
    return running.id


def test_json_round_trip_is_exact_and_importing_twice_adds_nothing(
    fresh_store: Store, tmp_path: Path
) -> None:
    followed_up(fresh_store)
    out = io.StringIO()
    write_json(fresh_store, out)
    data = json.loads(out.getvalue())
    conversations, part = data["conversations"], data
    assert len(conversations) == 2 and [c["id"] for c in conversations]
    assert len(part["commitments"]) == 3 and len(part["commitment_events"]) == 5
    with Store.open(tmp_path / "other.db") as other:
        assert import_json(other, io.StringIO(out.getvalue())) == (2, 0)
        assert other.commitments.all(statuses=None) == fresh_store.commitments.all(statuses=None)
        assert other.commitments.events() == fresh_store.commitments.events()
        assert other.answers(conversations[1]["id"]) == fresh_store.answers(conversations[1]["id"])
        assert import_json(other, io.StringIO(out.getvalue())) == (0, 2)
        assert len(other.commitments.all(statuses=None)) == 3
        assert len(other.commitments.events()) == 5
        assert [c.text for c in other.commitments.search("talk")] == ["Plan the talk"]


def test_json_export_filters_commitments_with_their_conversations(fresh_store: Store) -> None:
    plan(fresh_store, "Sam")
    out = io.StringIO()
    write_json(fresh_store, out, mentorship="Bo")
    assert json.loads(out.getvalue())["commitments"] == []
    out = io.StringIO()
    write_json(fresh_store, out, mentorship="Sam")
    assert len(json.loads(out.getvalue())["commitments"]) == 2


def test_a_bad_commitment_in_an_import_imports_nothing(fresh_store: Store, tmp_path: Path) -> None:
    plan(fresh_store, "Sam")
    out = io.StringIO()
    write_json(fresh_store, out)
    data = json.loads(out.getvalue())
    data["commitments"][1]["due"] = "someday"
    with Store.open(tmp_path / "other.db") as other:
        with pytest.raises(StoreError, match="commitment 2: 'due' must be a date"):
            import_json(other, io.StringIO(json.dumps(data)))
        assert other.count() == 0 and other.commitments.all(statuses=None) == []


def test_markdown_shows_commitments_under_the_conversation_that_made_them(
    fresh_store: Store,
) -> None:
    followed_up(fresh_store)
    out = io.StringIO()
    write_markdown(fresh_store, out)
    text = out.getvalue()
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings.count("Commitments") == 2
    plan_part, check_in_part = text.split("\n## Check-in\n")
    assert "- Call Ana — by Friday 4 December 2026, done" in plan_part
    assert "- Read the book — by Sunday 20 December 2026, not yet" in plan_part
    assert "- Plan the talk — by Tuesday 15 December 2026, open" in check_in_part
    assert "Call Ana —" not in check_in_part


def test_renaming_a_mentorship_takes_its_commitments_along(fresh_store: Store) -> None:
    plan(fresh_store, "Sam")
    fresh_store.mentorships.rename("sam", "Samira")
    assert {c.mentorship for c in fresh_store.commitments.all()} == {"Samira"}
    assert len(fresh_store.commitments.all(mentorship="samira")) == 2


# Answers for each part of the check-in, chosen to take every way through a follow-up.
PARTS = {
    ("last_time", "status"): ["done", "partly", "not_yet", "dropped"],
    ("last_time", "due"): ["2026-12-20", "tomorrow"],
    ("last_time", "reason"): ["Half of it"],
    ("mood", None): ["2", "4"],
    ("next_step", None): ["Plan the talk"],
    ("next_date", None): ["2026-12-15"],
}
actions = st.lists(
    st.tuples(
        st.sampled_from(["answer", "answer", "answer", "skip", "back", "resume"]), st.integers(0, 3)
    ),
    max_size=30,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=actions)
def test_a_follow_up_stored_and_resumed_always_matches_the_engine(tmp_path_factory, steps) -> None:
    with Store.open(tmp_path_factory.mktemp("db") / "r.db") as store:
        plan(store, "Sam")
        running = session.start(store, CHECK_IN, "Sam")
        conv = running.conversation
        for action, pick in steps:
            if conv.finished:
                break
            question = conv.turn.question
            assert question is not None
            try:
                if action == "answer":
                    options = PARTS[(question.step.id, question.part)]
                    conv.answer(options[pick % len(options)])
                elif action == "skip":
                    conv.skip()
                elif action == "back":
                    conv.back()
                else:
                    session.leave(store, running)
                    running = session.resume(store, CATALOG, running.id)
                    again = running.conversation
                    assert again.turn.question == conv.turn.question
                    conv = again
            except AnswerError:
                pass
            stored = store.answers(running.id, include_future=True)
            assert [(a["step_id"], a["commitment_id"], a["value"]) for a in stored] == [
                (e.step_id, e.commitment, e.value) for e in conv.entries
            ]
        statuses = {c.text: c.status for c in store.commitments.all(mentorship="Sam")}
        if not conv.finished:
            assert set(statuses.values()) == {"open"}  # nothing applied before completion
            return
        said = {o.commitment_id: o.status for o in followup.outcomes(
            conv.history, {"last_time"}, {c.id for c in conv.follow_ups})}  # fmt: skip
        for item in store.commitments.by_id(said):
            assert item.status == said[item.id]


def _huge_seq(data: dict) -> None:
    data["commitments"][0]["seq"] = 2**70


def _orphan_event(data: dict) -> None:
    data["commitment_events"][0]["commitment_id"] = "abcdefabcdef"


def _missing_conversation(data: dict) -> None:
    data["commitments"][1]["conversation_id"] = "ffffffffffff"


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_huge_seq, "commitment 1: 'seq' must be a whole number, 0 or more"),
        (_orphan_event, "commitment event 1: its commitment abcdefabcdef is not in the file"),
        (
            _missing_conversation,
            "commitment 2: the conversation that made it, ffffffffffff, is neither in the "
            "file nor in this database",
        ),
    ],
    ids=["seq 2**70", "orphan event", "missing conversation"],
)
def test_commitments_that_cannot_be_stored_or_point_nowhere_import_nothing(
    fresh_store: Store, tmp_path: Path, spoil, message: str
) -> None:
    plan(fresh_store, "Sam")
    out = io.StringIO()
    write_json(fresh_store, out)
    data = json.loads(out.getvalue())
    spoil(data)
    with Store.open(tmp_path / "other.db") as other:
        with pytest.raises(StoreError, match=re.escape(message)) as raised:
            import_json(other, io.StringIO(json.dumps(data)))
        assert "Nothing was imported" in str(raised.value)
        assert other.count() == 0 and other.commitments.all(statuses=None) == []
        assert other.commitments.events() == []


def test_a_commitment_of_a_conversation_already_here_imports(
    fresh_store: Store, tmp_path: Path
) -> None:
    """An export of the commitments part alone (its conversation imported before) is fine."""
    plan(fresh_store, "Sam")
    out = io.StringIO()
    write_json(fresh_store, out)
    data = json.loads(out.getvalue())
    with Store.open(tmp_path / "other.db") as other:
        alone = {**data, "commitments": [], "commitment_events": []}
        import_json(other, io.StringIO(json.dumps(alone)))
        assert other.commitments.all(statuses=None) == []
        part = {**data, "conversations": [], "mentorships": []}
        assert import_json(other, io.StringIO(json.dumps(part))) == (0, 0)
        assert len(other.commitments.all(statuses=None)) == 2
