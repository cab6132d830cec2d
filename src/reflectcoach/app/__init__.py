"""The Textual front end. Nothing outside this package imports Textual."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def run_app(
    *,
    db_path: Path,
    script_dirs: Sequence[Path],
    start: str | None = None,
    mentorship: str | None = None,
    resume: str | None = None,
    screen: str = "home",
) -> None:
    """Run the app. `start` opens a script, `resume` a conversation ("" = latest in progress)."""
    from reflectcoach.app.app import ReflectCoachApp

    ReflectCoachApp(
        db_path=db_path,
        script_dirs=script_dirs,
        start=start,
        mentorship=mentorship,
        resume=resume,
        screen=screen,
    ).run()
