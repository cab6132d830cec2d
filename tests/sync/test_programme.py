"""A programme lead's view: signed status cards of counts and dates, a card holding any free
text impossible by construction, and a summary per cohort."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing
from pathlib import Path

import pytest
from click.testing import CliRunner
from store.helpers import Clock, run

from reflectcoach.cli import main
from reflectcoach.store import Store
from reflectcoach.sync import programme
from reflectcoach.sync.programme import Phase, ProgrammeProblem, Role, StatusCard

TODAY = dt.date(2026, 12, 1)
SECRET = "Marker words nobody may read"


def card(**changes: object) -> StatusCard:
    values: dict[str, object] = {
        "role": Role.MENTEE,
        "phase": Phase.GOAL_SET,
        "started": dt.date(2026, 6, 1),
        "as_of": TODAY,
        "first_meeting_held": True,
        "goal_set": True,
        "check_ins_this_month": 2,
        "check_ins_total": 7,
        "last_check_in": dt.date(2026, 11, 28),
        "midpoint_done": False,
        "closed": False,
        "rematch_requested": False,
        "health": (3, 4),
    }
    values.update(changes)
    return StatusCard(**values)  # type: ignore[arg-type]


def test_no_field_of_a_card_can_hold_text() -> None:
    allowed = {bool, int, dt.date, Role, Phase, dt.date | None, tuple[int, ...]}
    hints = typing.get_type_hints(StatusCard)
    for field in dataclasses.fields(StatusCard):
        assert hints[field.name] in allowed, field.name
        with pytest.raises(TypeError):
            card(**{field.name: SECRET})
    with pytest.raises(TypeError):
        card(health=(3, SECRET))
    with pytest.raises(TypeError):
        card(health=(3, 9))  # off the 1-5 scale


def test_the_reader_takes_exactly_the_fields_with_exactly_their_types() -> None:
    good = card().to_json()
    assert StatusCard.from_json(good) == card()
    for bad in (
        {**good, "note": SECRET},
        {**good, "check_ins_total": SECRET},
        {**good, "started": SECRET},
        {**good, "role": SECRET},
        {**good, "health": [SECRET]},
        {k: v for k, v in good.items() if k != "closed"},
        {**good, "goal_set": 1},
    ):
        with pytest.raises(ProgrammeProblem):
            StatusCard.from_json(bad)


def _history(store: Store) -> None:
    first = run(store, [("role", "Q", "choice", "mentee", None)], script_id="first_meeting")
    assert first
    run(store, [("goal", "Q", "text", SECRET, None)], script_id="goal_setting")
    for rating in (2, 4):
        run(
            store,
            [("feeling", "Q", "scale", rating, None), ("ask", "Q", "text", SECRET, None)],
            script_id="check_in",
        )


def test_join_then_summary_per_cohort(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", TODAY.isoformat())
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        store.clock = Clock("2026-11-20T09:00:00")
        _history(store)
    lead = tmp_path / "programme"
    (lead / "autumn").mkdir(parents=True)
    (lead / "spring").mkdir()
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["--db", str(db), "programme", "join", "-m", "Ada", "--share-health", str(lead / "autumn")],
    )
    assert result.exit_code == 0, result.output
    assert "check_ins_total: 2" in result.output
    again = runner.invoke(
        main, ["--db", str(db), "programme", "join", "-m", "Ada", str(lead / "autumn")]
    )
    assert again.exit_code == 0, again.output
    [first, second] = sorted((lead / "autumn").glob("*.rccard"))
    for path in (first, second):
        assert SECRET.encode() not in path.read_bytes()
    # The newest card of a mentorship counts; the first shared health, the second did not.
    shared = json.loads(first.read_bytes())["card"]["health"]
    assert shared == [2, 4]
    result = runner.invoke(main, ["programme", "summary", str(lead)])
    assert result.exit_code == 0, result.output
    assert "autumn: 1 card(s), 1 active, 0 closed" in result.output
    assert "goal set 1" in result.output
    assert "health: nobody shares it" in result.output
    assert "spring" not in result.output


def test_a_changed_card_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    folder = tmp_path / "lead"
    folder.mkdir()
    with Store.open(db) as store:
        _history(store)
        path = programme.write(store, "Ada", folder, card())
    data = json.loads(path.read_bytes())
    data["card"]["check_ins_total"] = 99
    path.chmod(0o600)
    path.write_text(json.dumps(data))
    [cohort] = programme.summary(folder)
    assert cohort.cards == []
    assert "signature" in cohort.refused[0][1]
