"""The brief for a mentorship's next meeting (services/brief.py), as `reflectcoach brief`
prints it: the goal as it stands, ratings, open commitments, talking points, what was decided
last, the next dates and what is overdue. Read in a worker; every line is inert text."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.app.workers import read_in_worker
from reflectcoach.services import brief


class BriefScreen(Screen[None]):
    CSS_PATH = "brief.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="brief.back", tooltip="Back to where you were"),
        Binding(
            "s",
            "share",
            "Shared copy",
            id="brief.share",
            tooltip="Show the brief without its private parts (or with them again)",
        ),
    ]

    def __init__(self, mentorship: str) -> None:
        super().__init__()
        self.mentorship_name = mentorship
        self.share = False
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="brief-body"):
            yield Static(plain("Reading the brief…"), id="brief-text")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Brief"
        self.sub_title = self.mentorship_name
        self.load()

    def load(self) -> None:
        app = self.app
        name, share = self.mentorship_name, self.share

        def read(store: object) -> list[str]:
            scripts = app.catalog().scripts  # type: ignore[attr-defined]  # parses in the worker
            return brief.lines(brief.load(store, scripts, name), share=share)  # type: ignore[arg-type]

        read_in_worker(
            self,
            read,
            self.show,
            self.show_problem,
            group="brief-load",
        )

    def show(self, lines: list[str]) -> None:
        self.lines = lines
        self.query_one("#brief-text", Static).update(plain("\n".join(lines)))

    def show_problem(self, message: str) -> None:
        self.query_one("#brief-text", Static).update(plain(message))

    def action_share(self) -> None:
        self.share = not self.share
        self.sub_title = self.mentorship_name + (" · shared copy" if self.share else "")
        self.load()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
