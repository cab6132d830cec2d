"""A small, fixed mentorship for the mentorship and compare screens: Sam (mentee), a goal
set with its baseline, two rehearsals of a tough conversation, and a closing that re-rates
the baseline and closes the mentorship. Fixed clock, counted ids, built-in script ids."""

from __future__ import annotations

from pathlib import Path

from store.helpers import Clock, run

from reflectcoach.store import Store

BASELINE = "On the skill behind this goal, where are you today?"
READY = "How ready do you feel now?"


def make_mentorship(db_path: Path) -> dict[str, str]:
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
