"""Shared helpers for the store tests: a deterministic clock and an engine-like runner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reflectcoach.store import Store


class Clock:
    """Deterministic timestamps: each call is one minute after the previous."""

    def __init__(self, start: str = "2026-01-05T09:00:00") -> None:
        self.now = dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC)

    def set(self, moment: str) -> None:
        self.now = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC)

    def __call__(self) -> str:
        self.now += dt.timedelta(minutes=1)
        return self.now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# (step_id, question, type, value, display text); value None means skipped.
Step = tuple[str, str, str, Any, str | None]

WEEKLY: list[Step] = [
    ("mood", "How was your week, 1 to 10?", "scale", 7, "7"),
    ("win", "What went well?", "text", "Shipped the release with the team", None),
    ("help", "Did you ask for help?", "yes_no", True, "yes"),
    ("hours", "Hours spent learning?", "number", 2.5, "2.5"),
    ("topics", "Which topics?", "multi", ["career", "skills"], "Career, Skills"),
]


def run(
    store: Store,
    steps: list[Step],
    *,
    script_id: str = "weekly",
    mentorship: str | None = "Ada",
    complete: bool = True,
    record: str | None = "## Weekly\n\nA good week.",
) -> str:
    """Start a conversation and answer `steps` through the journal, as the engine would."""
    conversation_id = store.start(
        script_id=script_id,
        script_version=1,
        script_sha256="0" * 64,
        title=script_id.replace("_", " ").title(),
        mentorship=mentorship,
        current_step=steps[0][0] if steps else "end",
    )
    journal = store.journal(conversation_id)
    for seq, (step_id, question, qtype, value, text) in enumerate(steps):
        following = steps[seq + 1][0] if seq + 1 < len(steps) else "end"
        skipped = value is None
        journal.answered(
            step_id=step_id,
            question=question,
            qtype=qtype,
            text=None if skipped else (text if text is not None else str(value)),
            value=value,
            skipped=skipped,
            seq=seq,
            position=seq + 1,
            current_step=following,
            discard_from=None,
        )
    if complete:
        journal.completed(record=record, position=len(steps), current_step="end")
    return conversation_id


def damage_data_pages(path: Path) -> None:
    """Overwrite every page after the first two: the header and schema still read."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):
        start = page * page_size
        data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
