"""The floor for one conversation step in the app: the least a Textual app must do for it.

A bare Textual screen laid out like the conversation screen (header, a scrolling
transcript, the question, a slot for the answer input, footer). Submitting the Input:

1. commits the answer to SQLite (one row, BEGIN IMMEDIATE ... COMMIT, WAL, synchronous=FULL,
   the store's settings),
2. mounts the question and answer into the transcript,
3. shows the next question text and mounts a fresh Input in the slot, focused.

scripts/bench.py drives it with Pilot exactly as it drives the real conversation screen and
times submit -> next question painted with the same paint hook.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, Static


class StepFloorApp(App[None]):
    CSS = """
    #transcript { height: 1fr; }
    #ask { height: auto; dock: bottom; padding: 0 1; }
    #answer-slot { height: auto; }
    .exchange { margin: 0 0 1 0; }
    """

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.number = 0
        self.conn: sqlite3.Connection | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="transcript")
        with Vertical(id="ask"):
            yield Static(id="question", markup=False)
            yield Vertical(id="answer-slot")
        yield Footer()

    async def on_mount(self) -> None:
        conn = sqlite3.connect(self.db_path, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS answers "
            "(seq INTEGER PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL)"
        )
        self.conn = conn
        self.query_one("#transcript", VerticalScroll).anchor()
        await self.ask()

    def on_unmount(self) -> None:
        if self.conn is not None:
            self.conn.close()

    @property
    def question_text(self) -> str:
        return f"Question {self.number}: what stood out about the team this week?"

    async def ask(self) -> None:
        self.number += 1
        self.query_one("#question", Static).update(self.question_text)
        slot = self.query_one("#answer-slot", Vertical)
        await slot.remove_children()
        field = Input(placeholder="Type your answer, then Enter", classes="answer-control")
        await slot.mount(field)
        field.focus()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        assert self.conn is not None
        asked = self.question_text
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (self.number, asked, event.value)
        )
        self.conn.execute("COMMIT")
        transcript = self.query_one("#transcript", VerticalScroll)
        await transcript.mount(Static(f"Q: {asked}\nA: {event.value}", classes="exchange"))
        await self.ask()
