"""Mentorship names match ignoring case and spacing, keep their first spelling, and can be
renamed or merged without losing a row."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from reflectcoach.store import Store, StoreError
from reflectcoach.store.export import write_json
from reflectcoach.store.importer import import_json
from reflectcoach.store.mentorships import display_name, mentorship_key, stored_name

from .helpers import WEEKLY, run
from .test_store_migrations import make_v1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sam", "sam"),
        ("Sam", "  SAM "),
        ("Sam Lee", "sam   lee"),
        ("Sam\tLee", "Sam Lee"),
        ("Straße", "STRASSE"),  # casefold, not lower()
        ("Ｓａｍ", "sam"),  # full-width letters: NFKC
        ("Zoë", "zoe\u0308"),  # composed and decomposed
    ],
)
def test_names_that_mean_the_same_mentorship(a: str, b: str) -> None:
    assert mentorship_key(a) == mentorship_key(b)


def test_blank_is_no_mentorship_and_display_tidies_spaces() -> None:
    assert mentorship_key("   ") is None and mentorship_key(None) is None
    assert display_name("  Sam   Lee ") == "Sam Lee"
    assert mentorship_key("Sam") != mentorship_key("Sammy")


def test_a_different_spelling_joins_the_mentorship_and_keeps_its_first_name(
    fresh_store: Store,
) -> None:
    first = run(fresh_store, WEEKLY, mentorship="Sam")
    second = run(fresh_store, WEEKLY, mentorship=" sam ")
    assert [c["mentorship"] for c in fresh_store.conversations()] == ["Sam", "Sam"]
    assert fresh_store.mentorships.names() == ["Sam"]
    assert {c["id"] for c in fresh_store.conversations(mentorship="SAM")} == {first, second}
    assert fresh_store.count(mentorship="sam") == 2
    assert stored_name(fresh_store.db, "sAm")[0] == "Sam"  # as a new conversation stores it
    assert stored_name(fresh_store.db, " Lee ")[0] == "Lee"


def test_recall_and_insights_match_by_key(fresh_store: Store) -> None:
    run(fresh_store, WEEKLY, mentorship="Lee")
    run(fresh_store, WEEKLY, mentorship="lee")
    assert fresh_store.recall("weekly", "win", "LEE") == (
        "Shipped the release with the team",
        "Shipped the release with the team",
    )
    [mood] = [
        s for s in fresh_store.insights.numeric_series(mentorship="lee") if s["step_id"] == "mood"
    ]
    assert mood["mentorship"] == "Lee" and len(mood["points"]) == 2
    questions = fresh_store.insights.numeric_questions(mentorship=" LEE ")
    assert {q["step_id"] for q in questions} == {"mood", "hours"}
    assert {q["mentorship"] for q in questions} == {"Lee"}


def test_rename_moves_every_conversation(fresh_store: Store) -> None:
    ids = {run(fresh_store, WEEKLY, mentorship=name) for name in ("Sam", "sam", "SAM")}
    run(fresh_store, WEEKLY, mentorship="Lee")
    answers_before = fresh_store.db.execute("SELECT count(*) FROM answers").fetchone()[0]
    done = fresh_store.mentorships.rename("sam", "Samira")
    assert (done.old, done.new, done.moved, done.merged, done.total) == (
        "Sam",
        "Samira",
        3,
        False,
        3,
    )
    assert {c["id"] for c in fresh_store.conversations(mentorship="samira")} == ids
    assert fresh_store.conversations(mentorship="sam") == []
    assert fresh_store.mentorships.names() == ["Lee", "Samira"]
    assert fresh_store.db.execute("SELECT count(*) FROM answers").fetchone()[0] == answers_before


def test_rename_to_another_spelling_of_itself(fresh_store: Store) -> None:
    run(fresh_store, WEEKLY, mentorship="sam")
    done = fresh_store.mentorships.rename("Sam", "Sam")
    assert (done.new, done.merged, done.moved) == ("Sam", False, 1)
    assert fresh_store.mentorships.names() == ["Sam"]


def test_rename_onto_an_existing_name_merges(fresh_store: Store) -> None:
    sammy = run(fresh_store, WEEKLY, mentorship="Sammy")
    sam = {run(fresh_store, WEEKLY, mentorship="Sam") for _ in range(2)}
    done = fresh_store.mentorships.rename("Sammy", "SAM")
    assert (done.old, done.new, done.moved, done.merged, done.total) == (
        "Sammy",
        "Sam",  # the mentorship merged into keeps its own name
        1,
        True,
        3,
    )
    assert {c["id"] for c in fresh_store.conversations(mentorship="sam")} == sam | {sammy}
    assert fresh_store.mentorships.names() == ["Sam"]


def test_renaming_what_does_not_exist_is_a_clear_error(fresh_store: Store) -> None:
    run(fresh_store, WEEKLY, mentorship="Sam")
    with pytest.raises(StoreError, match=r"no mentorship named 'Samm'\. Did you mean 'Sam'"):
        fresh_store.mentorships.rename("Samm", "Lee")
    with pytest.raises(StoreError, match="Give both names"):
        fresh_store.mentorships.rename("Sam", "   ")
    assert fresh_store.mentorships.names() == ["Sam"]


def test_a_failed_merge_changes_nothing(fresh_store: Store) -> None:
    run(fresh_store, WEEKLY, mentorship="Sam")
    run(fresh_store, WEEKLY, mentorship="Sammy")
    fresh_store.db.execute(
        "CREATE TRIGGER boom BEFORE UPDATE ON conversations "
        "WHEN NEW.mentorship_key = 'sam' AND OLD.mentorship_key = 'sammy' "
        "BEGIN SELECT raise(ABORT, 'disk on fire'); END"
    )
    with pytest.raises(StoreError):
        fresh_store.mentorships.rename("Sammy", "Sam")
    assert fresh_store.mentorships.names() == ["Sam", "Sammy"]


def test_summaries_count_conversations_per_mentorship(fresh_store: Store) -> None:
    run(fresh_store, WEEKLY, mentorship="Sam")
    run(fresh_store, WEEKLY, mentorship="sam")
    run(fresh_store, WEEKLY, mentorship="Lee")
    run(fresh_store, WEEKLY, mentorship=None)
    assert [(m.name, m.conversations) for m in fresh_store.mentorships.summaries()] == [
        ("Lee", 1),
        ("Sam", 2),
    ]


@pytest.mark.plaintext
def test_upgrading_joins_spellings_an_older_version_kept_apart(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    make_v1(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO conversations VALUES ('fedcba987654', 'weekly', 1, 'f00d', 'Weekly', "
        "' ada ', 'completed', 'end', 0, '2025-07-01T09:00:00.000000Z', "
        "'2025-07-01T09:00:00.000000Z', '2025-07-01T09:00:00.000000Z')"
    )
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.mentorships.names() == ["Ada"]
        assert store.count(mentorship="ADA") == 2
        index_names = {i.name for i in store.db.table("conversations").indexes}
        assert "conversations_mentorship_key" in index_names


def test_import_matches_existing_names(fresh_store: Store, tmp_path: Path) -> None:
    run(fresh_store, WEEKLY, mentorship="sam")
    out = io.StringIO()
    write_json(fresh_store, out)
    exported = json.loads(out.getvalue())
    with Store.open(tmp_path / "other.db") as other:
        run(other, WEEKLY, mentorship="Sam")
        assert import_json(other, io.StringIO(json.dumps(exported))) == (1, 0)
        assert other.mentorships.names() == ["Sam"]
        assert other.count(mentorship="SAM") == 2
