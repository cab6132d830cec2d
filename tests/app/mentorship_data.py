"""A small, fixed mentorship for the mentorship and compare screens: Sam (mentee), a goal
set with its baseline, two rehearsals of a tough conversation, and a closing that re-rates
the baseline and closes the mentorship. Fixed clock, counted ids, built-in script ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from store.helpers import Clock, run

from reflectcoach.engine.followup import Made
from reflectcoach.store import Store, commitments

BASELINE = "On the skill behind this goal, where are you today?"
READY = "How ready do you feel now?"


def make_mentorship(db_path: Path, *, with_commitments: bool = True) -> dict[str, str]:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    ids: dict[str, str] = {}
    with Store.open(db_path) as store:
        store.clock = Clock("2026-01-05T09:00:00")
        ids["goal"] = run(
            store,
            [
                ("role", "Which are you in this pairing?", "choice", "mentee", "the mentee"),
                ("goal", "What is the goal?", "long_text", "Speak up in design reviews", None),
                ("baseline", BASELINE, "scale", 3, "3"),
            ],
            script_id="goal_setting",
            mentorship="Sam",
            record="# Goal card\n\n**Goal:** Speak up in design reviews",
        )
        if with_commitments:
            add_commitments(store, ids["goal"])
        store.clock.set("2026-02-02T09:00:00")
        ids["tough1"] = run(
            store,
            [
                ("topic", "What is it about?", "choice", "feedback", "feedback"),
                ("want_me", "What do you really want?", "long_text", "To be heard", None),
                ("ready", READY, "scale", 2, "2"),
            ],
            script_id="tough_conversation",
            mentorship="Sam",
            record="# Conversation plan\n\nRaise the missed reviews.",
        )
        store.clock.set("2026-02-16T09:00:00")
        ids["tough2"] = run(
            store,
            [
                ("topic", "What is it about?", "choice", "feedback", "feedback"),
                ("want_me", "What do you really want?", "long_text", "To agree a next step", None),
                ("ready", READY, "scale", 4, "4"),
            ],
            script_id="tough_conversation",
            mentorship="sam",
            record="# Conversation plan\n\nAgree how reviews are booked.",
        )
        store.clock.set("2026-03-02T09:00:00")
        closing = run(
            store,
            [("rerate", "And today, where is that skill?", "scale", 7, "7")],
            script_id="closing",
            mentorship="Sam",
            complete=False,
        )
        store.journal(closing).completed(
            record="# A closing letter (draft)\n\nDear Kim,",
            position=1,
            current_step="end",
            closes_mentorship=True,
        )
        ids["closing"] = closing
        store.clock.set("2026-03-09T09:00:00")
        ids["other"] = run(store, [("baseline", BASELINE, "scale", 5, "5")],
                           script_id="goal_setting", mentorship="Kim")  # fmt: skip
    return ids


def add_commitments(store: Store, conversation_id: str) -> None:
    """Four commitments of the goal card (today: 2026-03-14): one overdue, one carried
    forward (not yet, twice), one done, one dropped with a reason."""
    made = [
        Made("Ask to present in the March review", "2026-03-10", None, "goal", 1),
        Made("Write the three points down first", "2026-02-20", None, "goal", 2),
        Made("Watch two reviews as an observer", "2026-01-30", None, "goal", 3),
        Made("Read the review guide", None, None, "goal", 4),
    ]
    with store.transaction() as db:
        ids = commitments.insert_made(db, conversation_id, made, store.clock())
    _ask, write, watch, read = ids
    store.commitments.set_status(write, "not_yet", due=dt.date(2026, 3, 6))
    store.commitments.set_status(write, "not_yet", due=dt.date(2026, 3, 20))
    store.commitments.set_status(watch, "done")
    store.commitments.set_status(read, "dropped", reason="the guide is out of date")
