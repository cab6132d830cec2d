"""The mentorship holds the thread (issue 21, item 1): answers set its fields by `sets:`,
scripts read them as `{mentorship.FIELD}`, always in this mentorship, a re-aimed goal keeps
its history, and a just-for-me answer stays private where it lands."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflectcoach.script.loader import load_file
from reflectcoach.services import session
from reflectcoach.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "thread"


def script(name: str):
    loaded = load_file(FIXTURES / f"{name}.yaml")
    assert loaded.script is not None, loaded.diagnostics
    return loaded.script


def run(store: Store, name: str, mentorship: str | None, answers: list[object]):
    running = session.start(store, script(name), mentorship)
    conv = running.conversation
    for answer in answers:
        conv.answer(answer) if answer is not None else conv.skip()
    assert conv.finished
    return running


def test_answers_set_the_mentorship_and_later_scripts_read_it(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, "agree", "Sam", ["Sam Lee", "2026-04-01", "Lead a meeting by April", "fear"])
        fields = store.state.fields("sam")
        assert fields["partner"].text == "Sam Lee"
        assert fields["midpoint"].value == "2026-04-01"
        # `worry` shows only in the record's just-for-me part: what it set stays private.
        assert fields["my_feedback"].private is True
        assert fields["partner"].private is False
        later = session.start(store, script("reaim"), "Sam").conversation
        (say,) = later.turn.says
        assert say.text == "Your goal: Lead a meeting by April. With Sam Lee."
        assert later.turn.question is not None
        assert later.turn.question.offered == "Lead a meeting by April"
        assert later.turn.question.prefilled


def test_a_reaimed_goal_replaces_the_old_one_and_keeps_its_history(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, "agree", "Sam", ["Sam", "2026-04-01", "Lead a meeting by April", None])
        running = run(store, "reaim", "Sam", ["Lead two meetings by May", "April was too soon"])
        (goal,) = store.state.goals("Sam")
        assert goal.text == "Lead two meetings by May"
        assert goal.first == "Lead a meeting by April"
        assert [r.kind for r in goal.revisions] == ["set", "re-aimed"]
        assert goal.revisions[1].reason == "April was too soon"
        assert goal.revisions[1].conversation_id == running.id
        record = store.conversation(running.id)["record"]
        assert "Lead two meetings by May" in record
        # The same words again change nothing.
        run(store, "reaim", "Sam", ["lead two meetings  by May", None])
        assert len(store.state.goals("Sam")[0].revisions) == 2


def test_reading_is_scoped_to_this_mentorship(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, "agree", "Sam", ["Sam", "2026-04-01", "Sam's goal", None])
        other = session.start(store, script("reaim"), "Jo").conversation
        (say,) = other.turn.says
        assert "Sam" not in say.text
        assert other.turn.question is not None and other.turn.question.offered is None
        alone = session.start(store, script("reaim"), None).conversation
        assert alone.turn.question is not None and alone.turn.question.offered is None


def test_the_validator_checks_reads_and_writes_with_positions() -> None:
    loaded = load_file(FIXTURES / "bad_sets.yaml")
    found = [(d.line, d.col, d.message) for d in loaded.diagnostics]
    assert found[0][:2] == (7, 19) and "mentorship.nonsense" in found[0][2]
    assert found[1][:2] == (9, 11) and "date question" in found[1][2]
    assert found[2][:2] == (12, 11) and "cannot be set" in found[2][2]
    # A goal added is read back among `goals`, and is words.
    assert found[3][:2] == (14, 19) and "read mentorship.goals" in found[3][2]
    assert found[4][:2] == (16, 11) and "text question, not date" in found[4][2]


def test_rename_moves_the_state(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, "agree", "Sam", ["Sam", "2026-04-01", "A goal", None])
        store.mentorships.rename("Sam", "Samuel")
        assert store.state.current_goal("Samuel").text == "A goal"
        assert store.state.fields("Samuel")["partner"].text == "Sam"


@pytest.mark.plaintext  # turns the file back into schema 8 with stdlib SQLite
def test_migration_backfills_the_state_from_stored_conversations(tmp_path: Path) -> None:
    import sqlite3

    from .helpers import run as journal_run

    path = tmp_path / "v8.db"
    with Store.open(path) as store:
        store.clock = lambda: "2026-01-10T09:00:00.000000Z"
        journal_run(
            store,
            [
                ("partner", "Who?", "text", "Sam", "Sam"),
                ("midpoint", "Midpoint?", "date", "2026-04-01", "Wednesday 1 April 2026"),
                ("frequency", "How often?", "choice", "monthly", "once a month"),
            ],
            script_id="first_meeting",
            mentorship="Sam",
        )
        store.clock = lambda: "2026-01-20T09:00:00.000000Z"
        journal_run(
            store,
            [("goal", "Goal?", "long_text", "Lead by April", None)],
            script_id="goal_setting",
            mentorship="Sam",
        )
        store.clock = lambda: "2026-04-01T09:00:00.000000Z"
        journal_run(
            store,
            [("new_goal", "Now?", "long_text", "Lead twice by May", None)],
            script_id="midpoint_review",
            mentorship="Sam",
        )
    conn = sqlite3.connect(path)
    for table in ("mentorship_fields", "goal_revisions", "talking_points"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_mentorship_state'")
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        fields = store.state.fields("Sam")
        assert fields["partner"].text == "Sam"
        assert fields["midpoint"].value == "2026-04-01"
        assert fields["rhythm"].text == "once a month"
        (goal,) = store.state.goals("Sam")
        assert goal.text == "Lead twice by May"
        assert [(r.kind, r.day) for r in goal.revisions] == [
            ("set", "2026-01-20"),
            ("re-aimed", "2026-04-01"),
        ]


# -- more than one goal: `sets: mentorship.new_goal` ------------------------------------------


def test_a_second_goal_waits_beside_the_one_being_worked_on(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, "agree", "Sam", ["Sam", "2026-04-01", "Lead a meeting by April", None])
        added = run(store, "add_goal", "Sam", [None, "Explore product management", "Curious"])
        first, second = store.state.goals("Sam")
        assert (first.text, first.status) == ("Lead a meeting by April", "open")
        assert (second.text, second.status) == ("Explore product management", "open")
        assert [(r.kind, r.reason, r.conversation_id) for r in second.revisions] == [
            ("set", "Curious", added.id)
        ]
        # `{mentorship.goal}` is still the goal being worked on; `goals` lists every open one.
        assert store.state.current_goal("Sam").text == "Lead a meeting by April"
        assert (
            store.state.lookup("Sam", "goals")
            == ("- Lead a meeting by April\n- Explore product management",) * 3
        )
        # Re-aiming re-aims the goal being worked on, and only it.
        run(store, "reaim", "Sam", ["Lead two meetings by May", None])
        first, second = store.state.goals("Sam")
        assert [r.kind for r in first.revisions] == ["set", "re-aimed"]
        assert [r.kind for r in second.revisions] == ["set"]
        # An open goal's words again (either goal) add nothing.
        run(store, "add_goal", "Sam", [None, "explore product  management", None])
        run(store, "add_goal", "Sam", [None, "Lead two meetings by May", None])
        assert len(store.state.goals("Sam")) == 2
        # Reached: only the goal being worked on; the one beside it becomes the goal.
        later = run(store, "add_goal", "Sam", ["yes", None, None]).conversation
        assert later.turn is not None
        first, second = store.state.goals("Sam")
        assert (first.status, second.status) == ("reached", "open")
        assert store.state.current_goal("Sam").text == "Explore product management"
        reader = session.start(store, script("reaim"), "Sam").conversation
        (say,) = reader.turn.says
        assert say.text == "Your goal: Explore product management. With Sam."


def test_a_goal_added_when_none_is_open_becomes_the_goal(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, "add_goal", "Sam", [None, "Speak at the all-hands", None])
        assert store.state.current_goal("Sam").text == "Speak at the all-hands"
        running = session.start(store, script("add_goal"), "Sam").conversation
        (say,) = running.turn.says
        assert say.text == "Working on: Speak at the all-hands. Open: - Speak at the all-hands"


def test_the_brief_lists_every_open_goal_and_share_leaves_a_private_one_out(
    tmp_path: Path,
) -> None:
    from reflectcoach.services import brief
    from reflectcoach.store import mentorship_state

    with Store.open(tmp_path / "r.db") as store:
        run(store, "agree", "Sam", ["Sam", "2026-04-01", "Lead a meeting by April", None])
        run(store, "add_goal", "Sam", [None, "Explore product management", None])
        # A goal from a just-for-me answer is private.
        with store.transaction() as db:
            key, now = store.state.key("Sam"), store.clock()
            mentorship_state.add_goal(db, key, "Quietly look around", now, None, private=True)
        found = brief.load(store, {}, "Sam")
        text = "\n".join(brief.lines(found))
        assert (
            "Goals:\n  Lead a meeting by April\n  also: Explore product management\n"
            "  also: Quietly look around\n"
        ) in text + "\n"
        shared = "\n".join(brief.lines(found, share=True))
        assert "also: Explore product management" in shared
        assert "Quietly look around" not in shared
        markdown = "\n".join(brief.lines(found, markdown=True))
        assert "## Goals\n- Lead a meeting by April\n- also: Explore product management" in markdown


def test_a_private_value_of_the_state_stays_private_in_a_record_to_send(tmp_path: Path) -> None:
    """What a just-for-me answer set, and a talking point noted as private, show in a later
    record's just-for-me parts only: a part that may be sent reads "(kept private)" or
    leaves the private point out (issue 21, item 1)."""
    with Store.open(tmp_path / "r.db") as store:
        run(store, "agree", "Sam", ["Sam Lee", "2026-04-01", "Lead a meeting", "WORRYWORD"])
        store.state.add_point("Sam", "Ask about the budget")
        store.state.add_point("Sam", "POINTWORD my own doubts", private=True)
        running = session.start(store, script("shows_state"), "Sam")
        conv = running.conversation
        conv.answer(conv.turn.question.offered)  # the worry, offered and kept
        assert conv.finished
        whole = conv.record_plain() or ""
        shared = conv.record_share() or ""
    assert "Mine: WORRYWORD" in whole and "POINTWORD" in whole
    assert "Worry: (kept private)" in shared and "Offered: (kept private)" in shared
    assert "Ask about the budget" in shared and "Partner: Sam Lee" in shared
    assert "WORRYWORD" not in shared and "POINTWORD" not in shared


def test_the_same_talking_point_noted_twice_is_one_point(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        first = store.state.add_point("Sam", "Ask about the  budget")
        again = store.state.add_point("Sam", "ask about the budget ")
        other = store.state.add_point("Sam", "Ask about the team")
        assert again == first and other != first
        assert [p.text for p in store.state.points("Sam")] == [
            "Ask about the  budget",
            "Ask about the team",
        ]
        # Once discussed, the same words make a new point.
        assert store.state.set_point(first, "discussed")
        assert store.state.add_point("Sam", "Ask about the budget") != first
