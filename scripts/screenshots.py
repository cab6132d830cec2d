"""Regenerate the README's screenshots (docs/images/*.svg) from the real app, headless.

    .venv/bin/python scripts/screenshots.py      (or: make screenshots)

A throwaway database is filled through the engine with a believable mentee's answers, then the
app is driven with Pilot and each screen saved as SVG.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.widgets.answer_inputs import AnswerInput
from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.services import session
from reflectcoach.store import Store

OUT = Path(__file__).resolve().parent.parent / "docs" / "images"
SIZE = (100, 32)

# Answers by step id; any other question gets the first option / a short default.
ANSWERS: dict[str, object] = {
    "goal_draft": "Run our team's retrospectives so the quieter people speak up",
    "why": "My first retro is in three weeks and I want it to matter",
    "smart": ["specific", "assignable"],
    "fix_measurable": "Everyone speaks at least once, in three retros running",
    "hopes": "Learn to facilitate without taking over",
    "now": "A senior engineer who has never facilitated anything",
    "name": "Ana",
    "partner": "Sam",
}


def default(question) -> object:
    kind = question.step.type
    if question.step.id in ANSWERS:
        return ANSWERS[question.step.id]
    if kind in ("choice",):
        return question.options[0][0]
    if kind == "multi":
        return [question.options[0][0]]
    if kind == "scale":
        return 4
    if kind == "yes_no":
        return True
    if kind == "number":
        return int(question.step.min or 1)
    return "Ask one open question, then wait."


def fill(db: Path) -> None:
    catalog = load_catalog([builtin_dir()])
    with Store.open(db) as store:
        for script_id, mentorship, answers in [
            ("first_meeting", "Sam", 99),
            ("goal_setting", "Sam", 99),
            ("tough_conversation", "Priya", 99),
            ("goal_setting", "Priya", 6),
        ]:
            script = catalog.get(script_id)
            assert script is not None
            conv = session.start(store, script, mentorship).conversation
            for _ in range(answers):
                if conv.finished or conv.turn.question is None:
                    break
                conv.answer(default(conv.turn.question))


async def shoot(db: Path) -> None:
    app = ReflectCoachApp(db_path=db, script_dirs=[builtin_dir()], start="goal_setting")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(5):
            screen = app.screen
            assert isinstance(screen, ConversationScreen), screen
            widget = screen.query_one(AnswerInput)
            assert screen.question is not None
            widget.post_message(widget.Submitted(default(screen.question)))
            await pilot.pause()
            await pilot.pause()
        shot(app, "conversation.svg")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        shot(app, "review.svg")


def shot(app, name: str) -> None:
    """The screen as the app's own Screenshot saves it: without Rich's web font."""
    from reflectcoach.app.screenshot import offline

    (OUT / name).write_text(offline(app.export_screenshot()), encoding="utf-8")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "reflections.db"
        fill(db)
        asyncio.run(shoot(db))
    for name in ("conversation.svg", "review.svg"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
