"""Commands that hold a conversation: start, resume, and the review screen."""

from __future__ import annotations

import sys

import click

from reflectcoach.cli.base import TYPED, Settings, main, open_app, pass_settings
from reflectcoach.cli.scripts import load_script


@main.command()
@click.argument("script")
@click.option("--mentorship", "-m", type=TYPED, help="Who this is about (a mentorship name).")
@click.option("--plain", is_flag=True, help="Line by line on stdin/stdout, no full-screen app.")
@pass_settings
def start(settings: Settings, script: str, mentorship: str | None, plain: bool) -> None:
    """Start a conversation (SCRIPT is an id from `reflectcoach scripts`, or a file)."""
    chosen = load_script(settings, script)
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        open_app(settings, start=chosen.id, mentorship=mentorship)
        return
    from reflectcoach import session
    from reflectcoach.plain import PlainRunner

    with settings.store() as store:
        running = session.start(store, chosen, mentorship)
        sys.exit(PlainRunner(running, sys.stdin, sys.stdout, store=store).run())


@main.command()
@click.argument("conversation_id", required=False)
@click.option("--plain", is_flag=True, help="Line by line on stdin/stdout, no full-screen app.")
@pass_settings
def resume(settings: Settings, conversation_id: str | None, plain: bool) -> None:
    """Continue a conversation where it stopped (the latest one in progress by default)."""
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        open_app(settings, resume=conversation_id or "")
        return
    from reflectcoach import session
    from reflectcoach.plain import PlainRunner

    with settings.store() as store:
        running = session.resume(store, settings.catalog(), conversation_id)
        sys.exit(PlainRunner(running, sys.stdin, sys.stdout, store=store).run(resumed=True))


@main.command()
@pass_settings
def review(settings: Settings) -> None:
    """Open the app on the review screen."""
    open_app(settings, screen="review")
