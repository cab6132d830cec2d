"""Commitments made the real way (the fixture `plan` script run to completion through the
session, on a fixed clock) for home's due list and the Commitments screen. Today is
2026-12-01: Sam has one overdue (27 November) and one due this week (4 December); Kim has
one due later (20 December) and one undated, neither due within a week."""

from __future__ import annotations

from pathlib import Path

from store.helpers import Clock

from reflectcoach.script.loader import load_file
from reflectcoach.services import session
from reflectcoach.store import Store

SCRIPTS = Path(__file__).parent.parent / "fixtures" / "commitments"
TODAY = "2026-12-01"


def plan(store: Store, mentorship: str, *answers: str | None) -> str:
    script = load_file(SCRIPTS / "plan.yaml").script
    assert script is not None
    running = session.start(store, script, mentorship)
    for answer in answers:
        if answer is None:
            running.conversation.skip()
        else:
            running.conversation.answer(answer)
    assert running.conversation.finished
    session.leave(store, running)
    return running.id


def seed_commitments(db_path: Path, *, sam: bool = True) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db_path) as store:
        store.clock = Clock("2026-11-20T09:00:00")
        if sam:
            plan(
                store,
                "Sam",
                "Speak up",
                "email the VP",
                "2026-11-27",
                "Book a review",
                "2026-12-04",
            )
        plan(store, "Kim", "Lead", "Draft the roadmap", "2026-12-20", "Ask for feedback", None)
