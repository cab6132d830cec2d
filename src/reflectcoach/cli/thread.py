"""The thread between meetings: `note` (a talking point for the next meeting), `brief` (one
page for the next meeting) and `due` (one short line for a shell prompt or a timer)."""

from __future__ import annotations

import sys

import click

from reflectcoach.cli.base import TYPED, Settings, clean, main, pass_settings


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
        store.state.add_point(mentorship, words, private=private)
        found = store.mentorships.get(mentorship)
        shown = found.name if found is not None else mentorship
        count = len(store.state.points(shown))
    many = "s" if count != 1 else ""
    click.echo(clean(f"Noted for {shown} ({count} open talking point{many})."))


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
