"""Commands that hold a conversation: start, resume, and the review screen."""

from __future__ import annotations

import contextlib
import io
import sys
from functools import partial
from typing import TYPE_CHECKING, NoReturn

import click

from reflectcoach.cli.base import TYPED, Settings, clean, main, open_app, pass_settings
from reflectcoach.cli.scripts import load_script

if TYPE_CHECKING:
    from reflectcoach.services.session import Session
    from reflectcoach.store import ConversationHeld, Store


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
    # The command line loads a command's floors only when that command runs.
    from reflectcoach.script.registry import load_one
    from reflectcoach.services import session

    with settings.store() as store:
        if mentorship is None and session.mentorship_bound(chosen):
            mentorship = _which_mentorship(store)
        if mentorship is not None and not chosen.closes_mentorship:
            mentorship = _if_closed(store, mentorship)
        dirs = settings.script_dirs()
        # The other scripts, found by id when one of their answers is reused (privacy.py).
        others = partial(load_one, dirs=dirs)
        running = session.start(store, chosen, mentorship, catalog=others)
        sys.exit(run_plain(store, running, resumed=False))


def _usual() -> str | None:
    from reflectcoach.core.settings import MENTORSHIP, UserSettings, default_path

    return UserSettings.load(default_path()).get(MENTORSHIP) or None


def _which_mentorship(store: Store) -> str | None:
    """A conversation about a mentorship, started without `-m`: at a terminal, ask which
    (Enter keeps the usual one, "-" for none); in a pipe, the usual one, said on stderr."""
    usual = _usual()
    names = store.mentorships.names()
    if not sys.stdin.isatty():
        if usual:
            click.echo(clean(f"About {usual} (the usual one; -m NAME for another)."), err=True)
        return usual
    known = f" ({', '.join(names[:5])}{', ...' if len(names) > 5 else ''})" if names else ""
    default = f" [{usual}]" if usual else ""
    click.echo(clean(f'Which mentorship is this about{known}? "-" for none{default}'))
    line = sys.stdin.readline()
    answer = line.strip()
    if not line or (not answer and usual is None) or answer == "-":
        return None
    return answer or usual


def _if_closed(store: Store, name: str) -> str | None:
    """A closed mentorship says so first: reopen it, or go on as a reflection on its own
    (None). In a pipe: on its own, said on stderr."""
    from reflectcoach.services.session import closed_notice

    found = store.mentorships.get(name)
    if found is None or not found.closed:
        return name
    notice = closed_notice(found.name, found.closed_at)
    if not sys.stdin.isatty():
        click.echo(
            clean(
                f"{notice} In a pipe: on its own. (reflectcoach mentorship reopen "
                f"{found.name} reopens it.)"
            ),
            err=True,
        )
        return None
    click.echo(clean(notice))
    click.echo("r: reopen it, o: on its own [o]")
    answer = sys.stdin.readline().strip().lower()
    if answer.startswith("r"):
        store.mentorships.reopen(found.name)
        click.echo(clean(f"'{found.name}' is active again."))
        return found.name
    return None


@main.command()
@click.argument("conversation_id", required=False)
@click.option("--plain", is_flag=True, help="Line by line on stdin/stdout, no full-screen app.")
@click.option(
    "--take-over",
    is_flag=True,
    help="Answer here even while another session has it open (that one can no longer save).",
)
@pass_settings
def resume(settings: Settings, conversation_id: str | None, plain: bool, take_over: bool) -> None:
    """Continue a conversation where it stopped (the latest one in progress by default)."""
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        open_app(settings, resume=conversation_id or "")
        return
    # The command line loads a command's floors only when that command runs.
    from reflectcoach.services import session
    from reflectcoach.store import ConversationHeld

    with settings.store() as store:
        catalog = settings.catalog()
        try:
            running = session.resume(store, catalog, conversation_id, take_over=take_over)
        except ConversationHeld as held:
            if not sys.stdin.isatty():
                refuse(held)
            if not ask_to_take_over(store, held):
                return
            take_over = True
            running = session.resume(store, catalog, held.conversation_id, take_over=True)
        if running.took_from is not None:
            cost = (
                "its next answer will not be saved"
                if take_over or not running.took_from.gone()
                else "that session has ended"
            )
            click.echo(
                clean(
                    f"Conversation {running.id} was open in another session "
                    f"({running.took_from.describe()}); it is answered here now, and {cost}."
                )
            )
        sys.exit(run_plain(store, running, resumed=True))


def run_plain(store: Store, running: Session, *, resumed: bool) -> int:
    """The conversation in plain mode, its lease renewed while the person thinks and given
    back at the end (however it ends)."""
    # The command line loads a command's floors only when that command runs.
    from reflectcoach.cli.plain import PlainRunner
    from reflectcoach.services import session
    from reflectcoach.services.heartbeat import Heartbeat
    from reflectcoach.store import Store, StoreError

    try:
        renewals = Heartbeat(
            lambda: Store.open(store.path, key=store.key), running.id, running.lease
        )
        with renewals:
            return PlainRunner(running, sys.stdin, sys.stdout, store=store).run(resumed=resumed)
    finally:
        # Busy or gone: the lease then ends with this process (another session sees it so).
        with contextlib.suppress(StoreError):
            session.leave(store, running)


def refuse(held: ConversationHeld) -> NoReturn:
    cid = held.conversation_id
    raise click.ClickException(
        clean(
            f"{held} Read it with `reflectcoach show {cid}`, or answer here instead with "
            f"`reflectcoach resume {cid} --plain --take-over` (the other session's next "
            "answer is then not saved)."
        )
    )


def ask_to_take_over(store: Store, held: ConversationHeld) -> bool:
    """At a terminal: read it here, take it over, or leave it. True to take it over."""
    from reflectcoach.store.export import write_markdown  # only when another session holds it

    cid = held.conversation_id
    click.echo(clean(str(held)))
    while True:
        choice = click.prompt(
            "[r] read it here, [t] take it over (that session's next answer is not saved), "
            "[q] quit",
            default="q",
            show_default=False,
        )
        choice = choice.strip().lower()[:1]
        if choice == "t":
            return True
        if choice == "r":
            out = io.StringIO()
            write_markdown(store, out, ids=[cid])
            click.echo(clean(out.getvalue()).rstrip())
            return False
        if choice == "q":
            return False


@main.command()
@pass_settings
def review(settings: Settings) -> None:
    """Open the app on the review screen."""
    open_app(settings, screen="review")
