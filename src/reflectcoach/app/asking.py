"""What the app asks before a conversation opens: which mentorship it is about, and
whether to reopen a closed one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reflectcoach.core import settings
from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp


def ask_which(app: ReflectCoachApp, script_id: str, title: str) -> None:
    """A mentorship-bound script with no name under Who: ask which (the usual one
    offered), as plain mode does without -m."""
    from reflectcoach.app.screens.which_mentorship import CANCELLED, WhichMentorshipScreen

    def chosen(name: str | None) -> None:
        if name == CANCELLED:
            return
        app.open_conversation(script_id=script_id, mentorship=name, closed_asked=name is None)

    usual = app.settings.get(settings.MENTORSHIP)
    app.push_screen(WhichMentorshipScreen(usual, title), chosen)


def ask_if_closed(app: ReflectCoachApp, script_id: str, name: str, closed_at: str | None) -> None:
    """The mentorship `name` is closed: reopen it, or start as a reflection on its own."""
    from reflectcoach.app.screens.confirm import ConfirmScreen
    from reflectcoach.services.session import closed_notice

    def chosen(reopen: bool | None) -> None:
        if reopen:
            try:
                app.main_store().mentorships.reopen(name)
            except StoreError as problem:
                app.notify(clean(str(problem)), severity="error", markup=False)
                return
            app.notify(clean(f"'{name}' is active again."), markup=False)
        app.open_conversation(
            script_id=script_id, mentorship=name if reopen else None, closed_asked=True
        )

    from reflectcoach.store import StoreError

    app.push_screen(
        ConfirmScreen(
            closed_notice(name, closed_at),
            title="A closed mentorship",
            yes="Reopen it",
            no="On its own",
        ),
        chosen,
    )
