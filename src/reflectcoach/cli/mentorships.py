"""Commands about mentorships: list them, rename one, or merge two."""

from __future__ import annotations

import click

from reflectcoach.cli.base import Settings, clean, main, pass_settings


@main.group("mentorship")
def mentorship_group() -> None:
    """The people your conversations are about.

    Names match whatever the case or spacing: "sam" and "Sam" are one mentorship, shown as
    first written.
    """


@mentorship_group.command("list")
@pass_settings
def list_mentorships(settings: Settings) -> None:
    """Every mentorship, with how many conversations it has."""
    with settings.store() as store:
        found = store.mentorship_summaries()
    if not found:
        click.echo("No mentorships yet. Start one with: reflectcoach start SCRIPT -m NAME")
        return
    width = max(len(m.name) for m in found)
    for m in found:
        count = f"{m.conversations} conversation{'s' if m.conversations != 1 else ''}"
        click.echo(clean(f"{m.name:<{width}}  {count}, latest {m.last_started_at[:10]}"))


@mentorship_group.command("rename")
@click.argument("old")
@click.argument("new")
@pass_settings
def rename_mentorship(settings: Settings, old: str, new: str) -> None:
    """Rename the mentorship OLD to NEW. If NEW is already a mentorship, the two are merged:
    every conversation is kept."""
    with settings.store() as store:
        done = store.rename_mentorship(old, new)
    many = "s" if done.moved != 1 else ""
    if done.merged:
        click.echo(
            clean(
                f"Merged '{done.old}' into '{done.new}': moved {done.moved} conversation{many}; "
                f"'{done.new}' now has {done.total}."
            )
        )
    else:
        message = f"Renamed '{done.old}' to '{done.new}' ({done.moved} conversation{many})."
        click.echo(clean(message))
