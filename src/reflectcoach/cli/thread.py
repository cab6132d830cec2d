"""The thread between meetings: `note` (a talking point for the next meeting), `brief` (one
page for the next meeting) and `due` (one short line for a shell prompt or a timer)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from reflectcoach.cli.base import TYPED, Settings, clean, main, pass_settings

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from reflectcoach.store.nudges import Nudge


@main.command("note")
@click.option("--mentorship", "-m", type=TYPED, required=True, help="Which mentorship.")
@click.option("--private", is_flag=True, help="Just for you: never in a shared brief or calendar.")
@click.argument("text", type=TYPED)
@pass_settings
def note(settings: Settings, mentorship: str, text: str, private: bool) -> None:
    """Add a talking point to a mentorship: the next check-in offers it on its agenda."""
    words = text.strip()
    if not words:
        raise click.UsageError("The talking point is empty: write what you want to raise.")
    with settings.store() as store:
        before = {p.id for p in store.state.points(mentorship)}
        new = store.state.add_point(mentorship, words, private=private) not in before
        found = store.mentorships.get(mentorship)
        shown = found.name if found is not None else mentorship
        count = len(store.state.points(shown))
    many = "s" if count != 1 else ""
    said = "Noted for" if new else "Already on the list for"
    click.echo(clean(f"{said} {shown} ({count} open talking point{many})."))


@main.command("brief")
@click.option("--mentorship", "-m", type=TYPED, required=True, help="Which mentorship.")
@click.option("--markdown", is_flag=True, help="As Markdown.")
@click.option("--share", is_flag=True, help="Without its private parts: to send.")
@pass_settings
def brief(settings: Settings, mentorship: str, markdown: bool, share: bool) -> None:
    """One page for the next meeting: the goal as it stands, ratings, open commitments,
    talking points, what was decided last, the next dates and what is overdue."""
    from reflectcoach.services import brief as briefs

    scripts = settings.catalog().scripts
    with settings.store() as store:
        found = briefs.load(store, scripts, mentorship)
    text = briefs.lines(found, share=share, markdown=markdown)
    if sys.stdout.isatty() and not markdown:
        text = [click.style(line, bold=True) if line.endswith(":") else line for line in text]
    for line in text:
        click.echo(clean(line) if not sys.stdout.isatty() else _styled_clean(line))


def _styled_clean(line: str) -> str:
    """A line already styled by click: its words cleaned, the style's own codes kept."""
    if line.startswith("\x1b[1m") and line.endswith("\x1b[0m"):
        return "\x1b[1m" + clean(line[4:-4]) + "\x1b[0m"
    return clean(line)


@main.command("due")
@click.option(
    "--notify", is_flag=True, help="Also as a desktop notification (notify-send or gdbus)."
)
@pass_settings
def due(settings: Settings, notify: bool) -> None:
    """One short line of what is due ("Sam: 1 overdue, midpoint review in 3 days"), or
    nothing: fast enough for a shell prompt or a timer. Never asks for a passphrase: an
    encrypted database is read with the key remembered on this machine, else nothing."""
    from reflectcoach.core.clock import today
    from reflectcoach.store.nudges import peek_nudges

    path = settings.db_path
    if not path.exists():
        return
    found = peek_nudges(path, today())
    if found is None:
        found = _nudges_through_the_store(path, today())
    line = "; ".join(n.line for n in found)
    if line:
        click.echo(clean(line))
    if notify and line:
        click.echo(clean(_notify(line)), err=True)


def _nudges_through_the_store(path: Path, day: dt.date) -> list[Nudge]:
    """An encrypted file (with the remembered key, or nothing), or one not as our last clean
    close left it: the Store reads it. Any problem: nothing (a prompt must not break)."""
    from reflectcoach.store.errors import StoreError
    from reflectcoach.store.nudges import STATE_SCHEMA, nudges
    from reflectcoach.store.peek import HEADER
    from reflectcoach.store.rawfile import head

    key = None
    try:
        # docs/architecture.md, "Touching a database outside SQLite": through rawfile.
        if head(path, len(HEADER))[0] != HEADER:
            from reflectcoach.services import agent, remember
            from reflectcoach.store.key import Key

            unlocked = agent.recall(path)
            key = Key(raw=unlocked) if unlocked is not None else remember.recall(path)
            if key is None:
                return []
        if key is not None:
            from reflectcoach.store import readonly

            found = readonly.nudges(path, day, key)  # SQLCipher alone, when the file allows
            if found is not None:
                return found
        from reflectcoach.store import Store

        with Store.open(path, key=key) as store:
            return nudges(store.db, day, state=STATE_SCHEMA > 0)
    except (StoreError, OSError):
        return []


def _notify(line: str) -> str:
    """Send `line` as a freedesktop notification; what was done, or why it could not be."""
    import shutil
    import subprocess

    if shutil.which("notify-send"):
        command = ["notify-send", "--app-name=reflectcoach", "reflectcoach: due", line]
    elif shutil.which("gdbus"):
        command = [
            *("gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications"),
            *("--object-path", "/org/freedesktop/Notifications"),
            *("--method", "org.freedesktop.Notifications.Notify"),
            *("reflectcoach", "0", "", "reflectcoach: due", line, "[]", "{}", "-1"),
        ]
    else:
        return (
            "Could not send a desktop notification: neither notify-send nor gdbus is "
            "installed (the line above is all there is)."
        )
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return f"Could not send a desktop notification: {problem}."
    if done.returncode != 0:
        why = (done.stderr or "").strip().splitlines()[-1:] or ["no notification service"]
        return f"Could not send a desktop notification ({command[0]}: {why[0]})."
    return f"Sent as a desktop notification ({command[0]})."
