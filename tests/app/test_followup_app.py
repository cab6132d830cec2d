"""A plan, then a check-in that follows it up, walked through the app's own widgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.finished import FinishedScreen
from reflectcoach.app.widgets.answer_inputs import ChoiceAnswer
from reflectcoach.store import Store

SCRIPTS = Path(__file__).parent.parent / "fixtures" / "commitments"
TODAY = "2026-12-01"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", TODAY)


def app_for(db_path: Path, start: str) -> ReflectCoachApp:
    app = ReflectCoachApp(db_path=db_path, script_dirs=[SCRIPTS], start=start, mentorship="Sam")
    app.today = lambda: dt.date.fromisoformat(TODAY)
    return app


async def test_a_check_in_follows_up_a_plan_in_the_app(drive, db_path: Path) -> None:
    plan = {
        "goal": "Grow as a lead",
        "first_step": "Call Ana",
        "first_date": "2026-12-04",
        "second_step": "Read the book",
        "second_date": "2026-12-08",
    }
    app = app_for(db_path, "plan")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.finish(plan)
        assert isinstance(app.screen, FinishedScreen)
    app = app_for(db_path, "plan_check_in")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        seen = []
        for value in ["done", "not_yet", "2026-12-20"]:
            question = d.question
            assert question is not None and question.step.id == "last_time"
            seen.append((question.text, type(d.widget)))
            await d.answer(value)
        assert seen[0][0].startswith("Last time you said you'd *Call Ana* by *Friday 4")
        assert seen[0][1] is ChoiceAnswer and seen[1][1] is ChoiceAnswer
        assert seen[2][0] == "By when now?"
        assert isinstance(app.screen, ConversationScreen) and d.question.step.id == "mood"
        await d.finish({"next_step": "Plan the talk", "next_date": "2026-12-15"})
        assert isinstance(app.screen, FinishedScreen)
    with Store.open(db_path) as store:
        found = {c.text: (c.status, c.due) for c in store.commitments.all(statuses=None)}
    assert found["Call Ana"] == ("done", dt.date(2026, 12, 4))
    assert found["Read the book"] == ("not_yet", dt.date(2026, 12, 20))
    assert found["Plan the talk"] == ("open", dt.date(2026, 12, 15))
