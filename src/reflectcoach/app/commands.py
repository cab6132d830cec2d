"""The command palette's reflectcoach commands (Textual's system commands stay alongside).

Script titles come from files anyone can write, so hits are built as plain `Content` and
highlighted here: Textual's own `Matcher.highlight` would parse them as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reflectcoach.app.screens.rename_mentorship import rename_mentorship
from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp


class ReflectCoachCommands(Provider):
    mentorships: list[str] = []  # noqa: RUF012 (filled per palette by startup)

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(name, callback, help) for every command, scripts first."""
        app = self.rc_app
        found: list[tuple[str, Callable[[], object], str]] = []
        catalog = app.loaded_catalog
        if catalog is not None:
            for script in catalog.scripts.values():
                found.append(
                    (
                        clean(f"Start: {script.title}"),
                        partial(app.start_script, script.id),
                        clean(script.summary),
                    )
                )
        found += [
            ("Review conversations", app.action_review, "Browse, read and filter what you said"),
            ("Search answers", app.action_search, "Full-text search over every answer"),
            ("Insights", app.action_insights, "How your ratings and habits change over time"),
            ("Commitments", app.open_commitments, "What you said you would do: mark it"),
            (
                "Export all as Markdown",
                app.action_export_all,
                "Write every conversation to reflectcoach-export-<date>.md in the last "
                "export folder (at first, your home folder)",
            ),
            ("Help: keys and commands", app.action_help, "Every key on every screen"),
            ("Rename a mentorship", partial(rename_mentorship, app), "Or merge two into one"),
        ]
        for mentorship in self.mentorships:
            found.append(
                (
                    clean(f"Open mentorship: {mentorship}"),
                    partial(app.open_mentorship, mentorship),
                    "Its conversations, commitments and ratings over time",
                )
            )
            found.append(
                (
                    clean(f"Share with partner: {mentorship}"),
                    partial(app.open_partner, mentorship),
                    "Your identity line, linking them, a bundle to write or to receive",
                )
            )
        return found

    async def startup(self) -> None:
        """The mentorships' names, read once when the palette opens (a small table)."""
        from reflectcoach.store import StoreError

        try:
            self.mentorships = [m.name for m in self.rc_app.main_store().mentorships.all()]
        except StoreError:
            self.mentorships = []

    def later(self, callback: Callable[[], object]) -> Callable[[], object]:
        """Run `callback` once the palette is gone: removing it resets the focus of whatever
        screen is on top by then, so a screen pushed any sooner would lose its focus."""
        return partial(self.app.call_after_refresh, callback)

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(
                Content(name), self.later(callback), text=name, help=Content(help_text)
            )  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score, offsets = matcher.fuzzy_search.match(query, name)
            if score <= 0:
                continue
            display = Content(name)
            for offset in offsets:
                display = display.stylize(matcher.match_style, offset, offset + 1)
            yield Hit(score, display, self.later(callback), text=name, help=Content(help_text))  # type: ignore[arg-type]
