"""The JSON export is one versioned object (issue 21, item 9), and import still reads every
earlier export: the list whose last element is `{commitments, commitment_events}`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reflectcoach.store import Store
from reflectcoach.store.errors import StoreError
from reflectcoach.store.export import VERSION, write_json
from reflectcoach.store.importer import import_json

from .test_mentorship_state import run

# A list-format export as main wrote it before the versioned object (one conversation of
# tests/fixtures/commitments/plan.yaml, its two commitments, and the commitments element last).
OLD_EXPORT = Path(__file__).parent.parent / "fixtures" / "thread" / "old_export.json"


def export(store: Store, **filters) -> dict:
    out = io.StringIO()
    write_json(store, out, **filters)
    return json.loads(out.getvalue())


def test_the_export_is_one_versioned_object(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, "agree", "Sam", ["Sam", "2026-04-01", "Lead a meeting", "fear"])
        data = export(store)
    assert data["format"] == "reflectcoach" and data["version"] == VERSION == 2
    assert list(data) == [
        "format",
        "version",
        "conversations",
        "commitments",
        "commitment_events",
        "mentorships",
    ]
    # `jq '.conversations[].answers[]'` works: every conversation is a conversation.
    assert all("answers" in c for c in data["conversations"])
    (sam,) = data["mentorships"]
    assert sam["name"] == "Sam" and sam["status"] == "active"
    assert {f["field"] for f in sam["fields"]} == {"partner", "midpoint", "my_feedback"}
    assert [r["kind"] for r in sam["goal_revisions"]] == ["set"]


def test_an_empty_export_is_still_the_object(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        data = export(store)
    assert data == {
        "format": "reflectcoach",
        "version": 2,
        "conversations": [],
        "commitments": [],
        "commitment_events": [],
        "mentorships": [],
    }


def test_round_trip_carries_the_mentorship_state(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        run(store, "agree", "Sam", ["Sam", "2026-04-01", "Lead a meeting", "fear"])
        run(store, "reaim", "Sam", ["Lead two meetings", "too easy"])
        store.state.add_point("Sam", "Ask about the budget")
        first = export(store)
    with Store.open(tmp_path / "b.db") as other:
        assert import_json(other, io.StringIO(json.dumps(first))) == (2, 0)
        (goal,) = other.state.goals("Sam")
        assert [r.kind for r in goal.revisions] == ["set", "re-aimed"]
        assert goal.text == "Lead two meetings"
        assert other.state.fields("Sam")["my_feedback"].private
        assert [p.text for p in other.state.points("Sam")] == ["Ask about the budget"]
        # Importing again adds nothing, and the export reads the same.
        assert import_json(other, io.StringIO(json.dumps(first))) == (0, 2)
        assert len(other.state.points("Sam")) == 1
        again = export(other)
    assert again["mentorships"] == first["mentorships"]


def test_round_trip_carries_every_goal_and_which_one_is_worked_on(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        run(store, "agree", "Sam", ["Sam", "2026-04-01", "Lead a meeting", None])
        run(store, "add_goal", "Sam", [None, "Explore product management", "Curious"])
        run(store, "reaim", "Sam", ["Lead two meetings", None])
        first = export(store)
    with Store.open(tmp_path / "b.db") as other:
        import_json(other, io.StringIO(json.dumps(first)))
        worked_on, beside = other.state.goals("Sam")
        assert [r.kind for r in worked_on.revisions] == ["set", "re-aimed"]
        assert (beside.text, beside.revisions[0].reason) == (
            "Explore product management",
            "Curious",
        )
        assert other.state.current_goal("Sam").text == "Lead two meetings"
        assert [g.text for g in other.state.open_goals("Sam")] == [
            "Lead two meetings",
            "Explore product management",
        ]
        assert export(other)["mentorships"] == first["mentorships"]


def test_last_rounds_list_export_still_imports(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store, OLD_EXPORT.open(encoding="utf-8") as fp:
        assert import_json(store, fp) == (1, 0)
        made = store.commitments.all(mentorship="Sam")
        assert [c.text for c in made] == ["Send the draft to Sam"] * 2
        assert store.mentorships.get("Sam") is not None


def test_a_newer_version_is_refused_with_nothing_imported(tmp_path: Path) -> None:
    newer = {"format": "reflectcoach", "version": VERSION + 1, "conversations": []}
    with Store.open(tmp_path / "r.db") as store, pytest.raises(StoreError, match="newer"):
        import_json(store, io.StringIO(json.dumps(newer)))
