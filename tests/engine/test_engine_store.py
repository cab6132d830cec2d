"""The engine and the store never disagree, whatever a person does and however often they
stop and come back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflectcoach.engine.conversation import DONE, AnswerError
from reflectcoach.script.loader import load_file
from reflectcoach.script.registry import Catalog
from reflectcoach.services import session
from reflectcoach.store import Store

HERE = Path(__file__).parent
SCRIPT = load_file(HERE / "every_type.yaml").script
assert SCRIPT is not None
CATALOG = Catalog(scripts={SCRIPT.id: SCRIPT}, diagnostics=[])

# A few answers per question, chosen to take every branch (including the loop back).
CHOICES = {
    "name": ["Ana", "[bold]Bo[/]"],
    "role": ["mentor", "2"],
    "hopes": ["Lead", "Ship it\nsoon"],
    "blockers": ["time", "fear, unclear"],
    "confidence": ["1", "4"],
    "make_room": ["Fewer meetings"],
    "sure": ["y", "n"],
    "hours": ["3", "7.5"],
}

actions = st.lists(
    st.tuples(
        st.sampled_from(["answer", "answer", "answer", "skip", "back", "restart"]),
        st.integers(0, 1),
    ),
    max_size=40,
)


def assert_agrees(store: Store, running: session.Session) -> None:
    conversation_id, conv = running.id, running.conversation
    row = store.conversation(conversation_id)
    assert row is not None
    assert row["position"] == conv.position
    assert row["status"] == ("completed" if conv.finished else "in_progress")
    stored = store.answers(conversation_id, include_future=True)
    assert [(a["seq"], a["step_id"], a["value"], bool(a["skipped"])) for a in stored] == [
        (i, e.step_id, e.value, e.skipped) for i, e in enumerate(conv.entries)
    ]
    assert [a["question"] for a in stored] == [e.question for e in conv.entries]
    assert len(store.answers(conversation_id)) == conv.position
    # Resuming from what is stored puts a person exactly where the engine is (one session
    # at a time: this one steps aside for the check, then takes the conversation back).
    if not conv.finished:
        session.leave(store, running)
        check = session.resume(store, CATALOG, conversation_id)
        session.leave(store, check)
        store.leases.take(conversation_id, running.lease)
        again = check.conversation
        assert again.state == conv.state
        assert again.values == conv.values
        assert again.turn.question == conv.turn.question


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=actions)
def test_stored_conversation_always_matches_the_engine(tmp_path_factory, steps) -> None:
    db = tmp_path_factory.mktemp("db") / "r.db"
    with Store.open(db) as store:
        running = session.start(store, SCRIPT, "Sam")
        conv = running.conversation
        for action, pick in steps:
            if conv.finished:
                break
            question = conv.turn.question
            assert question is not None
            try:
                if action == "answer":
                    options = CHOICES[question.step.id]
                    conv.answer(options[pick % len(options)])
                elif action == "skip":
                    conv.skip()
                elif action == "back":
                    conv.back()
                else:  # stop, and come back in a new session
                    session.leave(store, running)
                    running = session.resume(store, CATALOG, running.id)
                    conv = running.conversation
            except AnswerError:
                pass  # refused (skip of a required question, back at the start): nothing moves
            assert_agrees(store, running)
        if conv.finished:
            row = store.conversation(running.id)
            assert row is not None and row["current_step"] == DONE
            assert row["record"] == conv.record_markdown()


def test_resume_after_finishing_is_refused(tmp_path: Path) -> None:
    from reflectcoach.engine.conversation import ResumeError

    with Store.open(tmp_path / "r.db") as store:
        running = session.start(store, SCRIPT)
        conv = running.conversation
        for value in ["Ana", "1", "Lead", "time", "4", "y", "2"]:
            conv.answer(value)
        assert conv.finished
        with pytest.raises(ResumeError, match="already complete"):
            session.resume(store, CATALOG, running.id)
